// SPDX-License-Identifier: GPL-2.0
/*
 * Matching a usermode helper's argv against a configured value, in hook
 * context: no allocation, bounded work.
 *
 * A core_pattern pipe ("|prog %p %e") is turned into argv the way the
 * kernel's format_corename() does it (since 5.7): the pattern after '|'
 * is split at white space *before* the %-specifiers are expanded, so
 * argument i is the expansion of word i. Each argument must match its
 * word: literal characters exactly; a numeric specifier (%p %P %i %I %u
 * %g %d %s %t %c %C %F) one or more digits (or '-'); a textual one (%e
 * %E %h %f, and any letter this code does not know) any run of
 * characters without '/' (the kernel writes '/' in those as '!');
 * "%%" a '%'. The number of arguments must equal the number of words.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/ctype.h>
#include <linux/string.h>

#include "umh_int.h"

int cg_umh_argc(char *const *argv)
{
	int n = 0;

	while (argv && argv[n] && n <= CG_UMH_MAX_ARGS)
		n++;
	return n;
}

/* The next white-space separated word of *s (argv_split() rules). */
static size_t cg_next_word(const char **s)
{
	const char *p = *s;
	size_t n = 0;

	while (isspace(*p))
		p++;
	while (p[n] && !isspace(p[n]))
		n++;
	*s = p;
	return n;
}

/* argv is exactly argv_split(s): run_cmd() (poweroff_cmd, reboot_cmd). */
bool cg_umh_argv_is_split(char *const *argv, const char *s)
{
	int i = 0;
	size_t n;

	for (;;) {
		n = cg_next_word(&s);
		if (!n)
			return !argv[i];
		if (i >= CG_UMH_MAX_ARGS || !argv[i] || strlen(argv[i]) != n ||
		    memcmp(argv[i], s, n))
			return false;
		s += n;
		i++;
	}
}

/* Backtracking steps allowed per argument: the pattern is short. */
#define CG_MATCH_BUDGET 4096

struct cg_core_m {
	const char *end; /* of the word */
	int budget;
};

static bool cg_spec_numeric(char c)
{
	return c && strchr("pPiIugdstcCF", c);
}

static bool cg_core_word(struct cg_core_m *m, const char *p, const char *s)
{
	const char *q;
	char c;

	if (--m->budget < 0)
		return false;
	if (p >= m->end)
		return !*s;
	if (*p != '%')
		return *s == *p && cg_core_word(m, p + 1, s + 1);
	/* A '%' that ends the pattern is dropped. */
	if (p + 1 >= m->end)
		return !*s;
	c = p[1];
	if (c == '%')
		return *s == '%' && cg_core_word(m, p + 2, s + 1);
	/* Longest first; numeric: at least one digit. */
	q = s;
	if (cg_spec_numeric(c)) {
		while (isdigit(*q) || *q == '-')
			q++;
		for (; q > s; q--)
			if (cg_core_word(m, p + 2, q))
				return true;
		return false;
	}
	while (*q && *q != '/')
		q++;
	for (; q >= s; q--)
		if (cg_core_word(m, p + 2, q))
			return true;
	return false;
}

/*
 * The end of the core_pattern word that starts at p: white space ends
 * it, except right after a '%' (format_corename() takes the character
 * after '%' as the specifier, whatever it is).
 */
static const char *cg_core_word_end(const char *p)
{
	while (*p && !isspace(*p))
		p += (p[0] == '%' && p[1]) ? 2 : 1;
	return p;
}

bool cg_umh_core_match(const char *pattern, char *const *argv)
{
	struct cg_core_m m;
	int i = 0;

	if (*pattern++ != '|')
		return false;
	for (;;) {
		while (isspace(*pattern))
			pattern++;
		if (!*pattern)
			return !argv[i];
		if (i >= CG_UMH_MAX_ARGS || !argv[i])
			return false;
		m.end = cg_core_word_end(pattern);
		m.budget = CG_MATCH_BUDGET;
		if (!cg_core_word(&m, pattern, argv[i]))
			return false;
		pattern = m.end;
		i++;
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * JSON writer. Strings: '"' and '\\' are escaped, \b \f \n \r \t get their
 * short forms, every other byte below 0x20 or above 0x7e becomes \u00XX
 * with the byte's value. The output is plain ASCII and always valid JSON;
 * the original bytes can be recovered exactly.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

static void jb_put(struct jbuf *jb, const char *s, size_t n)
{
	if (jb->err)
		return;
	if (jb->len + n + 1 > jb->cap) {
		jb->err = -ENOSPC;
		return;
	}
	memcpy(jb->p + jb->len, s, n);
	jb->len += n;
	jb->p[jb->len] = '\0';
}

static void jb_c(struct jbuf *jb, char c)
{
	jb_put(jb, &c, 1);
}

void jb_init(struct jbuf *jb, char *buf, size_t cap)
{
	memset(jb, 0, sizeof(*jb));
	jb->p = buf;
	jb->cap = cap;
	if (cap)
		buf[0] = '\0';
	else
		jb->err = -ENOSPC;
	jb->first[0] = 1;
}

/* Before a value: a comma unless it is the first in its container. */
static void jb_sep(struct jbuf *jb)
{
	if (!jb->first[jb->depth])
		jb_c(jb, ',');
	jb->first[jb->depth] = 0;
}

static void jb_open(struct jbuf *jb, char c)
{
	if (jb->depth + 1 >= JB_DEPTH) {
		jb->err = -E2BIG;
		return;
	}
	jb_c(jb, c);
	jb->first[++jb->depth] = 1;
}

static void jb_close(struct jbuf *jb, char c)
{
	if (jb->depth == 0) {
		jb->err = -EINVAL;
		return;
	}
	jb->depth--;
	jb_c(jb, c);
}

void jb_obj(struct jbuf *jb)
{
	jb_sep(jb);
	jb_open(jb, '{');
}

void jb_obj_end(struct jbuf *jb)
{
	jb_close(jb, '}');
}

void jb_arr(struct jbuf *jb)
{
	jb_sep(jb);
	jb_open(jb, '[');
}

void jb_arr_end(struct jbuf *jb)
{
	jb_close(jb, ']');
}

static void jb_strraw(struct jbuf *jb, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	jb_c(jb, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

		switch (c) {
		case '"':
			jb_put(jb, "\\\"", 2);
			break;
		case '\\':
			jb_put(jb, "\\\\", 2);
			break;
		case '\b':
			jb_put(jb, "\\b", 2);
			break;
		case '\f':
			jb_put(jb, "\\f", 2);
			break;
		case '\n':
			jb_put(jb, "\\n", 2);
			break;
		case '\r':
			jb_put(jb, "\\r", 2);
			break;
		case '\t':
			jb_put(jb, "\\t", 2);
			break;
		default:
			if (c < 0x20 || c > 0x7e)
				jb_put(jb, esc, sizeof(esc));
			else
				jb_c(jb, (char)c);
		}
	}
	jb_c(jb, '"');
}

void jb_key(struct jbuf *jb, const char *key)
{
	jb_sep(jb);
	jb_strraw(jb, key, strlen(key));
	jb_c(jb, ':');
	/* The value that follows takes no comma. */
	jb->first[jb->depth] = 1;
}

void jb_str(struct jbuf *jb, const char *s, size_t len)
{
	jb_sep(jb);
	jb_strraw(jb, s, len);
}

void jb_cstr(struct jbuf *jb, const char *s)
{
	jb_str(jb, s, strlen(s));
}

void jb_u64(struct jbuf *jb, uint64_t v)
{
	char b[24];

	jb_sep(jb);
	jb_put(jb, b,
	       (size_t)snprintf(b, sizeof(b), "%llu", (unsigned long long)v));
}

void jb_i64(struct jbuf *jb, int64_t v)
{
	char b[24];

	jb_sep(jb);
	jb_put(jb, b, (size_t)snprintf(b, sizeof(b), "%lld", (long long)v));
}

void jb_null(struct jbuf *jb)
{
	jb_sep(jb);
	jb_put(jb, "null", 4);
}

void jb_bool(struct jbuf *jb, int v)
{
	jb_sep(jb);
	if (v)
		jb_put(jb, "true", 4);
	else
		jb_put(jb, "false", 5);
}

int jb_done(struct jbuf *jb)
{
	if (!jb->err && jb->depth)
		jb->err = -EINVAL;
	return jb->err;
}

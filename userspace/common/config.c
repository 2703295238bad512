// SPDX-License-Identifier: GPL-2.0
/* KEY=VALUE parsing; see config.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "event.h"

int cgu_parse_u64(const char *s, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end)
		return -EINVAL;
	*v = x;
	return 0;
}

static int parse_bool(const char *s)
{
	if (!strcmp(s, "1") || !strcmp(s, "on") || !strcmp(s, "yes") ||
	    !strcmp(s, "true"))
		return 1;
	if (!strcmp(s, "0") || !strcmp(s, "off") || !strcmp(s, "no") ||
	    !strcmp(s, "false"))
		return 0;
	return -EINVAL;
}

int cgu_config_parse(struct cgu_config *cfg, const char *kv, char *err,
		     size_t errlen)
{
	const char *eq = strchr(kv, '=');
	size_t klen;
	int v;

	if (!eq || eq == kv) {
		snprintf(err, errlen, "'%s': expected KEY=VALUE", kv);
		return -EINVAL;
	}
	klen = (size_t)(eq - kv);
	if (klen == 4 && !strncmp(kv, "mode", 4)) {
		v = cgu_mode_parse(eq + 1);
		if (v < 0) {
			snprintf(err, errlen,
				 "mode: '%s' is not one of log, restore, kill",
				 eq + 1);
			return -EINVAL;
		}
		cfg->has_mode = 1;
		cfg->mode = (uint8_t)v;
		return 0;
	}
	if (klen == 3 && !strncmp(kv, "log", 3)) {
		v = parse_bool(eq + 1);
		if (v < 0) {
			snprintf(err, errlen, "log: '%s' is not on or off",
				 eq + 1);
			return -EINVAL;
		}
		cfg->has_log = 1;
		cfg->log = (uint8_t)v;
		return 0;
	}
	snprintf(err, errlen, "unknown key '%.*s' (known: mode, log)",
		 (int)klen, kv);
	return -EINVAL;
}

/* SPDX-License-Identifier: GPL-2.0 */
/* KEY=VALUE settings of credguardctl config set. */
#ifndef CGU_CONFIG_H
#define CGU_CONFIG_H

#include <stddef.h>
#include <stdint.h>

struct cgu_config {
	int has_mode, has_log;
	uint8_t mode, log;
};

/*
 * Parse one KEY=VALUE into @cfg. Keys: mode (log|restore|kill), log
 * (on|off|1|0). On error: a negative errno, a message in @err and @cfg
 * unchanged.
 */
int cgu_config_parse(struct cgu_config *cfg, const char *kv, char *err,
		     size_t errlen);
/* Parse an unsigned decimal number, all of it; -EINVAL or -ERANGE. */
int cgu_parse_u64(const char *s, uint64_t *v);

#endif /* CGU_CONFIG_H */

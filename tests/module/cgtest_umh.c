// SPDX-License-Identifier: GPL-2.0
/*
 * cgtest: TEST ONLY. Usermode helper primitives: overwrite a helper
 * variable in place, from inside the write() to /proc/cgtest, the way an
 * exploit with a kernel write primitive does (no sysctl handler runs).
 *
 *   umh_modprobe PATH   modprobe_path = PATH
 *   umh_core PATTERN    core_pattern = PATTERN (the rest of the line)
 *   umh_uevent PATH     uevent_helper = PATH (-ENOENT without it)
 *
 * Compiled as part of cgtest.c (included there): the module keeps its
 * single-source Kbuild rule.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/kprobes.h>

/* kallsyms_lookup_name() is not exported: a kprobe finds it. */
static void *cgt_umh_sym(const char *name)
{
	static unsigned long (*lookup)(const char *name);
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };

	if (!lookup) {
		if (register_kprobe(&kp) < 0)
			return NULL;
		lookup = (void *)kp.addr;
		unregister_kprobe(&kp);
	}
	return (void *)lookup(name);
}

static int cgt_umh_overwrite(const char *sym, size_t size, const char *val)
{
	char *var = cgt_umh_sym(sym);

	if (!var)
		return -ENOENT;
	if (strlen(val) >= size)
		return -E2BIG;
	/* In place, as a write primitive would: no handler, no lock. */
	memcpy(var, val, strlen(val) + 1);
	return 0;
}

/* -ENOIOCTLCMD: not a umh primitive. */
static int cgt_umh_write(char *buf)
{
	char *arg = strchr(buf, ' ');

	if (strncmp(buf, "umh_", 4))
		return -ENOIOCTLCMD;
	if (!arg)
		return -EINVAL;
	*arg++ = '\0';
	if (!strcmp(buf, "umh_modprobe"))
		return cgt_umh_overwrite("modprobe_path", 256, arg);
	if (!strcmp(buf, "umh_core"))
		return cgt_umh_overwrite("core_pattern", 128, arg);
	if (!strcmp(buf, "umh_uevent"))
		return cgt_umh_overwrite("uevent_helper", 256, arg);
	return -EINVAL;
}

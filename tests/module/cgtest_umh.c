// SPDX-License-Identifier: GPL-2.0
/*
 * cgtest: TEST ONLY. Usermode helper primitives: overwrite a helper
 * variable in place, from inside the write() to /proc/cgtest, the way an
 * exploit with a kernel write primitive does (no sysctl handler runs).
 *
 *   umh_modprobe PATH   modprobe_path = PATH
 *   umh_core PATTERN    core_pattern = PATTERN (the rest of the line)
 *   umh_uevent PATH     uevent_helper = PATH (-ENOENT without it)
 *   umh_mode MODE       the mode of kernel.modprobe's sysctl table = MODE
 *                       (octal): one 16-bit write lets any user write
 *                       /proc/sys/kernel/modprobe (-EOPNOTSUPP where the
 *                       tables are read-only, 6.11 and later)
 *
 * Compiled as part of cgtest.c (included there): the module keeps its
 * single-source Kbuild rule.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/sysctl.h>
#include <linux/version.h>

/*
 * Without CONFIG_KALLSYMS_ALL (Debian's arm64 kernels) a data symbol has
 * no name: read its sysctl file once and take the table proc_dostring()
 * is called with, as credguard does (a real exploit searches memory).
 */
static struct task_struct *cgt_umh_reader;
static const struct ctl_table *cgt_umh_found;

static int cgt_umh_dostring(struct kprobe *p, struct pt_regs *regs)
{
	const struct ctl_table *table =
		(const void *)regs_get_kernel_argument(regs, 0);

	if (READ_ONCE(cgt_umh_reader) == current && table)
		WRITE_ONCE(cgt_umh_found, table);
	return 0;
}

/* The sysctl table behind @file, or NULL. */
static const struct ctl_table *cgt_umh_table(const char *file)
{
	struct kprobe kp = { .symbol_name = "proc_dostring",
			     .pre_handler = cgt_umh_dostring };
	struct file *f;
	loff_t pos = 0;
	char c;

	if (register_kprobe(&kp) < 0)
		return NULL;
	f = filp_open(file, O_RDONLY, 0);
	if (!IS_ERR(f)) {
		WRITE_ONCE(cgt_umh_found, NULL);
		WRITE_ONCE(cgt_umh_reader, current);
		kernel_read(f, &c, 1, &pos);
		WRITE_ONCE(cgt_umh_reader, NULL);
		filp_close(f, NULL);
	}
	unregister_kprobe(&kp);
	return READ_ONCE(cgt_umh_found);
}

static void *cgt_umh_sysctl(const char *file)
{
	const struct ctl_table *table = cgt_umh_table(file);

	return table ? table->data : NULL;
}

static int cgt_umh_mode(const char *file, const char *arg)
{
	struct ctl_table *table;
	unsigned int mode;

	if (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0))
		return -EOPNOTSUPP;
	if (kstrtouint(arg, 8, &mode) || mode > 0777)
		return -EINVAL;
	table = (struct ctl_table *)cgt_umh_table(file);
	if (!table)
		return -ENOENT;
	WRITE_ONCE(table->mode, mode);
	return 0;
}

/* kallsyms_lookup_name() is not exported: a kprobe finds it. */
static void *cgt_umh_sym(const char *name, const char *file)
{
	static unsigned long (*lookup)(const char *name);
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	void *addr = NULL;

	if (!lookup && register_kprobe(&kp) == 0) {
		lookup = (void *)kp.addr;
		unregister_kprobe(&kp);
	}
	if (lookup)
		addr = (void *)lookup(name);
	return addr ? addr : cgt_umh_sysctl(file);
}

static int cgt_umh_overwrite(const char *sym, const char *file, size_t size,
			     const char *val)
{
	char *var = cgt_umh_sym(sym, file);

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
		return cgt_umh_overwrite("modprobe_path",
					 "/proc/sys/kernel/modprobe", 256, arg);
	if (!strcmp(buf, "umh_core"))
		return cgt_umh_overwrite("core_pattern",
					 "/proc/sys/kernel/core_pattern", 128,
					 arg);
	if (!strcmp(buf, "umh_mode"))
		return cgt_umh_mode("/proc/sys/kernel/modprobe", arg);
	if (!strcmp(buf, "umh_uevent"))
		return cgt_umh_overwrite("uevent_helper",
					 "/proc/sys/kernel/hotplug", 256, arg);
	return -EINVAL;
}

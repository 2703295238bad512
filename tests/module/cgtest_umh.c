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
 *   umh_envp ENTRY      call_modprobe()'s static environment array gets
 *                       ENTRY, a string in this module's writable data,
 *                       in place of its second entry: one pointer, as an
 *                       exploit writes it (the array is found by running
 *                       modprobe once through request_module())
 *   umh_envp_undo       the array as it was (also done at unload)
 *   umh_initfs DIR      init_fs's root and cwd = DIR, in place (what every
 *                       kernel thread, so every helper, starts from)
 *   umh_initfs_undo     init_fs's root and cwd as they were (also done at
 *                       unload)
 *
 * Compiled as part of cgtest.c (included there): the module keeps its
 * single-source Kbuild rule.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/fs.h>
#include <linux/kmod.h>
#include <linux/kprobes.h>
#include <linux/namei.h>
#include <linux/umh.h>
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

/* The environment of the modprobe helper, and what it was. */
#define CGT_ENVP_MAX 8
static const char *cgt_envp_path;
static char **cgt_envp_found;
static char **cgt_envp;
static char *cgt_envp_orig[CGT_ENVP_MAX];
static int cgt_envp_len; /* entries, without the NULL */
static char cgt_envp_entry[128];

static int cgt_envp_capture(struct kprobe *p, struct pt_regs *regs)
{
	struct subprocess_info *info =
		(void *)regs_get_kernel_argument(regs, 0);

	if (info && info->path == READ_ONCE(cgt_envp_path))
		WRITE_ONCE(cgt_envp_found, info->envp);
	return 0;
}

/* call_modprobe()'s static array: the one its helper is given. */
static char **cgt_envp_locate(void)
{
	struct kprobe kp = { .symbol_name = "call_usermodehelper_exec",
			     .pre_handler = cgt_envp_capture };

	cgt_envp_path =
		cgt_umh_sym("modprobe_path", "/proc/sys/kernel/modprobe");
	if (!cgt_envp_path || register_kprobe(&kp) < 0)
		return NULL;
	WRITE_ONCE(cgt_envp_found, NULL);
	request_module("cgtest-envp");
	unregister_kprobe(&kp);
	return READ_ONCE(cgt_envp_found);
}

static int cgt_envp_undo(void)
{
	int i;

	if (!cgt_envp)
		return -ENOENT;
	/* The whole array, its NULL too, and not one word past it. */
	for (i = 0; i <= cgt_envp_len; i++)
		WRITE_ONCE(cgt_envp[i], cgt_envp_orig[i]);
	cgt_envp = NULL;
	return 0;
}

static int cgt_envp_poison(const char *entry)
{
	char **envp;
	int n;

	if (cgt_envp)
		return -EBUSY;
	if (strscpy(cgt_envp_entry, entry, sizeof(cgt_envp_entry)) < 0)
		return -E2BIG;
	envp = cgt_envp_locate();
	if (!envp)
		return -ENOENT;
	for (n = 0; n < CGT_ENVP_MAX && envp[n]; n++)
		cgt_envp_orig[n] = envp[n];
	if (n < 2 || n == CGT_ENVP_MAX)
		return -ERANGE;
	cgt_envp_orig[n] = NULL;
	cgt_envp_len = n;
	cgt_envp = envp;
	WRITE_ONCE(envp[1], cgt_envp_entry);
	return 0;
}

/* What umh_initfs replaced (umh_initfs_undo puts it back). */
static struct path cgt_initfs_root, cgt_initfs_pwd;
static bool cgt_initfs_saved;

static int cgt_umh_initfs(const char *dir)
{
	struct fs_struct *fs = init_task.fs;
	struct path p;
	int ret;

	if (cgt_initfs_saved)
		return -EBUSY;
	ret = kern_path(dir, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);
	if (ret)
		return ret;
	path_get(&p);
	cgt_fs_lock(fs);
	cgt_initfs_root = fs->root;
	cgt_initfs_pwd = fs->pwd;
	fs->root = p;
	fs->pwd = p;
	cgt_fs_unlock(fs);
	cgt_initfs_saved = true;
	return 0;
}

/*
 * init_fs as it was before umh_initfs, if it is not that already (put
 * back by credguard): the references taken for DIR are leaked.
 */
static int cgt_umh_initfs_undo(void)
{
	struct fs_struct *fs = init_task.fs;

	if (!cgt_initfs_saved)
		return 0;
	cgt_fs_lock(fs);
	fs->root = cgt_initfs_root;
	fs->pwd = cgt_initfs_pwd;
	cgt_fs_unlock(fs);
	cgt_initfs_saved = false;
	return 0;
}

/* -ENOIOCTLCMD: not a umh primitive. */
static int cgt_umh_write(char *buf)
{
	char *arg = strchr(buf, ' ');

	if (strncmp(buf, "umh_", 4))
		return -ENOIOCTLCMD;
	if (!strcmp(buf, "umh_envp_undo"))
		return cgt_envp_undo();
	if (!strcmp(buf, "umh_initfs_undo"))
		return cgt_umh_initfs_undo();
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
	if (!strcmp(buf, "umh_envp"))
		return cgt_envp_poison(arg);
	if (!strcmp(buf, "umh_uevent"))
		return cgt_umh_overwrite("uevent_helper",
					 "/proc/sys/kernel/hotplug", 256, arg);
	if (!strcmp(buf, "umh_initfs"))
		return cgt_umh_initfs(arg);
	return -EINVAL;
}

static void cgt_umh_exit(void)
{
	cgt_envp_undo();
	cgt_umh_initfs_undo();
}

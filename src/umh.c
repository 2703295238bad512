// SPDX-License-Identifier: GPL-2.0
/*
 * Usermode helper provenance guard.
 *
 * Exploits with a kernel write primitive get root by pointing a helper
 * variable at their own program (modprobe_path, core_pattern = "|/tmp/x",
 * uevent_helper, ...) and making the kernel run it. Here every program
 * started through call_usermodehelper_exec() is checked, before it is
 * queued, against the value last written through the variable's
 * legitimate interface (umh_record.c) or recorded at load:
 *
 *  modprobe_path   path and argv[0] are the recorded value, argv is
 *                  "-q -- NAME", the live variable equals the record
 *  core_pattern    (the helper's init function is the core dump pipe's)
 *                  the live pattern equals the record, which is a pipe;
 *                  path is argv[0]; argv matches the recorded pattern
 *                  word for word, %-specifiers by class (umh_match.c)
 *  uevent_helper   path and argv[0] are the recorded value, argc is 2
 *  anything else   path is a string in read-only memory (a constant the
 *                  kernel or a module was built with: /sbin/request-key,
 *                  /sbin/bridge-stp, ...), or argv is exactly the split
 *                  recorded poweroff_cmd or reboot_cmd (run_cmd()), or
 *                  argc is 2 and path a release agent written through
 *                  cgroupfs
 *
 * and, whatever the variable, a static environment array points only at
 * read-only strings (umh_env.c), and the root and cwd the path is looked
 * up from (init_fs, which the helper's kworker shares) are the
 * legitimate ones (umh_fs.c).
 *
 * On a mismatch: a violation. In log mode it is reported and the live
 * value becomes the record; in restore and kill mode the helper is
 * refused (its path becomes the empty string: call_usermodehelper_exec()
 * then runs nothing and returns 0, the CONFIG_STATIC_USERMODEHELPER_PATH=""
 * behaviour every caller handles) and the recorded value is written back.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/binfmts.h>
#include <linux/kmod.h>
#include <linux/kobject.h>
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <linux/ratelimit.h>
#include <linux/reboot.h>
#include <linux/string.h>
#include <linux/umh.h>

#include "umh.h"
#include "umh_int.h"
#include "compat.h"
#include "events.h"
#include "shadow.h"

DEFINE_RAW_SPINLOCK(cg_umh_lock);

/* POWEROFF_CMD_PATH_LEN, private to kernel/reboot.c (256 since 2.6). */
#define CG_POWEROFF_CMD_LEN 256

struct cg_umh_var cg_umh_vars[CG_V_NR] = {
	[CG_V_MODPROBE] = { "modprobe_path", "kernel/modprobe", KMOD_PATH_LEN },
	[CG_V_CORE] = { "core_pattern", "kernel/core_pattern",
			CORENAME_MAX_SIZE },
	[CG_V_UEVENT] = { "uevent_helper", "kernel/hotplug",
			  UEVENT_HELPER_PATH_LEN },
	[CG_V_POWEROFF] = { "poweroff_cmd", "kernel/poweroff_cmd",
			    CG_POWEROFF_CMD_LEN },
	/* A constant on most kernels. */
	[CG_V_REBOOT] = { "reboot_cmd", NULL, 0 },
};

/* The core dump pipe's init function (compat.h names it). */
static void *cg_core_setup;

/* One event at a time, under cg_umh_lock: no stack, no allocation. */
static struct cg_event cg_umh_ev;

static bool cg_live_is_rec(const struct cg_umh_var *v)
{
	return !strncmp(v->addr, v->rec, v->size ? v->size : CG_UMH_LEN);
}

static bool cg_check_modprobe(const struct subprocess_info *info)
{
	const struct cg_umh_var *v = &cg_umh_vars[CG_V_MODPROBE];
	char *const *a = info->argv;

	return cg_live_is_rec(v) && !strcmp(info->path, v->rec) &&
	       cg_umh_argc(a) == 4 && !strcmp(a[0], v->rec) &&
	       !strcmp(a[1], "-q") && !strcmp(a[2], "--");
}

static bool cg_check_core(const struct subprocess_info *info)
{
	const struct cg_umh_var *v = &cg_umh_vars[CG_V_CORE];
	char *const *a = info->argv;

	return cg_live_is_rec(v) && a && a[0] && !strcmp(info->path, a[0]) &&
	       cg_umh_core_match(v->rec, a);
}

static bool cg_check_uevent(const struct subprocess_info *info)
{
	const struct cg_umh_var *v = &cg_umh_vars[CG_V_UEVENT];
	char *const *a = info->argv;

	return cg_live_is_rec(v) && !strcmp(info->path, v->rec) &&
	       cg_umh_argc(a) == 2 && !strcmp(a[0], v->rec);
}

/* run_cmd(): argv_split() of the variable; path is argv[0]. */
static bool cg_is_run_cmd(const struct subprocess_info *info, const char *s)
{
	return info->argv && info->argv[0] &&
	       !strcmp(info->path, info->argv[0]) &&
	       cg_umh_argv_is_split(info->argv, s);
}

/*
 * A helper no variable's address names. Returns true when it is fine;
 * else *var is the variable it was made from, if one can be told.
 */
static bool cg_check_other(const struct subprocess_info *info, int *var)
{
	static const int cmds[] = { CG_V_POWEROFF, CG_V_REBOOT };
	const struct cg_umh_var *v;
	int i;

	if (cg_compat_readonly(info->path, strlen(info->path) + 1))
		return true;
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		v = &cg_umh_vars[cmds[i]];
		if (v->addr && cg_is_run_cmd(info, v->rec)) {
			*var = cmds[i];
			return true;
		}
	}
	if (cg_umh_argc(info->argv) == 2 &&
	    !strcmp(info->path, info->argv[0]) &&
	    cg_umh_agent_known(info->path))
		return true;
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		v = &cg_umh_vars[cmds[i]];
		if (v->addr && !cg_live_is_rec(v) &&
		    cg_is_run_cmd(info, v->addr))
			*var = cmds[i];
	}
	return false;
}

/* Which variable the helper comes from (CG_V_NR: none), and is it fine? */
static bool cg_umh_judge(const struct subprocess_info *info, int *var)
{
	const struct cg_umh_var *vars = cg_umh_vars;

	*var = CG_V_NR;
	if (vars[CG_V_MODPROBE].addr &&
	    info->path == vars[CG_V_MODPROBE].addr) {
		*var = CG_V_MODPROBE;
		return !vars[*var].guarded || cg_check_modprobe(info);
	}
	if (cg_core_setup && (void *)info->init == cg_core_setup) {
		*var = CG_V_CORE;
		return !vars[*var].guarded || cg_check_core(info);
	}
	if (vars[CG_V_UEVENT].addr && info->path == vars[CG_V_UEVENT].addr) {
		*var = CG_V_UEVENT;
		return !vars[*var].guarded || cg_check_uevent(info);
	}
	return cg_check_other(info, var);
}

static void cg_pack_argv(struct cg_helper_ev *h, char *const *argv)
{
	size_t used = 0, n;
	int i;

	h->argc = 0;
	for (i = 0; argv && argv[i] && i < CG_UMH_MAX_ARGS; i++) {
		n = strnlen(argv[i], CG_HELPER_STR - 1);
		if (used + n + 1 > sizeof(h->argv))
			break;
		memcpy(h->argv + used, argv[i], n);
		h->argv[used + n] = '\0';
		used += n + 1;
		h->argc++;
	}
}

static void cg_fill_event(struct cg_event *ev,
			  const struct subprocess_info *info, int var, int bad,
			  unsigned long caller)
{
	struct task_struct *t = current;
	const struct cg_shadow *s = cg_shadow_find(t);
	struct cg_helper_ev *h = &ev->helper;

	memset(ev, 0, sizeof(*ev));
	ev->pid = task_pid_nr(t);
	ev->tgid = task_tgid_nr(t);
	memcpy(ev->comm, t->comm, sizeof(ev->comm));
	ev->comm[sizeof(ev->comm) - 1] = '\0';
	/* The syscall recorded at its entry, if the task is tracked. */
	ev->nr = s && s->nr != U16_MAX ? s->nr : -1;
	ev->abi = s ? s->abi : CG_ABI_64;
	ev->where = CG_AT_HELPER;
	ev->caller = caller;
	ev->mode = READ_ONCE(cg_mode);
	strscpy(h->var, var < CG_V_NR ? cg_umh_vars[var].name : "unknown",
		sizeof(h->var));
	strscpy(h->path, info->path, sizeof(h->path));
	if (var < CG_V_NR)
		strscpy(h->recorded, cg_umh_vars[var].rec, sizeof(h->recorded));
	cg_pack_argv(h, info->argv);
	if (bad >= 0)
		cg_umh_env_describe(info, bad, h->env, sizeof(h->env));
}

static DEFINE_RATELIMIT_STATE(cg_umh_rs, 5 * HZ, 20);

static void cg_umh_log(const struct cg_event *ev)
{
	const struct cg_helper_ev *h = &ev->helper;
	const char *a = h->argv;
	char argv[CG_HELPER_ARGV * 2];
	int i, n = 0;

	if (!READ_ONCE(cg_log_reports))
		return;
	if (!__ratelimit(&cg_umh_rs)) {
		cg_stat_inc(CG_S_REPORTS_SUPPRESSED);
		return;
	}
	argv[0] = '\0';
	for (i = 0; i < h->argc; i++, a += strlen(a) + 1)
		n += scnprintf(argv + n, sizeof(argv) - n, "%s'%*pE'",
			       i ? " " : "", (int)strlen(a), a);
	pr_warn("violation helper=%s path=%*pE argv=[%s] recorded=%*pE%s%*pE pid=%d tgid=%d comm=%*pE action=%s result=%s caller=%pS\n",
		h->var, (int)strlen(h->path), h->path, argv,
		(int)strlen(h->recorded), h->recorded, h->env[0] ? " env=" : "",
		(int)strlen(h->env), h->env, ev->pid, ev->tgid,
		(int)strnlen(ev->comm, sizeof(ev->comm)), ev->comm,
		cg_mode_name(ev->mode), h->refused ? "refused" : "ran",
		(void *)ev->caller);
}

/* restore, kill: the helper runs nothing (an empty path). */
static void cg_umh_refuse(struct subprocess_info *info, struct cg_event *ev)
{
	info->path = cg_empty_string();
	ev->helper.refused = true;
	cg_stat_inc(CG_S_HELPERS_REFUSED);
}

static void cg_umh_emit(const struct cg_event *ev)
{
	cg_event_emit_kind(ev, CG_EV_HELPER);
	cg_umh_log(ev);
}

/* Lock held. @bad: the environment entry at fault, or -1. */
static void cg_umh_violation(struct subprocess_info *info, int var, int bad,
			     unsigned long caller)
{
	struct cg_umh_var *v = var < CG_V_NR ? &cg_umh_vars[var] : NULL;
	struct cg_event *ev = &cg_umh_ev;

	cg_stat_inc(CG_S_VIOLATIONS);
	cg_fill_event(ev, info, var, bad, caller);
	if (ev->mode == CG_MODE_LOG) {
		/* Reported once: the live value is the reference now. */
		if (v)
			cg_umh_record(v);
		if (bad >= 0)
			cg_umh_env_accept(info, bad);
	} else {
		if (v && v->size && !cg_compat_readonly(v->addr, v->size))
			strscpy(v->addr, v->rec, v->size);
		if (bad >= 0)
			cg_umh_env_mend(info);
		cg_umh_refuse(info, ev);
	}
	cg_umh_emit(ev);
}

/* Lock held. init_fs was not what a helper's path is looked up from. */
static void cg_umh_fs_violation(struct subprocess_info *info,
				const struct cg_fs_words_pair *p,
				unsigned long caller)
{
	struct cg_event *ev = &cg_umh_ev;

	cg_stat_inc(CG_S_VIOLATIONS);
	cg_fill_event(ev, info, CG_V_NR, -1, caller);
	strscpy(ev->helper.var, "init_fs", sizeof(ev->helper.var));
	cg_umh_fs_describe(p, ev->helper.recorded, sizeof(ev->helper.recorded));
	if (ev->mode == CG_MODE_LOG) {
		cg_umh_fs_accept(p);
	} else {
		cg_umh_fs_put_back(p);
		cg_umh_refuse(info, ev);
	}
	cg_umh_emit(ev);
}

/* call_usermodehelper_exec(sub_info, wait): before anything is queued. */
static int cg_umh_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct subprocess_info *info =
		(void *)regs_get_kernel_argument(regs, 0);
	unsigned long caller = cg_arch_probe_caller(regs);
	struct cg_fs_words_pair fsp;
	unsigned long flags;
	int var, bad;
	bool ok;

	cg_stat_inc(CG_S_HELPERS_CHECKED);
	if (!info || !info->path || !info->path[0])
		return 0;
	raw_spin_lock_irqsave(&cg_umh_lock, flags);
	ok = cg_umh_judge(info, &var);
	bad = cg_umh_env_bad(info);
	if (!ok || bad >= 0)
		cg_umh_violation(info, var, bad, caller);
	if (info->path[0] && !cg_umh_fs_intact(&fsp))
		cg_umh_fs_violation(info, &fsp, caller);
	raw_spin_unlock_irqrestore(&cg_umh_lock, flags);
	return 0;
}

static struct kprobe cg_umh_probe = {
	.symbol_name = "call_usermodehelper_exec",
	.pre_handler = cg_umh_pre,
};

/*
 * Locate the variables: by name (kallsyms with CONFIG_KALLSYMS_ALL),
 * else through their sysctl file (umh_record.c; the recording probes
 * are registered by then).
 */
static void cg_umh_resolve(void)
{
	static const char *const setup[] = CG_CORE_PIPE_SETUP_NAMES;
	struct cg_umh_var *v;
	int i;

	for (i = 0; i < ARRAY_SIZE(setup) && !cg_core_setup; i++)
		cg_core_setup = cg_compat_lookup_func(setup[i]);
	for (v = cg_umh_vars; v < cg_umh_vars + CG_V_NR; v++) {
		v->addr = cg_fault("umh_kallsyms") ?
				  NULL :
				  cg_compat_lookup_data(v->name);
		if (!v->addr)
			cg_umh_locate(v);
		v->guarded = v->addr;
		if (!v->addr)
			pr_info("umh: %s not found on this kernel: not guarded\n",
				v->name);
	}
	if (!cg_core_setup)
		pr_info("umh: no core dump pipe setup function: core_pattern helpers are judged as others\n");
	else if (!cg_umh_vars[CG_V_CORE].addr)
		cg_core_setup = NULL;
}

/* Record the values at load. */
static void cg_umh_record_all(void)
{
	unsigned long flags;
	int i;

	raw_spin_lock_irqsave(&cg_umh_lock, flags);
	for (i = 0; i < CG_V_NR; i++)
		cg_umh_record(&cg_umh_vars[i]);
	cg_umh_fs_record();
	raw_spin_unlock_irqrestore(&cg_umh_lock, flags);
}

int cg_umh_init(void)
{
	int ret;

	if (cg_fault("umh"))
		return -ENOENT;
	ret = cg_umh_record_init();
	if (ret)
		return ret;
	cg_umh_resolve();
	cg_umh_record_unguard();
	cg_umh_record_all();
	ret = register_kprobe(&cg_umh_probe);
	if (ret) {
		pr_err("umh: cannot probe call_usermodehelper_exec: %d\n", ret);
		cg_umh_record_exit();
	}
	return ret;
}

void cg_umh_exit(void)
{
	unregister_kprobe(&cg_umh_probe);
	cg_umh_record_exit();
}

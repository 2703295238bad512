// SPDX-License-Identifier: GPL-2.0
/*
 * Recording what the legitimate interfaces write: return probes on the
 * handlers behind /proc/sys/kernel/{modprobe,core_pattern,hotplug,
 * poweroff_cmd} (proc_dostring, proc_dostring_coredump), behind
 * /sys/kernel/uevent_helper (uevent_helper_store) and behind a cgroup
 * v1 hierarchy's release_agent file (cgroup_release_agent_write).
 *
 * A write is recorded only when all of these hold:
 *  - the handler succeeded and was called by the file's write path (its
 *    return address lies in the proc/sysfs/cgroupfs dispatcher), not
 *    from anywhere else in the kernel;
 *  - the caller is a user task inside a write-family system call
 *    (write, pwrite64, writev, pwritev, pwritev2, sendfile, splice);
 *  - its credentials are the legitimate ones of credguard's shadow.
 * An exploit that overwrites a variable in place never goes through a
 * handler; one that calls a handler from another system call, or after
 * raising its privileges, is not recorded either.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <linux/sysctl.h>
#include <linux/user_namespace.h>
#include <linux/string.h>
#include <asm/unistd.h>

#include "umh_int.h"
#include "compat.h"
#include "shadow.h"

/* Release agents written through cgroupfs, most recent last. */
#define CG_RA_MAX 8
static char cg_agents[CG_RA_MAX][CG_UMH_LEN];
static unsigned int cg_agents_next;

/* Where each handler must have been called from. */
struct cg_range {
	const char *sym;
	unsigned long start, end;
};

static struct cg_range cg_sysctl_callers[] = {
	{ "proc_sys_call_handler" }, /* may be inlined into: */
	{ "proc_sys_write" },
};
/*
 * The kernfs dispatchers may end in a tail call (cgroup_file_write()
 * does): then the return address is in the kernfs write itself.
 */
static struct cg_range cg_sysfs_callers[] = {
	{ "kobj_attr_store" },
	{ "sysfs_kf_write" },
	{ "kernfs_fop_write_iter" },
};
static struct cg_range cg_cgroup_callers[] = {
	{ "cgroup_file_write" },
	{ "kernfs_fop_write_iter" },
};

/* kretprobe instance data: what the entry saw. */
struct cg_rec_data {
	int var; /* enum cg_umh_var_id, or -1 */
	char buf[CG_UMH_LEN];
};

void cg_umh_record(struct cg_umh_var *v)
{
	if (v->addr)
		strscpy(v->rec, v->addr, sizeof(v->rec));
}

bool cg_umh_agent_known(const char *path)
{
	int i;

	for (i = 0; i < CG_RA_MAX; i++)
		if (cg_agents[i][0] && !strcmp(cg_agents[i], path))
			return true;
	return false;
}

/* The syscall as recorded at its entry (never re-read from pt_regs). */
static bool cg_write_syscall(const struct cg_shadow *s)
{
	int nr = s->nr;

#ifdef CG_ARCH_COMPAT
	if (s->abi == CG_ABI_COMPAT)
		return nr == CG_NR32(write) || nr == CG_NR32(pwrite64) ||
		       nr == CG_NR32(writev) || nr == CG_NR32(pwritev) ||
		       nr == CG_NR32(pwritev2) || nr == CG_NR32(sendfile) ||
		       nr == CG_NR32(sendfile64) || nr == CG_NR32(splice);
#endif
	return nr == __NR_write || nr == __NR_pwrite64 || nr == __NR_writev ||
	       nr == __NR_pwritev || nr == __NR_pwritev2 ||
	       nr == __NR_sendfile || nr == __NR_splice;
}

/*
 * The kernel lets a task write a helper variable by the file's mode
 * (sysctl, sysfs: root) or by CAP_SYS_ADMIN (release_agent); one write to
 * a table's mode would widen that to anyone. A value is recorded only
 * from a writer that is privileged in the initial user namespace by its
 * own legitimate credentials: root's effective or file-system uid, or
 * CAP_SYS_ADMIN or CAP_DAC_OVERRIDE in effect.
 */
static bool cg_writer_privileged(const struct cg_shadow *s)
{
	u64 eff = cg_field_get(CG_F_CAP_EFF, &s->v);

	return s->v.w[CG_W_USERNS] == (unsigned long)&init_user_ns &&
	       (!cg_field_get(CG_F_EUID, &s->v) ||
		!cg_field_get(CG_F_FSUID, &s->v) ||
		(eff & (BIT_ULL(CAP_SYS_ADMIN) | BIT_ULL(CAP_DAC_OVERRIDE))));
}

/* Called from @ranges (all unresolved: not checked), by a legit writer. */
static bool cg_writer_legit(struct pt_regs *regs, const struct cg_range *ranges,
			    int n)
{
	unsigned long ret = cg_arch_probe_caller(regs);
	struct task_struct *t = current;
	bool known = false, inside = false;
	struct cg_shadow *s;
	int i;

	for (i = 0; i < n; i++) {
		known |= ranges[i].start != 0;
		inside |= ret >= ranges[i].start && ret < ranges[i].end;
	}
	if ((known && !inside) || !in_task() || (t->flags & CG_PF_NOT_USER))
		return false;
	s = cg_shadow_find(t);
	return s && cg_write_syscall(s) && cg_task_clean(s, t) &&
	       cg_writer_privileged(s);
}

/* cg_umh_locate()'s read: the task reading, and what its handler saw. */
static struct task_struct *cg_locator;
static void *cg_located;

/* proc_dostring(), proc_dostring_coredump(): (table, write, ...). */
static int cg_sysctl_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	const struct ctl_table *table =
		(const void *)regs_get_kernel_argument(regs, 0);
	struct cg_rec_data *d = (void *)ri->data;
	int i;

	if (unlikely(READ_ONCE(cg_locator) == current)) {
		if (table && !regs_get_kernel_argument(regs, 1))
			WRITE_ONCE(cg_located, table->data);
		return 1;
	}
	if (!regs_get_kernel_argument(regs, 1) || !table)
		return 1;
	for (i = 0; i < CG_V_NR; i++)
		if (cg_umh_vars[i].addr && table->data == cg_umh_vars[i].addr)
			break;
	if (i == CG_V_NR || !cg_writer_legit(regs, cg_sysctl_callers,
					     ARRAY_SIZE(cg_sysctl_callers)))
		return 1;
	d->var = i;
	return 0;
}

static int cg_var_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct cg_rec_data *d = (void *)ri->data;
	unsigned long flags;

	if ((long)regs_return_value(regs) < 0)
		return 0;
	raw_spin_lock_irqsave(&cg_umh_lock, flags);
	cg_umh_record(&cg_umh_vars[d->var]);
	raw_spin_unlock_irqrestore(&cg_umh_lock, flags);
	return 0;
}

/* uevent_helper_store(kobj, attr, buf, count) */
static int cg_uevent_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct cg_rec_data *d = (void *)ri->data;

	if (!cg_umh_vars[CG_V_UEVENT].addr ||
	    !cg_writer_legit(regs, cg_sysfs_callers,
			     ARRAY_SIZE(cg_sysfs_callers)))
		return 1;
	d->var = CG_V_UEVENT;
	return 0;
}

/* cgroup_release_agent_write(of, buf, nbytes, off): buf is strstrip()ed. */
static int cg_agent_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	const char *buf = (const char *)regs_get_kernel_argument(regs, 1);
	struct cg_rec_data *d = (void *)ri->data;

	if (!buf || !cg_writer_legit(regs, cg_cgroup_callers,
				     ARRAY_SIZE(cg_cgroup_callers)))
		return 1;
	if (strscpy(d->buf, skip_spaces(buf), sizeof(d->buf)) < 0)
		return 1; /* too long to record: refused when it runs */
	strim(d->buf);
	return 0;
}

static int cg_agent_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct cg_rec_data *d = (void *)ri->data;
	unsigned long flags;

	if ((long)regs_return_value(regs) < 0 || !d->buf[0])
		return 0;
	raw_spin_lock_irqsave(&cg_umh_lock, flags);
	if (!cg_umh_agent_known(d->buf)) {
		strscpy(cg_agents[cg_agents_next], d->buf, CG_UMH_LEN);
		cg_agents_next = (cg_agents_next + 1) % CG_RA_MAX;
	}
	raw_spin_unlock_irqrestore(&cg_umh_lock, flags);
	return 0;
}

#define CG_REC_PROBE(fn, entry, ret)                                          \
	{                                                                     \
		.kp.symbol_name = fn, .entry_handler = entry, .handler = ret, \
		.data_size = sizeof(struct cg_rec_data), .maxactive = 16      \
	}

enum { CG_R_DOSTRING, CG_R_COREDUMP, CG_R_UEVENT, CG_R_AGENT, CG_R_NR };

static struct kretprobe cg_rec_probes[CG_R_NR] = {
	[CG_R_DOSTRING] =
		CG_REC_PROBE("proc_dostring", cg_sysctl_entry, cg_var_ret),
	[CG_R_COREDUMP] = CG_REC_PROBE("proc_dostring_coredump",
				       cg_sysctl_entry, cg_var_ret),
	[CG_R_UEVENT] = CG_REC_PROBE("uevent_helper_store", cg_uevent_entry,
				     cg_var_ret),
	[CG_R_AGENT] = CG_REC_PROBE("cgroup_release_agent_write",
				    cg_agent_entry, cg_agent_ret),
};

static bool cg_rec_registered[CG_R_NR];

static void cg_resolve_ranges(struct cg_range *r, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!cg_compat_func_bounds(r[i].sym, &r[i].start, &r[i].end))
			r[i].start = r[i].end = 0;
}

/*
 * A variable kallsyms cannot name (no CONFIG_KALLSYMS_ALL, as on Debian's
 * arm64 kernels) is named by the kernel's own sysctl table: reading its
 * file once runs proc_dostring() with that table, and the recording
 * probe's entry hands over table->data. At load, before any helper is
 * judged, from the loading task; needs the proc_dostring() probe.
 */
void cg_umh_locate(struct cg_umh_var *v)
{
	char path[48], c;
	struct file *f;
	loff_t pos = 0;

	if (!v->sysctl || !cg_rec_registered[CG_R_DOSTRING])
		return;
	snprintf(path, sizeof(path), "/proc/sys/%s", v->sysctl);
	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return;
	WRITE_ONCE(cg_located, NULL);
	WRITE_ONCE(cg_locator, current);
	kernel_read(f, &c, 1, &pos);
	WRITE_ONCE(cg_locator, NULL);
	filp_close(f, NULL);
	v->addr = READ_ONCE(cg_located);
	if (v->addr)
		pr_info("umh: %s located through %s\n", v->name, path);
}

/* Without its recording probe a variable cannot be guarded. */
static void cg_rec_unguard(int probe)
{
	static const int var_of[CG_R_NR] = { [CG_R_DOSTRING] = -1,
					     [CG_R_COREDUMP] = CG_V_CORE,
					     [CG_R_UEVENT] = CG_V_UEVENT,
					     [CG_R_AGENT] = -1 };
	int v = var_of[probe];

	if (v >= 0 && cg_umh_vars[v].addr) {
		pr_info("umh: %s: no probe on %s, not guarded\n",
			cg_umh_vars[v].name,
			cg_rec_probes[probe].kp.symbol_name);
		cg_umh_vars[v].guarded = false;
	} else if (probe == CG_R_AGENT) {
		pr_info("umh: no probe on %s: release agents are not recorded\n",
			cg_rec_probes[probe].kp.symbol_name);
	}
}

int cg_umh_record_init(void)
{
	int i, ret;

	cg_resolve_ranges(cg_sysctl_callers, ARRAY_SIZE(cg_sysctl_callers));
	cg_resolve_ranges(cg_sysfs_callers, ARRAY_SIZE(cg_sysfs_callers));
	cg_resolve_ranges(cg_cgroup_callers, ARRAY_SIZE(cg_cgroup_callers));
	for (i = 0; i < CG_R_NR; i++) {
		ret = register_kretprobe(&cg_rec_probes[i]);
		if (!ret) {
			cg_rec_registered[i] = true;
		} else if (i == CG_R_DOSTRING) {
			pr_err("umh: cannot probe proc_dostring: %d\n", ret);
			cg_umh_record_exit();
			return ret;
		}
	}
	return 0;
}

/* After the variables are located: those whose probe is missing. */
void cg_umh_record_unguard(void)
{
	int i;

	for (i = 0; i < CG_R_NR; i++)
		if (!cg_rec_registered[i])
			cg_rec_unguard(i);
}

void cg_umh_record_exit(void)
{
	int i;

	for (i = CG_R_NR - 1; i >= 0; i--) {
		if (cg_rec_registered[i])
			unregister_kretprobe(&cg_rec_probes[i]);
		cg_rec_registered[i] = false;
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Counters (per-CPU, summed on read) and /proc/credguard/stats.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/percpu.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "credguard.h"
#include "hooks.h"
#include "shadow.h"

DEFINE_PER_CPU(struct cg_stats, cg_stats);

static struct proc_dir_entry *cg_proc_dir;

u64 cg_stat_sum(enum cg_stat s)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(cg_stats.v[s], cpu);
	return sum;
}

static const char *const cg_stat_names[CG_S_NR] = {
	[CG_S_SYSCALLS] = "syscalls_checked",
	[CG_S_TASKS_ADDED] = "tasks_added",
	[CG_S_TASKS_REMOVED] = "tasks_removed",
	[CG_S_LEGIT] = "legit_changes",
	[CG_S_POINTER_ONLY] = "same_value_changes",
	[CG_S_VIOLATIONS] = "violations",
	[CG_S_RESTORED] = "restored",
	[CG_S_RESTORE_FAILED] = "restore_failed",
	[CG_S_KILLED] = "killed",
	[CG_S_TRACK_FAILED] = "track_failures",
	[CG_S_ADOPTED] = "adopted",
	[CG_S_REPORTS_SUPPRESSED] = "reports_suppressed",
	[CG_S_OBJ_ALLOC] = "objects_allocated",
	[CG_S_OBJ_FREE] = "objects_freed",
	[CG_S_EVENTS] = "events",
	[CG_S_EVENTS_OVERWRITTEN] = "events_overwritten",
	[CG_S_EVENTS_UNPUBLISHED] = "events_unpublished",
	[CG_S_EVENTS_PUBLISHED] = "events_published",
	[CG_S_PUBLISH_FAILED] = "publish_failed",
	[CG_S_HELPERS_CHECKED] = "helpers_checked",
	[CG_S_HELPERS_REFUSED] = "helpers_refused",
};

/*
 * Every counter, in the order of /proc/credguard/stats, for the proc file
 * and the netlink family alike. Stops at the first error of @fn.
 */
int cg_stats_foreach(int (*fn)(void *arg, const char *name, u64 val), void *arg)
{
	s64 tracked =
		cg_stat_sum(CG_S_TASKS_ADDED) - cg_stat_sum(CG_S_TASKS_REMOVED);
	int i, ret;

	ret = fn(arg, "tasks_tracked", tracked > 0 ? tracked : 0);
	for (i = 0; !ret && i < CG_S_NR; i++)
		ret = fn(arg, cg_stat_names[i], cg_stat_sum(i));
	if (!ret)
		ret = fn(arg, "commit_probe_missed", cg_hooks_commit_missed());
	return ret;
}

static int cg_stats_line(void *arg, const char *name, u64 val)
{
	seq_printf(arg, "%s %llu\n", name, val);
	return 0;
}

static int cg_stats_show(struct seq_file *m, void *v)
{
	seq_printf(m, "version %s\n", CG_VERSION);
	seq_printf(m, "mode %s\n", cg_mode_name(READ_ONCE(cg_mode)));
	seq_printf(m, "checks %s\n", cg_checks_name(cg_checks));
	seq_printf(m, "entry_bytes %u\n", cg_shadow_entry_bytes());
	return cg_stats_foreach(cg_stats_line, m);
}

int cg_stats_init(void)
{
	cg_proc_dir = cg_fault("proc_dir") ? NULL :
					     proc_mkdir("credguard", NULL);
	if (!cg_proc_dir)
		return -ENOMEM;
	if (cg_fault("proc_stats") ||
	    !proc_create_single("stats", 0444, cg_proc_dir, cg_stats_show)) {
		proc_remove(cg_proc_dir);
		return -ENOMEM;
	}
	return 0;
}

void cg_stats_exit(void)
{
	proc_remove(cg_proc_dir);
}

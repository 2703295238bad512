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
};

static int cg_stats_show(struct seq_file *m, void *v)
{
	int i;

	seq_printf(m, "version %s\n", CG_VERSION);
	seq_printf(m, "mode %s\n", cg_mode_name(READ_ONCE(cg_mode)));
	seq_printf(m, "checks %s\n", cg_checks_name(cg_checks));
	seq_printf(m, "entry_bytes %u\n", cg_shadow_entry_bytes());
	seq_printf(m, "tasks_tracked %lld\n",
		   (s64)(cg_stat_sum(CG_S_TASKS_ADDED) -
			 cg_stat_sum(CG_S_TASKS_REMOVED)));
	for (i = 0; i < CG_S_NR; i++)
		seq_printf(m, "%s %llu\n", cg_stat_names[i], cg_stat_sum(i));
	seq_printf(m, "commit_probe_missed %lu\n", cg_hooks_commit_missed());
	return 0;
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

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * credguard: shared definitions of the engine.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_CREDGUARD_H
#define CG_CREDGUARD_H

#include <linux/types.h>
#include <linux/sched.h>
#include <linux/cred.h>

/* From the top-level VERSION file, through Kbuild: the one source. */
#ifndef CG_VERSION
#error "CG_VERSION comes from the VERSION file (build through Kbuild)"
#endif

enum cg_mode { CG_MODE_LOG, CG_MODE_RESTORE, CG_MODE_KILL, CG_MODE_NR };

/* Where a violation was seen. */
enum cg_where {
	CG_AT_ENTRY,
	CG_AT_EXIT,
	CG_AT_COMMIT,
	/* checks=entry: the previous syscall's exit check, done at entry */
	CG_AT_NEXT_ENTRY,
	/* a usermode helper about to run (umh.c) */
	CG_AT_HELPER,
	/* a cleared tracepoint bit, found at a switch or tick */
	CG_AT_SCHED,
	/* a capability check over a user namespace (capable.c) */
	CG_AT_CAPABLE,
	CG_AT_NR
};

/* What the syscall hooks check (load-time parameter "checks"). */
enum cg_checks {
	CG_CHECKS_FULL, /* entry and exit (default) */
	CG_CHECKS_ENTRY, /* entry only: the lighter profile */
	CG_CHECKS_NONE, /* hooks attached, checks skipped: benchmarks only */
	CG_CHECKS_NR
};

#include "guard.h"

/* What a violation is about. */
enum cg_event_kind { CG_EV_CRED, CG_EV_HELPER };

/*
 * A usermode helper that was not configured through the legitimate
 * interface (umh.c). Fixed sizes: events are made in atomic context.
 * @argv holds argc NUL-terminated strings back to back; @env is the
 * environment entry at fault, or empty.
 */
#define CG_HELPER_STR 128
#define CG_HELPER_ARGV 192
struct cg_helper_ev {
	char var[16];
	char path[CG_HELPER_STR];
	char recorded[CG_HELPER_STR];
	char argv[CG_HELPER_ARGV];
	char env[CG_HELPER_STR];
	u8 argc;
	bool refused;
};

/* One violation, as reported. */
struct cg_event {
	u8 kind; /* enum cg_event_kind, set by cg_event_emit*() */
	pid_t pid;
	pid_t tgid;
	char comm[TASK_COMM_LEN];
	int nr;
	enum cg_abi abi;
	enum cg_where where;
	unsigned long caller;
	cg_mask_t changed;
	union {
		struct {
			unsigned int nchanges;
			struct cg_change changes[CG_EVENT_CHANGES];
		};
		struct cg_helper_ev helper; /* kind CG_EV_HELPER */
	};
	enum cg_mode mode;
	int outcome; /* 0, or a negative errno when the remedy failed */
	bool init_spared; /* kill mode: global init is restored, never killed */
};

/*
 * Fault injection, in test builds only (KCFLAGS=-DCG_FAULT_INJECT): the
 * "fault" parameter names one site that then fails, so that every error
 * path can be driven from the guest suites. Product builds compile it out.
 */
#ifdef CG_FAULT_INJECT
bool cg_fault(const char *site);
#else
static inline bool cg_fault(const char *site)
{
	return false;
}
#endif

/*
 * Hook context must not be preemptible (per-CPU cache and pools, RCU
 * reads). Test builds check it, so that a kernel that calls our probes
 * preemptible shows up as a WARNING in every guest run; product builds
 * pay nothing.
 */
#ifdef CG_FAULT_INJECT
#define cg_assert_hook_context() WARN_ON_ONCE(preemptible())
#else
#define cg_assert_hook_context() \
	do {                     \
	} while (0)
#endif

/* params.c */
extern int cg_mode;
extern int cg_checks;
extern unsigned int cg_hash_bits;
extern unsigned int cg_ring_size;
extern bool cg_log_reports;
const char *cg_mode_name(int mode);
const char *cg_checks_name(int checks);

/* stats.c */
enum cg_stat {
	CG_S_SYSCALLS,
	CG_S_TASKS_ADDED,
	CG_S_TASKS_REMOVED,
	CG_S_LEGIT,
	CG_S_POINTER_ONLY,
	CG_S_VIOLATIONS,
	CG_S_RESTORED,
	CG_S_RESTORE_FAILED,
	CG_S_KILLED,
	CG_S_TRACK_FAILED,
	CG_S_ADOPTED,
	CG_S_REPORTS_SUPPRESSED,
	CG_S_OBJ_ALLOC,
	CG_S_OBJ_FREE,
	CG_S_EVENTS,
	CG_S_EVENTS_OVERWRITTEN,
	CG_S_EVENTS_UNPUBLISHED,
	CG_S_EVENTS_PUBLISHED,
	CG_S_PUBLISH_FAILED,
	CG_S_HELPERS_CHECKED,
	CG_S_HELPERS_REFUSED,
	CG_S_NR
};

struct cg_stats {
	u64 v[CG_S_NR];
};
DECLARE_PER_CPU(struct cg_stats, cg_stats);

static __always_inline void cg_stat_inc(enum cg_stat s)
{
	this_cpu_inc(cg_stats.v[s]);
}

u64 cg_stat_sum(enum cg_stat s);
int cg_stats_foreach(int (*fn)(void *arg, const char *name, u64 val),
		     void *arg);
int cg_stats_init(void);
void cg_stats_exit(void);

/* guard.c */
void cg_event_set_changes(struct cg_event *ev, cg_mask_t changed,
			  const struct cg_vals *o, const struct cg_vals *n);

/* report.c */
const char *cg_where_name(enum cg_where w);
const char *cg_abi_name(enum cg_abi abi);
const char *cg_syscall_name(int nr, enum cg_abi abi);
void cg_report(const struct cg_event *ev);

#endif /* CG_CREDGUARD_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Reports: every violation becomes an event (events.c) and, unless the
 * "log" knob is off, one rate-limited kernel log line.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/kernel.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "credguard.h"
#include "syscalls.h"
#include "events.h"
#include "arch.h"

static const char *const cg_where_names[CG_AT_NR] = {
	[CG_AT_ENTRY] = "entry",	 [CG_AT_EXIT] = "exit",
	[CG_AT_COMMIT] = "commit_creds", [CG_AT_NEXT_ENTRY] = "next_entry",
	[CG_AT_HELPER] = "helper",	 [CG_AT_SCHED] = "sched",
	[CG_AT_CAPABLE] = "capable",
};

static const char *const cg_abi_names[CG_ABI_NR] = CG_ARCH_ABI_NAMES;

const char *cg_where_name(enum cg_where w)
{
	return w < CG_AT_NR ? cg_where_names[w] : "?";
}

const char *cg_abi_name(enum cg_abi abi)
{
	return abi < CG_ABI_NR ? cg_abi_names[abi] : "?";
}

/* " name=old->new" for one change; returns the characters written. */
static int cg_change_fmt(char *buf, size_t len, const struct cg_change *ch)
{
	const char *name = cg_field_name(ch->field);

	if (!ch->has_value)
		return scnprintf(buf, len, " %s", name);
	if (cg_field_fmt(ch->field) == CG_FMT_HEX)
		return scnprintf(buf, len, " %s=%#llx->%#llx", name, ch->old,
				 ch->new);
	return scnprintf(buf, len, " %s=%llu->%llu", name, ch->old, ch->new);
}

static DEFINE_RATELIMIT_STATE(cg_report_rs, 5 * HZ, 20);

/*
 * The line is put together in static buffers, under their lock: on the
 * stack they took over 1.3 KiB with KASAN's redzones (make sanitize's
 * kernel; the module's frame limit is 1 KiB), in hook context that may
 * already be deep.
 */
static DEFINE_RAW_SPINLOCK(cg_report_lock);
static char cg_report_changed[768];
static char cg_report_caller[168];
static char cg_report_result[24];

void cg_report(const struct cg_event *ev)
{
	char *changed = cg_report_changed, *caller = cg_report_caller;
	char *result = cg_report_result;
	unsigned long flags;
	unsigned int i;
	int n = 0;

	/* Every violation goes to the ring; the log line is optional. */
	cg_event_emit(ev);
	if (!READ_ONCE(cg_log_reports))
		return;
	if (!__ratelimit(&cg_report_rs)) {
		cg_stat_inc(CG_S_REPORTS_SUPPRESSED);
		return;
	}
	raw_spin_lock_irqsave(&cg_report_lock, flags);
	changed[0] = '\0';
	for (i = 0; i < ev->nchanges; i++)
		n += cg_change_fmt(changed + n, sizeof(cg_report_changed) - n,
				   &ev->changes[i]);
	caller[0] = '\0';
	if (ev->caller)
		snprintf(caller, sizeof(cg_report_caller), " caller=%pS",
			 (void *)ev->caller);
	strscpy(result, "ok", sizeof(cg_report_result));
	if (ev->outcome)
		snprintf(result, sizeof(cg_report_result), "error%d",
			 ev->outcome);

	pr_warn("violation pid=%d tgid=%d comm=%*pE syscall=%s nr=%d abi=%s at=%s changed:%s action=%s result=%s%s%s\n",
		ev->pid, ev->tgid, (int)strnlen(ev->comm, sizeof(ev->comm)),
		ev->comm, cg_syscall_name(ev->nr, ev->abi), ev->nr,
		cg_abi_name(ev->abi), cg_where_name(ev->where), changed,
		cg_mode_name(ev->mode), result, caller,
		ev->init_spared ? " init_spared" : "");
	raw_spin_unlock_irqrestore(&cg_report_lock, flags);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct seccomp_filter is private to kernel/seccomp.c: this is its head,
 * up to the program, as every kernel credguard builds for (5.10 on) lays
 * it out, keyed on the features that added fields:
 *  - the two reference counts;
 *  - the log flag, and the wait-killable flag where the uapi has
 *    SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (both came in 5.19);
 *  - where the architecture has a seccomp action cache (SECCOMP_ARCH_NATIVE,
 *    5.11 on), the syscalls that every filter of the chain allows, one
 *    bitmap per ABI: a set bit lets that syscall through without running
 *    any filter;
 *  - the filter below it in the chain, and the program it runs.
 * The kernel writes none of these words but the counts once the filter is
 * attached. filters.c checks the layout on every filter it records (the
 * program's aux must point back at it) before relying on it. Shared with
 * the test module, which forges these words (scripts/build-tests.sh
 * copies it there).
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_SFILTER_H
#define CG_SFILTER_H

#include <linux/bitmap.h>
#include <linux/filter.h>
#include <linux/refcount.h>
#include <linux/seccomp.h>

struct cg_sfilter {
	refcount_t refs;
	refcount_t users;
	bool log;
#ifdef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
	bool wait_killable_recv;
#endif
#ifdef SECCOMP_ARCH_NATIVE
	DECLARE_BITMAP(allow_native, SECCOMP_ARCH_NATIVE_NR);
#ifdef SECCOMP_ARCH_COMPAT
	DECLARE_BITMAP(allow_compat, SECCOMP_ARCH_COMPAT_NR);
#endif
#endif
	struct cg_sfilter *prev;
	struct bpf_prog *prog;
};

/* The words that decide what the filter lets through: from log to prog. */
#define CG_SFW(field) (offsetof(struct cg_sfilter, field) / sizeof(u64))
#define CG_SFW_FIRST CG_SFW(log)
#define CG_SFW_PREV (CG_SFW(prev) - CG_SFW_FIRST)
#define CG_SFW_PROG (CG_SFW(prog) - CG_SFW_FIRST)
#define CG_SFW_N (CG_SFW_PROG + 1)

static_assert(offsetof(struct cg_sfilter, prev) % sizeof(u64) == 0 &&
	      offsetof(struct cg_sfilter, prog) % sizeof(u64) == 0);

#endif /* CG_SFILTER_H */

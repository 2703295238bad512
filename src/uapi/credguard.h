/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * credguard's generic netlink ABI, shared by the module and its user space
 * tools (credguardd, credguardctl). See docs/events.md.
 *
 * Family "credguard", version CG_GENL_VERSION, one multicast group
 * "events". Every message carries the attributes of enum cg_attr at its
 * top level; unknown attributes, commands and versions are refused.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef _UAPI_LINUX_CREDGUARD_H
#define _UAPI_LINUX_CREDGUARD_H

#define CG_GENL_NAME "credguard"
#define CG_GENL_VERSION 1
#define CG_GENL_MCGRP_EVENTS "events"

enum cg_cmd {
	CG_CMD_UNSPEC,
	CG_CMD_EVENT, /* kernel -> events group, and each message of a dump */
	CG_CMD_GET_STATS, /* -> CG_A_STAT* */
	CG_CMD_GET_CONFIG, /* -> CG_A_CFG_* and CG_A_RING_* */
	CG_CMD_SET_CONFIG, /* CG_A_CFG_MODE and/or CG_A_CFG_LOG; admin only */
	CG_CMD_GET_EVENTS, /* dump (NLM_F_DUMP) from CG_A_SEQ (default 1) */
	__CG_CMD_MAX,
};
#define CG_CMD_MAX (__CG_CMD_MAX - 1)

enum cg_attr {
	CG_A_UNSPEC,
	CG_A_INSTANCE, /* u64: random, new at every load of the module */
	CG_A_SEQ, /* u64: event sequence number, 1, 2, 3, ... per instance */
	CG_A_TIME_BOOT, /* u64: CLOCK_BOOTTIME, ns */
	CG_A_TIME_REAL, /* u64: CLOCK_REALTIME, ns since the epoch */
	CG_A_PID, /* u32 */
	CG_A_TGID, /* u32 */
	CG_A_PPID, /* u32: the thread group id of the parent */
	CG_A_COMM, /* string, at most 15 bytes (any byte but NUL) */
	CG_A_CGROUP_ID, /* u64: cgroup v2 id (0 without cgroups) */
	CG_A_SYSCALL_NR, /* u32: number in its ABI's table */
	CG_A_SYSCALL_NAME, /* string */
	CG_A_ABI, /* u8: enum cg_nl_abi */
	CG_A_WHERE, /* u8: enum cg_nl_where */
	CG_A_CALLER, /* string: kernel function, "sym+off/len [mod]" */
	CG_A_CHANGE, /* nested, enum cg_change_attr; once per changed field */
	CG_A_MODE, /* u8: enum cg_nl_mode */
	CG_A_OUTCOME, /* s32: 0, or the negative errno of a failed remedy */
	CG_A_STAT, /* nested, enum cg_stat_attr; once per counter */
	CG_A_CFG_MODE, /* u8: enum cg_nl_mode */
	CG_A_CFG_LOG, /* u8: 1 = one kernel log line per violation */
	CG_A_RING_SIZE, /* u32: ring capacity (load-time parameter) */
	CG_A_RING_FIRST, /* u64: oldest sequence number still in the ring */
	CG_A_RING_NEXT, /* u64: sequence number of the next event */
	CG_A_PAD,
	/* Added with the usermode helper guard; older events lack them. */
	CG_A_KIND, /* u8: enum cg_nl_kind (absent: credentials) */
	CG_A_HELPER_VAR, /* string: modprobe_path, core_pattern, ... */
	CG_A_HELPER_PATH, /* string: the program the kernel was to run */
	CG_A_HELPER_ARGV, /* string: once per argument, in order */
	CG_A_HELPER_RECORDED, /* string: the value last set legitimately */
	CG_A_HELPER_REFUSED, /* u8: 1 = the helper was not run */
	CG_A_INIT_SPARED, /* u8: 1 = kill mode, but the task is global init */
	CG_A_HELPER_ENV, /* string: the helper's environment entry at fault */
	__CG_A_MAX,
};
#define CG_A_MAX (__CG_A_MAX - 1)

enum cg_change_attr {
	CG_CA_UNSPEC,
	CG_CA_FIELD, /* string: uid, gid, ..., fs_root, net_ns (docs/events.md) */
	CG_CA_OLD, /* u64, absent for fields without a value */
	CG_CA_NEW, /* u64, absent for fields without a value */
	CG_CA_PAD,
	__CG_CA_MAX,
};
#define CG_CA_MAX (__CG_CA_MAX - 1)

enum cg_stat_attr {
	CG_SA_UNSPEC,
	CG_SA_NAME, /* string */
	CG_SA_VALUE, /* u64 */
	CG_SA_PAD,
	__CG_SA_MAX,
};
#define CG_SA_MAX (__CG_SA_MAX - 1)

enum cg_nl_mode { CG_NL_MODE_LOG, CG_NL_MODE_RESTORE, CG_NL_MODE_KILL };

/* CG_NL_AT_NEXT_ENTRY: checks=entry, the previous syscall's exit check */
/* CG_NL_AT_HELPER: a usermode helper about to run (CG_NL_KIND_HELPER) */
/*
 * CG_NL_AT_SCHED: the syscall-tracepoint bit was found cleared at a context
 * switch or timer tick; judged before the task returns to user space
 */
/*
 * CG_NL_AT_CAPABLE: a capability check over a user namespace whose owner or
 * parent is not what it was made with (the reporter is the task asking)
 */
enum cg_nl_where {
	CG_NL_AT_ENTRY,
	CG_NL_AT_EXIT,
	CG_NL_AT_COMMIT,
	CG_NL_AT_NEXT_ENTRY,
	CG_NL_AT_HELPER,
	CG_NL_AT_SCHED,
	CG_NL_AT_CAPABLE
};

enum cg_nl_kind { CG_NL_KIND_CRED, CG_NL_KIND_HELPER };

enum cg_nl_abi {
	CG_NL_ABI_X86_64,
	CG_NL_ABI_IA32,
	CG_NL_ABI_X32,
	CG_NL_ABI_AARCH64,
	CG_NL_ABI_AARCH32
};

#endif /* _UAPI_LINUX_CREDGUARD_H */

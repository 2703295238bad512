/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What credguard guards, described once.
 *
 * A guarded *word* is 64 bits of live kernel state that a task's shadow
 * keeps a copy of: the fast path compares words, nothing else. A guarded
 * *field* is what a report names: one word, or some bits of one. Both
 * lists below are X-macros; the shadow layout, the fast-path compare, the
 * snapshot, the diff, the policy masks, the log line, the netlink event and
 * (through the field name) the JSON all follow from them.
 *
 * Words are read from the expressions below over these locals:
 *   t   the task (always current at a boundary, or a new child at fork)
 *   c   its real_cred
 *   nsp its nsproxy
 *   fs  its fs_struct
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_GUARD_H
#define CG_GUARD_H

#include <linux/fs_struct.h>
#include <linux/seccomp.h>

#include "arch.h"

/*
 * Words compared at every syscall entry and exit: the credentials (an
 * exploit may write them during a syscall and return to user space with
 * them, so the exit must see them) and the nsproxy pointer.
 */
#define CG_WORDS_BOTH(X)                                             \
	X(IDS0, get_unaligned((const u64 *)&c->uid + 0))             \
	X(IDS1, get_unaligned((const u64 *)&c->uid + 1))             \
	X(IDS2, get_unaligned((const u64 *)&c->uid + 2))             \
	X(IDS3, get_unaligned((const u64 *)&c->uid + 3))             \
	X(CAP0, get_unaligned((const u64 *)&c->cap_inheritable + 0)) \
	X(CAP1, get_unaligned((const u64 *)&c->cap_inheritable + 1)) \
	X(CAP2, get_unaligned((const u64 *)&c->cap_inheritable + 2)) \
	X(CAP3, get_unaligned((const u64 *)&c->cap_inheritable + 3)) \
	X(CAP4, get_unaligned((const u64 *)&c->cap_inheritable + 4)) \
	X(SECBITS, c->securebits)                                    \
	X(USERNS, (unsigned long)c->user_ns)                         \
	X(GROUPS, (unsigned long)c->group_info)                      \
	X(NSPROXY, (unsigned long)nsp)

/*
 * Words compared at every syscall entry (not at exit): what decides how
 * the syscall being entered is filtered and seen. seccomp ran just before
 * our probe, so a forged state there is also a syscall that went
 * unfiltered (cg_check_slow() stops it).
 */
#define CG_WORDS_CALL(X)                                       \
	X(SECCOMP, cg_seccomp_word(t))                         \
	X(SECCOMP_FILTER, (unsigned long)cg_seccomp_filter(t)) \
	X(WORK, cg_work_word(t))

/*
 * Words that only matter through a later system call that uses them
 * (paths, namespaces, groups, exec): compared at the entry of every
 * syscall but the few that cannot use them (cg_policy_light()), before
 * it acts. See docs/performance.md.
 */
#define CG_WORDS_USE(X)                                            \
	X(NGROUPS, c->group_info->ngroups)                         \
	X(FS, (unsigned long)fs)                                   \
	X(FS_ROOT_MNT, (unsigned long)fs->root.mnt)                \
	X(FS_ROOT, (unsigned long)fs->root.dentry)                 \
	X(FS_PWD_MNT, (unsigned long)fs->pwd.mnt)                  \
	X(FS_PWD, (unsigned long)fs->pwd.dentry)                   \
	X(TASK, cg_task_word(t))                                   \
	X(NS_UTS, (unsigned long)nsp->uts_ns)                      \
	X(NS_IPC, (unsigned long)nsp->ipc_ns)                      \
	X(NS_MNT, (unsigned long)nsp->mnt_ns)                      \
	X(NS_PID, (unsigned long)nsp->pid_ns_for_children)         \
	X(NS_NET, (unsigned long)nsp->net_ns)                      \
	X(NS_TIME, (unsigned long)cg_nsp_time(nsp))                \
	X(NS_TIME_CHILD, (unsigned long)cg_nsp_time_children(nsp)) \
	X(NS_CGROUP, (unsigned long)cg_nsp_cgroup(nsp))

#define CG_WORDS(X) CG_WORDS_BOTH(X) CG_WORDS_CALL(X) CG_WORDS_USE(X)

/*
 * The user namespace that owns each namespace the task is in: what
 * ns_capable() is asked about that namespace (may_mount(), sethostname(),
 * a network device's configuration...). Written once, when the namespace
 * is made; an exploit that points one at a user namespace it holds every
 * capability in rules that namespace. Compared where the members are
 * (with CG_WORDS_USE), one by one like the gids; compat.h says where each
 * lives (cg_owner_slot()).
 */
#define CG_NS_OWNERS(X) \
	X(UTS)          \
	X(IPC)          \
	X(MNT)          \
	X(PID)          \
	X(NET)          \
	X(TIME)         \
	X(TIME_CHILD)   \
	X(CGROUP)

enum cg_owner {
#define CG_X_ENUM(id) CG_O_##id,
	CG_NS_OWNERS(CG_X_ENUM)
#undef CG_X_ENUM
		CG_O_NR
};

enum cg_word {
#define CG_X_ENUM(id, expr) CG_W_##id,
	CG_WORDS(CG_X_ENUM)
#undef CG_X_ENUM
		CG_W_NR
};

/* How a field's value is shown (slow path only). */
enum cg_fmt {
	CG_FMT_DEC, /* the bits, in decimal */
	CG_FMT_HEX, /* the bits, in hex */
	CG_FMT_NONE, /* a pointer: no value is shown */
	CG_FMT_USERNS, /* user_namespace pointer: its inode number */
	CG_FMT_NGROUPS, /* group_info pointer: its number of groups */
	CG_FMT_INO, /* dentry pointer: its inode number */
	CG_FMT_NS, /* pointer to a namespace: the ns_common at offset arg */
	CG_FMT_GIDS, /* the gid lists: the first gid that differs */
	CG_FMT_OWNERS, /* the owners: inode numbers of the first that differs */
};

/*
 * X(id, name, word, shift, bits, fmt, arg): the field is @bits bits of
 * @word from bit @shift. The order is the report's.
 */
#define CG_FIELDS(X)                                                         \
	X(UID, "uid", IDS0, 0, 32, DEC, 0)                                   \
	X(GID, "gid", IDS0, 32, 32, DEC, 0)                                  \
	X(SUID, "suid", IDS1, 0, 32, DEC, 0)                                 \
	X(SGID, "sgid", IDS1, 32, 32, DEC, 0)                                \
	X(EUID, "euid", IDS2, 0, 32, DEC, 0)                                 \
	X(EGID, "egid", IDS2, 32, 32, DEC, 0)                                \
	X(FSUID, "fsuid", IDS3, 0, 32, DEC, 0)                               \
	X(FSGID, "fsgid", IDS3, 32, 32, DEC, 0)                              \
	X(SECUREBITS, "securebits", SECBITS, 0, 32, HEX, 0)                  \
	X(CAP_INH, "cap_inheritable", CAP0, 0, 64, HEX, 0)                   \
	X(CAP_PRM, "cap_permitted", CAP1, 0, 64, HEX, 0)                     \
	X(CAP_EFF, "cap_effective", CAP2, 0, 64, HEX, 0)                     \
	X(CAP_BND, "cap_bset", CAP3, 0, 64, HEX, 0)                          \
	X(CAP_AMB, "cap_ambient", CAP4, 0, 64, HEX, 0)                       \
	X(USERNS, "user_ns", USERNS, 0, 64, USERNS, 0)                       \
	X(GROUPS, "groups", GROUPS, 0, 64, NGROUPS, 0)                       \
	X(NGROUPS, "ngroups", NGROUPS, 0, 32, DEC, 0)                        \
	X(GROUP_IDS, "group_ids", NGROUPS, 0, 0, GIDS, 0)                    \
	X(NSPROXY, "nsproxy", NSPROXY, 0, 64, NONE, 0)                       \
	X(FS, "fs", FS, 0, 64, NONE, 0)                                      \
	X(FS_ROOT, "fs_root", FS_ROOT, 0, 64, INO, 0)                        \
	X(FS_ROOT_MNT, "fs_root_mnt", FS_ROOT_MNT, 0, 64, NONE, 0)           \
	X(FS_PWD, "fs_pwd", FS_PWD, 0, 64, INO, 0)                           \
	X(FS_PWD_MNT, "fs_pwd_mnt", FS_PWD_MNT, 0, 64, NONE, 0)              \
	X(SECCOMP_MODE, "seccomp_mode", SECCOMP, 0, 32, DEC, 0)              \
	X(SECCOMP_FILTERS, "seccomp_filters", SECCOMP, 32, 32, DEC, 0)       \
	X(SECCOMP_FILTER, "seccomp_filter", SECCOMP_FILTER, 0, 64, NONE, 0)  \
	X(SECCOMP_WORK, "seccomp_work", WORK, CG_TW_SECCOMP, 1, DEC, 0)      \
	X(SECCOMP_SUSPEND, "seccomp_suspended", TASK, CG_TW_SUSPEND, 1, DEC, \
	  0)                                                                 \
	X(SYSCALL_TRACE, "syscall_trace", WORK, CG_TW_TRACE, 1, DEC, 0)      \
	X(NO_NEW_PRIVS, "no_new_privs", TASK, CG_TW_NNP, 1, DEC, 0)          \
	X(TRACE_RECURSION, "trace_recursion", TASK, CG_TW_TREC, 1, DEC, 0)   \
	X(TASK_FLAGS, "task_flags", TASK, CG_TW_FLAGS, 32, HEX, 0)           \
	X(UTS_NS, "uts_ns", NS_UTS, 0, 64, NS, CG_NS_OFF_UTS)                \
	X(IPC_NS, "ipc_ns", NS_IPC, 0, 64, NS, CG_NS_OFF_IPC)                \
	X(MNT_NS, "mnt_ns", NS_MNT, 0, 64, NONE, 0)                          \
	X(PID_NS, "pid_ns", NS_PID, 0, 64, NS, CG_NS_OFF_PID)                \
	X(NET_NS, "net_ns", NS_NET, 0, 64, NS, CG_NS_OFF_NET)                \
	X(TIME_NS, "time_ns", NS_TIME, 0, 64, NS, CG_NS_OFF_TIME)            \
	X(TIME_NS_CHILD, "time_ns_children", NS_TIME_CHILD, 0, 64, NS,       \
	  CG_NS_OFF_TIME)                                                    \
	X(CGROUP_NS, "cgroup_ns", NS_CGROUP, 0, 64, NS, CG_NS_OFF_CGROUP)    \
	X(NS_OWNERS, "ns_owners", NS_CGROUP, 0, 0, OWNERS, 0)

enum cg_field {
#define CG_X_ENUM(id, name, word, shift, bits, fmt, arg) CG_F_##id,
	CG_FIELDS(CG_X_ENUM)
#undef CG_X_ENUM
		CG_F_CREDSPLIT, /* cred != real_cred at a boundary: no word */
	/*
	 * The written-once state of the task's user namespace (idmap.c): no
	 * word, the namespace's record is compared instead. The id maps,
	 * shown by the first extent's lower_first (U32_MAX: no map); its
	 * parent and level (shown: the parent's inode number); its owner and
	 * group (shown: the owner's uid).
	 */
	CG_F_UID_MAP,
	CG_F_GID_MAP,
	CG_F_PROJID_MAP,
	CG_F_USERNS_PARENT,
	CG_F_USERNS_OWNER,
	/*
	 * A tracee linked to the task by no __ptrace_link() (ptrace.c): no
	 * word, shown as 0 -> the tracee's pid.
	 */
	CG_F_PTRACE_LINK,
	/*
	 * A filter of the task's seccomp chain written since it was
	 * installed (filters.c): no word, shown as 0 -> its position in the
	 * chain (1: the newest).
	 */
	CG_F_SECCOMP_CHAIN,
	CG_F_NR
};

static_assert(CG_F_NR <= 50, "field masks are u64 with 14 rule bits");

typedef u64 cg_mask_t;
#define CG_M(f) ((cg_mask_t)1 << (f))
#define CG_M_RANGE(a, b) ((CG_M(b) << 1) - CG_M(a))
#define CG_M_FIELDS (CG_M(CG_F_NR) - 1)
#define CG_M_UIDS \
	(CG_M(CG_F_UID) | CG_M(CG_F_SUID) | CG_M(CG_F_EUID) | CG_M(CG_F_FSUID))
#define CG_M_GIDS \
	(CG_M(CG_F_GID) | CG_M(CG_F_SGID) | CG_M(CG_F_EGID) | CG_M(CG_F_FSGID))
#define CG_M_CAPS CG_M_RANGE(CG_F_CAP_INH, CG_F_CAP_AMB)
#define CG_M_GROUPS \
	(CG_M(CG_F_GROUPS) | CG_M(CG_F_NGROUPS) | CG_M(CG_F_GROUP_IDS))
#define CG_M_FS_PATHS CG_M_RANGE(CG_F_FS_ROOT, CG_F_FS_PWD_MNT)
#define CG_M_FS_ROOT (CG_M(CG_F_FS_ROOT) | CG_M(CG_F_FS_ROOT_MNT))
#define CG_M_FS_PWD (CG_M(CG_F_FS_PWD) | CG_M(CG_F_FS_PWD_MNT))
#define CG_M_NS_MEMBERS CG_M_RANGE(CG_F_UTS_NS, CG_F_NS_OWNERS)
/* What seccomp filtering depends on: forged, a syscall went unfiltered. */
#define CG_M_SECCOMP_FILTERING \
	CG_M_RANGE(CG_F_SECCOMP_MODE, CG_F_SECCOMP_SUSPEND)
#define CG_M_SECCOMP (CG_M_SECCOMP_FILTERING | CG_M(CG_F_NO_NEW_PRIVS))
#define CG_M_MAPS CG_M_RANGE(CG_F_UID_MAP, CG_F_PROJID_MAP)
#define CG_M_IDMAPS CG_M_RANGE(CG_F_UID_MAP, CG_F_USERNS_OWNER)
/* Who a user namespace was made by: what cap_capable() asks of it. */
#define CG_M_USERNS_WHO (CG_M(CG_F_USERNS_PARENT) | CG_M(CG_F_USERNS_OWNER))
/* Changes after which the exit slow path compares the id maps too. */
#define CG_M_IDMAP_TRIGGER (CG_M_UIDS | CG_M_GIDS | CG_M(CG_F_USERNS))
/* Fields of the words that syscalls use (CG_WORDS_USE). */
#define CG_M_USE                                                           \
	(CG_M(CG_F_NGROUPS) | CG_M(CG_F_GROUP_IDS) | CG_M(CG_F_FS) |       \
	 CG_M_FS_PATHS | CG_M(CG_F_NO_NEW_PRIVS) | CG_M(CG_F_TASK_FLAGS) | \
	 CG_M(CG_F_SECCOMP_SUSPEND) | CG_M(CG_F_TRACE_RECURSION) |         \
	 CG_M_NS_MEMBERS)
/* Fields of the words compared at both boundaries. */
#define CG_M_BOTH                                                 \
	(CG_M_RANGE(CG_F_UID, CG_F_GROUPS) | CG_M(CG_F_NSPROXY) | \
	 CG_M(CG_F_CREDSPLIT))

/* Supplementary gids compared one by one (the rest: see docs). */
#define CG_GIDS_INLINE 16

/* A value snapshot of everything guarded, for one task. */
struct cg_vals {
	u64 w[CG_W_NR];
	u32 gids[CG_GIDS_INLINE];
	u64 owners[CG_O_NR];
};

/*
 * One field of a report: its shown values. Events carry only the changed
 * fields, so an event stays small whatever the number of fields.
 */
struct cg_change {
	u8 field;
	u8 has_value;
	u64 old;
	u64 new;
};

/* At most this many changed fields are carried by one event. */
#define CG_EVENT_CHANGES 24

const char *cg_field_name(enum cg_field f);
enum cg_fmt cg_field_fmt(enum cg_field f);

/* The live values of @t (current, or a child not yet running). */
void cg_vals_live(struct cg_vals *v, const struct task_struct *t);
/* The fields that differ between @a and @b. */
cg_mask_t cg_vals_diff(const struct cg_vals *a, const struct cg_vals *b);
/* The inode number of the user namespace at @p (0: none, unreadable). */
u64 cg_userns_ino(u64 p);
/* The bits of value field @f of @v (0 for a field with no word). */
u64 cg_field_get(enum cg_field f, const struct cg_vals *v);
/* Set them. */
void cg_field_put(enum cg_field f, struct cg_vals *v, u64 x);
/* The value a report shows for field @f of @v, if it has one. */
bool cg_field_show(enum cg_field f, const struct cg_vals *v, u64 *out);
/* The old and new values a report shows for field @f, if it has them. */
bool cg_field_show_pair(enum cg_field f, const struct cg_vals *o,
			const struct cg_vals *n, u64 *ov, u64 *nv);

#endif /* CG_GUARD_H */

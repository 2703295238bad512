/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shadow store: one entry per tracked user task, in module memory.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_SHADOW_H
#define CG_SHADOW_H

#include <linux/hash.h>
#include <linux/rcupdate.h>
#include <linux/nsproxy.h>

#include "credguard.h"
#include "compat.h"
#include "guard.h"
#include "ptrace.h"
#include "filters.h"

/*
 * The task was created by the kernel (its parent is a kernel thread):
 * its credentials are taken at its first syscall boundary.
 */
#define CG_SF_PENDING 0x01
/*
 * A commit_creds() in the current syscall changed the credentials (and
 * moved the RLIMIT_NPROC accounting with them).
 */
#define CG_SF_COMMITTED 0x02
/* log mode accepted a cred != real_cred split: report it once only. */
#define CG_SF_SPLIT_OK 0x04
/*
 * The syscall in progress may change state compared at entry only
 * (CG_WORDS_USE): its exit compares everything. The lookup cache never
 * holds an entry with this flag, so that exit takes the slow path.
 */
#define CG_SF_EXIT_FULL 0x08
/*
 * The syscall-tracepoint bit was found cleared (and re-armed) at a context
 * switch or tick; the saved task word has the bit flipped so that the next
 * syscall entry takes the slow path, which reports it.
 */
#define CG_SF_TRACE_CLEARED 0x10

/*
 * An exec's credential step (exec.c) is running: @exec.file collects the
 * file capabilities the kernel reads for it.
 */
#define CG_SF_EXEC_OPEN 0x20
/* It returned: @exec.got holds what the file gives (rules.c judges). */
#define CG_SF_EXEC_DONE 0x40
#define CG_SF_EXEC_ALL (CG_SF_EXEC_OPEN | CG_SF_EXEC_DONE)
/*
 * A ptrace() that links a tracee is in progress: @args holds its request
 * and pid, its exit records the tracer (ptrace.c).
 */
#define CG_SF_PTRACE 0x80

/* @exec.got.caps: file capabilities were applied, with their effective bit. */
#define CG_XF_FCAP BIT_ULL(62)
#define CG_XF_EFFECTIVE BIT_ULL(63)
#define CG_XF_CAPS (CG_XF_FCAP - 1)

/* What an exec's credential step found out about the file it runs. */
union cg_exec_rec {
	/* While it runs: the file capabilities, once read (else 0). */
	struct {
		u64 fp; /* permitted, CG_XF_* flags above the capabilities */
		u64 fi; /* inheritable */
	} file;
	/* Once it returned. */
	struct {
		u32 euid, egid; /* what the set-id step gives (kuid, kgid) */
		u64 caps; /* (bset & fP) | (inh & fI), CG_XF_* flags */
	} got;
};

/* A syscall as recorded at its entry: the layout of cg_shadow's @call. */
union cg_call {
	struct {
		u16 nr; /* U16_MAX: none */
		u8 abi;
		u8 in_call; /* set at that entry, cleared at its exit */
	};
	u32 word;
};

/* The word of native syscall @nr (< U16_MAX) being entered. */
static __always_inline u32 cg_call_native(unsigned int nr)
{
	static_assert(CG_ABI_64 == 0);
#ifdef __LITTLE_ENDIAN
	return nr + ((union cg_call){ .in_call = 1 }).word;
#else
	return ((union cg_call){ .nr = nr, .in_call = 1 }).word;
#endif
}

/*
 * One tracked task. Only the task itself reads or writes the fields after
 * @task (at its own syscall boundaries, its own commit_creds and its own
 * exit), with two exceptions: a context switch or tick on its CPU may set
 * CG_SF_TRACE_CLEARED, a sibling thread reads @v when it explains a
 * change of shared state (fs, seccomp TSYNC), and a tracer writes @tracer
 * (under cg_tracer_lock, ptrace.c). Other CPUs only walk @next and
 * compare @task.
 */
struct cg_shadow {
	struct cg_shadow __rcu *next;
	const struct task_struct *task;
	/* Last legitimate objects; a reference is held on each. */
	const struct cred *cred;
	struct nsproxy *nsproxy;
	/* The seccomp filters it runs, as installed (filters.c), or NULL. */
	struct cg_frec *frec;
	u8 flags;
	/* The last syscall that may have used or changed CG_WORDS_USE. */
	u8 use_abi;
	u16 use_nr;
	/* The syscall recorded at its entry (union cg_call: one store). */
	union {
		struct {
			u16 nr;
			u8 abi;
			u8 in_call;
		};
		u32 call;
	};
	/* Saved values, compared against the live state. */
	struct cg_vals v;
	/* Who traces the task, as recorded when the link was made. */
	struct cg_tracer tracer;
	union {
		/*
		 * While hashed: the arguments of the recorded syscall that
		 * its value rule needs (rules.c), only for such syscalls.
		 */
		u32 args[3];
		/*
		 * Of an exec, what its credential step found (only the task
		 * itself writes it, from the probes in exec.c).
		 */
		union cg_exec_rec exec;
		/* Once unhashed (its task gone or the module leaving). */
		struct rcu_head rcu;
	};
};

static_assert(offsetof(struct cg_shadow, nr) -
			      offsetof(struct cg_shadow, call) ==
		      offsetof(union cg_call, nr) &&
	      offsetof(struct cg_shadow, abi) -
			      offsetof(struct cg_shadow, call) ==
		      offsetof(union cg_call, abi) &&
	      offsetof(struct cg_shadow, in_call) -
			      offsetof(struct cg_shadow, call) ==
		      offsetof(union cg_call, in_call));

extern struct cg_shadow __rcu **cg_table __read_mostly;

static __always_inline struct cg_shadow *
cg_shadow_find(const struct task_struct *t)
{
	struct cg_shadow *s;

	s = rcu_dereference_sched(cg_table[hash_ptr(t, cg_hash_bits)]);
	while (s && s->task != t)
		s = rcu_dereference_sched(s->next);
	return s;
}

/*
 * The entry of the task running on this CPU, so that a syscall's two
 * probes and back-to-back syscalls skip the hash. It is emptied (set to
 * cg_shadow_none, whose task is no task) at every context switch
 * (hooks.c) and when the running task's entry goes away (its exit hook):
 * it can only ever name the current task's live entry, and is never NULL.
 * It is also emptied, and not filled, while the running task's syscall
 * must be judged at a slow exit (CG_SF_EXIT_FULL).
 */
DECLARE_PER_CPU(struct cg_shadow *, cg_lookup_cache);
extern struct cg_shadow cg_shadow_none;

struct cg_shadow *cg_shadow_find_fill(const struct task_struct *t);

/* The running task's entry if the lookup cache holds it, else cg_shadow_none. */
static __always_inline struct cg_shadow *cg_shadow_cache_get(void)
{
	cg_assert_hook_context();
	return this_cpu_read(cg_lookup_cache);
}

/* Hook context (preemption disabled) only. */
static __always_inline struct cg_shadow *
cg_shadow_find_cached(const struct task_struct *t)
{
	struct cg_shadow *s = cg_shadow_cache_get();

	if (likely(s->task == t))
		return s;
	return cg_shadow_find_fill(t);
}

static __always_inline void cg_lookup_cache_clear(void)
{
	cg_assert_hook_context();
	this_cpu_write(cg_lookup_cache, &cg_shadow_none);
}

/*
 * The current syscall's exit must compare everything (@s: current's
 * entry): out of the lookup cache, which never holds such an entry.
 */
static __always_inline void cg_shadow_exit_full(struct cg_shadow *s)
{
	s->flags |= CG_SF_EXIT_FULL;
	cg_lookup_cache_clear();
}

/* XOR of every word compared at both boundaries with its saved value. */
static __always_inline u64 cg_diff_both(const struct cg_shadow *s,
					const struct task_struct *t,
					const struct cred *c,
					const struct nsproxy *nsp)
{
	u64 x = 0;

#define CG_X_CMP(id, expr) x |= (u64)(expr) ^ s->v.w[CG_W_##id];
	CG_WORDS_BOTH(CG_X_CMP)
	return x;
}

/* The same for the words compared at every entry. */
static __always_inline u64 cg_diff_call(const struct cg_shadow *s,
					const struct task_struct *t)
{
	u64 x = 0;

	CG_WORDS_CALL(CG_X_CMP)
	return x;
}

/* The same for the words that syscalls use, the group list and the owners. */
static __always_inline u64 cg_diff_use(const struct cg_shadow *s,
				       const struct task_struct *t,
				       const struct cred *c,
				       const struct nsproxy *nsp)
{
	const struct fs_struct *fs = READ_ONCE(t->fs);
	const struct group_info *gi = c->group_info;
	int i, n = min_t(int, READ_ONCE(gi->ngroups), CG_GIDS_INLINE);
	u64 x = 0;

	CG_WORDS_USE(CG_X_CMP)
#undef CG_X_CMP
	for (i = 0; i < n; i++)
		x |= __kgid_val(gi->gid[i]) ^ s->v.gids[i];
#define CG_X_OWN(id) \
	x |= cg_owner_read(nsp, CG_O_##id) ^ s->v.owners[CG_O_##id];
	CG_NS_OWNERS(CG_X_OWN)
#undef CG_X_OWN
	return x;
}

/* Nothing compared at exit changed since the last boundary. */
static __always_inline bool cg_task_clean_exit(const struct cg_shadow *s,
					       const struct task_struct *t)
{
	const struct cred *rc = rcu_dereference_raw(t->real_cred);
	const struct nsproxy *nsp = READ_ONCE(t->nsproxy);

	return !(((unsigned long)rc ^ (unsigned long)s->cred) |
		 ((unsigned long)rcu_dereference_raw(t->cred) ^
		  (unsigned long)rc) |
		 cg_diff_both(s, t, rc, nsp));
}

/* Nothing compared at the entry of every syscall changed. */
static __always_inline bool cg_task_clean_call(const struct cg_shadow *s,
					       const struct task_struct *t)
{
	const struct cred *rc = rcu_dereference_raw(t->real_cred);
	const struct nsproxy *nsp = READ_ONCE(t->nsproxy);

	return !(((unsigned long)rc ^ (unsigned long)s->cred) |
		 ((unsigned long)rcu_dereference_raw(t->cred) ^
		  (unsigned long)rc) |
		 cg_diff_both(s, t, rc, nsp) | cg_diff_call(s, t));
}

/* Nothing that syscalls use (paths, namespaces, groups) changed. */
static __always_inline bool cg_task_clean_use(const struct cg_shadow *s,
					      const struct task_struct *t)
{
	const struct cred *rc = rcu_dereference_raw(t->real_cred);

	return !cg_diff_use(s, t, rc, READ_ONCE(t->nsproxy));
}

/*
 * Nothing compared at the entry of a syscall changed; @use: the syscall
 * may use the state that syscalls use (paths, namespaces, groups).
 */
static __always_inline bool cg_task_clean_entry(const struct cg_shadow *s,
						const struct task_struct *t,
						bool use)
{
	return cg_task_clean_call(s, t) && (!use || cg_task_clean_use(s, t));
}

/* Nothing guarded at all changed since the last boundary. */
static __always_inline bool cg_task_clean(const struct cg_shadow *s,
					  const struct task_struct *t)
{
	return cg_task_clean_entry(s, t, true);
}

int cg_shadow_init(void);
void cg_shadow_exit(void);

struct cg_shadow *cg_shadow_alloc(void);
struct cg_shadow *cg_shadow_alloc_pooled(void);
void cg_shadow_free(struct cg_shadow *s);
void cg_shadow_free_deferred(struct cg_shadow *s);
int cg_shadow_insert(struct cg_shadow *s, bool born);
unsigned int cg_shadow_entry_bytes(void);
struct cg_shadow *cg_shadow_unhash(const struct task_struct *t);
void cg_shadow_release(struct cg_shadow *s);

void cg_shadow_set(struct cg_shadow *s, const struct task_struct *t);
void cg_shadow_set_vals(struct cg_shadow *s, const struct cred *c,
			struct nsproxy *ns, const struct cg_vals *v);
void cg_shadow_copy(struct cg_shadow *dst, const struct cg_shadow *src);
void cg_shadow_drop_refs(struct cg_shadow *s);
int cg_shadow_snapshot_all(void);

/* Drop a reference to an nsproxy from any context. */
void cg_nsproxy_put(struct nsproxy *ns);

#endif /* CG_SHADOW_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared between the pieces of the usermode helper guard (umh*.c).
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_UMH_INT_H
#define CG_UMH_INT_H

#include <linux/spinlock.h>
#include <linux/types.h>

/* Room for any of the kernel's helper strings (KMOD_PATH_LEN & co). */
#define CG_UMH_LEN 256
/* At most this many arguments are looked at; more is a mismatch. */
#define CG_UMH_MAX_ARGS 64

/* The kernel variables whose value names a helper. */
enum cg_umh_var_id {
	CG_V_MODPROBE,
	CG_V_CORE,
	CG_V_UEVENT,
	CG_V_POWEROFF,
	CG_V_REBOOT,
	CG_V_NR
};

struct cg_umh_var {
	const char *name; /* the kernel symbol, also the name reported */
	const char *sysctl; /* its file under /proc/sys, or NULL */
	size_t size; /* the kernel buffer's size; 0: never written back */
	char *addr; /* NULL: not on this kernel */
	bool guarded; /* false: its helpers are let through unchecked */
	char rec[CG_UMH_LEN]; /* the last legitimate value */
};

/* Every recorded value below is read and written under this lock. */
extern raw_spinlock_t cg_umh_lock;
extern struct cg_umh_var cg_umh_vars[CG_V_NR];

/* umh_record.c: what the legitimate interfaces wrote. */
void cg_umh_record(struct cg_umh_var *v);
bool cg_umh_agent_known(const char *path);
int cg_umh_record_init(void);
void cg_umh_locate(struct cg_umh_var *v);
void cg_umh_record_unguard(void);
void cg_umh_record_exit(void);

/* umh_match.c: does a helper's argv match a configured value? */
int cg_umh_argc(char *const *argv);
bool cg_umh_argv_is_split(char *const *argv, const char *s);
bool cg_umh_core_match(const char *pattern, char *const *argv);

/* umh_env.c: is the helper's environment what the kernel was built with? */
struct subprocess_info;
int cg_umh_env_bad(const struct subprocess_info *info);
void cg_umh_env_describe(const struct subprocess_info *info, int bad, char *buf,
			 size_t len);
void cg_umh_env_accept(const struct subprocess_info *info, int bad);
void cg_umh_env_mend(const struct subprocess_info *info);

/* umh_fs.c: the root and cwd helpers start from (init_fs). */
struct cg_fs_words {
	u64 w[4]; /* root mount, root dentry, cwd mount, cwd dentry */
};

struct cg_fs_words_pair {
	struct cg_fs_words live, legit;
};

void cg_umh_fs_record(void);
bool cg_umh_fs_intact(struct cg_fs_words_pair *p);
void cg_umh_fs_accept(const struct cg_fs_words_pair *p);
void cg_umh_fs_put_back(const struct cg_fs_words_pair *p);
void cg_umh_fs_describe(const struct cg_fs_words_pair *p, char *buf,
			size_t len);

#endif /* CG_UMH_INT_H */

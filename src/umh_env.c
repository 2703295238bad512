// SPDX-License-Identifier: GPL-2.0
/*
 * A usermode helper's environment.
 *
 * Some callers hand call_usermodehelper_exec() a static, writable array
 * of pointers to string constants: call_modprobe()'s and run_cmd()'s
 * "HOME=/", "TERM=linux", "PATH=...". One word written there
 * (envp[1] = "LD_PRELOAD=/tmp/x.so" somewhere in the heap) and the next
 * helper, with the recorded path and argv, runs the attacker's code as
 * root. So an environment array that outlives the call (neither on the
 * caller's stack nor in a slab object: in the kernel image or a module)
 * must point only at read-only strings, as every such array in the
 * kernel does. Arrays built for one call (the uevent helper's, in its
 * kobj_uevent_env; drbd's and nfsd's on the stack) exist only during
 * the call: rewriting them is a race with the caller, not one
 * persistent word, and they are not judged.
 *
 * Lifetime: @info and its envp belong to the caller for the duration of
 * call_usermodehelper_exec(); everything here runs before it queues the
 * work, under cg_umh_lock.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/mm.h>
#include <linux/sched/task_stack.h>
#include <linux/umh.h>

#include "umh_int.h"
#include "compat.h"

/* In log mode, the entry already reported: the reference from then on. */
static const char *cg_env_seen;

/* Made for this call: on the caller's stack or in a slab object. */
static bool cg_env_transient(const void *p)
{
	return object_is_on_stack(p) || cg_compat_is_slab(p);
}

static bool cg_env_str_readonly(const char *s)
{
	return cg_compat_readonly(s, strnlen(s, CG_UMH_LEN) + 1);
}

static bool cg_env_entry_ok(const char *s)
{
	return s == cg_env_seen || cg_env_str_readonly(s);
}

int cg_umh_env_bad(const struct subprocess_info *info)
{
	char **envp = info->envp;
	int i;

	if (!envp || cg_env_transient(envp))
		return -1;
	for (i = 0; envp[i]; i++)
		if (i == CG_UMH_MAX_ARGS || !cg_env_entry_ok(envp[i]))
			return i;
	return -1;
}

void cg_umh_env_describe(const struct subprocess_info *info, int bad, char *buf,
			 size_t len)
{
	if (bad == CG_UMH_MAX_ARGS)
		scnprintf(buf, len, "(more than %d entries)", CG_UMH_MAX_ARGS);
	else
		strscpy(buf, info->envp[bad], len);
}

void cg_umh_env_accept(const struct subprocess_info *info, int bad)
{
	if (bad < CG_UMH_MAX_ARGS)
		cg_env_seen = info->envp[bad];
}

/*
 * Take the entries that are not read-only out of the static array, in
 * place: the constants stay, in order, and the next helper runs with
 * them. A reader on another CPU sees each word old or new. (A read-only
 * array pointing at a writable string is left as it is: this helper is
 * refused, and so is every later one.)
 */
void cg_umh_env_mend(const struct subprocess_info *info)
{
	char **envp = info->envp;
	int i, n = 0;

	if (cg_compat_readonly(envp, sizeof(*envp)))
		return;
	for (i = 0; envp[i] && i < CG_UMH_MAX_ARGS; i++)
		if (cg_env_str_readonly(envp[i]))
			WRITE_ONCE(envp[n++], envp[i]);
	WRITE_ONCE(envp[n], NULL);
}

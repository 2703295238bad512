/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a restore abandons, told to kmemleak.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_ABANDON_H
#define CG_ABANDON_H

/*
 * A restore never drops a reference it did not take: the objects an
 * exploit swapped in (a forged cred, its group_info, an nsproxy, an
 * fs_struct, a namespace written into a member) are left allocated,
 * unreachable. On a kernel with kmemleak they would be reported as
 * leaks on every restore; cg_abandon() keeps a pointer to each where
 * kmemleak scans it. The pointer may be anything an exploit wrote
 * (a static object, the middle of another allocation): it is only
 * ever scanned, never dereferenced or passed to kmemleak's API.
 *
 * Lifetime: the record lives in the module's .bss until unload, when
 * cg_abandon_exit() moves it into one allocation that kmemleak is told
 * is not a leak (it is never freed: neither are the objects).
 */
#ifdef CONFIG_DEBUG_KMEMLEAK
void cg_abandon(const void *old, const void *now);
void cg_abandon_exit(void);
#else
static inline void cg_abandon(const void *old, const void *now)
{
}

static inline void cg_abandon_exit(void)
{
}
#endif

/* Write a saved pointer word back into @lval, abandoning what was there. */
#define cg_put_back(lval, word)                                            \
	do {                                                               \
		typeof(lval) __cg_v = (typeof(lval))(unsigned long)(word); \
		cg_abandon((lval), __cg_v);                                \
		(lval) = __cg_v;                                           \
	} while (0)

#endif /* CG_ABANDON_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Pointers to what restores abandoned, where kmemleak scans them
 * (abandon.h). Built only with CONFIG_DEBUG_KMEMLEAK.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/atomic.h>
#include <linux/kmemleak.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "abandon.h"

/* Beyond this many, later abandoned objects are reported as leaks. */
#define CG_ABANDON_MAX 4096

static const void *cg_abandoned[CG_ABANDON_MAX];
static atomic_t cg_abandoned_n = ATOMIC_INIT(0);

/* Any context: one atomic increment and one store. */
void cg_abandon(const void *old, const void *now)
{
	int i;

	if (!old || old == now)
		return;
	i = atomic_inc_return(&cg_abandoned_n) - 1;
	if (i < CG_ABANDON_MAX)
		WRITE_ONCE(cg_abandoned[i], old);
}

/* Process context, after every hook is gone. */
void cg_abandon_exit(void)
{
	int n = min(atomic_read(&cg_abandoned_n), CG_ABANDON_MAX);
	const void **keep;

	if (!n)
		return;
	keep = kmemdup(cg_abandoned, n * sizeof(*keep), GFP_KERNEL);
	if (keep)
		kmemleak_not_leak(keep);
}

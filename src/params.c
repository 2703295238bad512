// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters. Invalid values are refused with -EINVAL and leave
 * the current value in place.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <linux/sysfs.h>

#include "credguard.h"

int cg_mode __read_mostly = CG_MODE_KILL;
unsigned int cg_hash_bits __read_mostly = 14;

static const char *const cg_mode_names[CG_MODE_NR] = {
	[CG_MODE_LOG] = "log",
	[CG_MODE_RESTORE] = "restore",
	[CG_MODE_KILL] = "kill",
};

const char *cg_mode_name(int mode)
{
	return mode >= 0 && mode < CG_MODE_NR ? cg_mode_names[mode] : "?";
}

static int cg_mode_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(cg_mode_names, val);

	if (i < 0) {
		pr_err("mode: '%s' is not one of log, restore, kill\n", val);
		return -EINVAL;
	}
	WRITE_ONCE(cg_mode, i);
	return 0;
}

static int cg_mode_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", cg_mode_name(READ_ONCE(cg_mode)));
}

static const struct kernel_param_ops cg_mode_ops = {
	.set = cg_mode_set,
	.get = cg_mode_get,
};
module_param_cb(mode, &cg_mode_ops, NULL, 0644);
MODULE_PARM_DESC(mode,
		 "response to a violation: log, restore or kill (default)");

int cg_checks __read_mostly = CG_CHECKS_FULL;

static const char *const cg_checks_names[CG_CHECKS_NR] = {
	[CG_CHECKS_FULL] = "full",
	[CG_CHECKS_ENTRY] = "entry",
	[CG_CHECKS_NONE] = "none",
};

const char *cg_checks_name(int checks)
{
	return checks >= 0 && checks < CG_CHECKS_NR ? cg_checks_names[checks] :
						      "?";
}

static int cg_checks_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(cg_checks_names, val);

	if (i < 0) {
		pr_err("checks: '%s' is not one of full, entry, none\n", val);
		return -EINVAL;
	}
	cg_checks = i;
	return 0;
}

static int cg_checks_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", cg_checks_name(cg_checks));
}

static const struct kernel_param_ops cg_checks_ops = {
	.set = cg_checks_set,
	.get = cg_checks_get,
};
module_param_cb(checks, &cg_checks_ops, NULL, 0444);
MODULE_PARM_DESC(
	checks,
	"full (entry and exit, default), entry (lighter, see docs/performance.md) or none (benchmarks only: no protection); at load only");

#define CG_HASH_BITS_MIN 8
#define CG_HASH_BITS_MAX 20

/* kp->arg := a number from min to max, or -EINVAL and the reason logged. */
static int cg_param_uint_range(const char *val, const struct kernel_param *kp,
			       unsigned int min, unsigned int max)
{
	unsigned int v;

	if (kstrtouint(val, 0, &v) || v < min || v > max) {
		pr_err("%s: '%s' is not a number from %u to %u\n", kp->name,
		       val, min, max);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = v;
	return 0;
}

static int cg_hash_bits_set(const char *val, const struct kernel_param *kp)
{
	return cg_param_uint_range(val, kp, CG_HASH_BITS_MIN, CG_HASH_BITS_MAX);
}

static const struct kernel_param_ops cg_hash_bits_ops = {
	.set = cg_hash_bits_set,
	.get = param_get_uint,
};
module_param_cb(hash_bits, &cg_hash_bits_ops, &cg_hash_bits, 0444);
MODULE_PARM_DESC(
	hash_bits,
	"log2 of the shadow table's buckets, 8-20 (default 14), at load only");

#define CG_RING_MIN 16
#define CG_RING_MAX 65536
unsigned int cg_ring_size __read_mostly = 4096;

static int cg_ring_size_set(const char *val, const struct kernel_param *kp)
{
	return cg_param_uint_range(val, kp, CG_RING_MIN, CG_RING_MAX);
}

static const struct kernel_param_ops cg_ring_size_ops = {
	.set = cg_ring_size_set,
	.get = param_get_uint,
};
module_param_cb(ring_size, &cg_ring_size_ops, &cg_ring_size, 0444);
MODULE_PARM_DESC(
	ring_size,
	"events kept for user space, 16-65536 (default 4096), at load only");

bool cg_log_reports __read_mostly = true;
module_param_named(log, cg_log_reports, bool, 0644);
MODULE_PARM_DESC(log, "one kernel log line per violation (default 1)");

#ifdef CG_FAULT_INJECT
static char cg_fault_site[32];
module_param_string(fault, cg_fault_site, sizeof(cg_fault_site), 0644);
MODULE_PARM_DESC(fault, "TEST BUILDS ONLY: name of the site that fails");

bool cg_fault(const char *site)
{
	return cg_fault_site[0] && sysfs_streq(cg_fault_site, site);
}
#endif

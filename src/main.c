// SPDX-License-Identifier: GPL-2.0
/*
 * credguard: catch and undo credential tampering at every syscall
 * boundary. This file only wires the pieces together.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/module.h>
#include <linux/init.h>

#include "credguard.h"
#include "compat.h"
#include "shadow.h"
#include "hooks.h"
#include "syscalls.h"
#include "events.h"
#include "fs.h"
#include "policy.h"
#include "group.h"
#include "idmap.h"
#include "exec.h"
#include "ptrace.h"
#include "capable.h"
#include "umh.h"
#include "abandon.h"
#include "filters.h"

static int __init cg_init(void)
{
	int ret;

	cg_syscalls_init();
	cg_policy_init();
	ret = cg_compat_init();
	if (ret)
		goto err_compat;
	ret = cg_stats_init();
	if (ret)
		goto err_stats;
	ret = cg_shadow_init();
	if (ret)
		goto err_shadow;
	ret = cg_events_init();
	if (ret)
		goto err_events;
	ret = cg_nl_init();
	if (ret)
		goto err_nl;
	ret = cg_fs_init();
	if (ret)
		goto err_fs;
	ret = cg_idmap_init();
	if (ret)
		goto err_idmap;
	ret = cg_exec_init();
	if (ret)
		goto err_exec;
	cg_ptrace_link_init();
	cg_capable_init();
	ret = cg_hooks_init();
	if (ret)
		goto err_hooks;
	ret = cg_umh_init();
	if (ret)
		goto err_umh;

	pr_info("%s loaded, mode %s, checks %s\n", CG_VERSION,
		cg_mode_name(READ_ONCE(cg_mode)), cg_checks_name(cg_checks));
	return 0;

err_umh:
	cg_hooks_exit();
err_hooks:
	cg_capable_exit();
	cg_ptrace_link_exit();
	cg_exec_exit();
err_exec:
	cg_idmap_exit();
err_idmap:
	cg_fs_exit();
	cg_group_exit();
err_fs:
	cg_nl_exit();
err_nl:
	cg_events_exit();
err_events:
	cg_shadow_exit();
	cg_frec_exit();
err_shadow:
	cg_stats_exit();
err_stats:
err_compat:
	cg_abandon_exit();
	return ret;
}

static void __exit cg_exit(void)
{
	cg_umh_exit();
	cg_hooks_exit();
	cg_capable_exit();
	cg_ptrace_link_exit();
	cg_exec_exit();
	cg_idmap_exit();
	cg_fs_exit();
	cg_group_exit();
	cg_nl_exit();
	cg_events_exit();
	cg_shadow_exit();
	cg_frec_exit();
	cg_stats_exit();
	cg_abandon_exit();
	pr_info("unloaded\n");
}

module_init(cg_init);
module_exit(cg_exit);
MODULE_LICENSE("GPL v2");
MODULE_DESCRIPTION("Detect and undo illegitimate credential changes");
MODULE_AUTHOR("The credguard authors");
MODULE_VERSION(CG_VERSION);

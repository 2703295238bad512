// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "credguard" (ABI: uapi/credguard.h): the
 * "events" multicast group, statistics, configuration and a dump of the
 * event ring. Every command has a strict policy: unknown attributes,
 * attributes of the wrong type or size and unknown commands are refused
 * by the core; a wrong family version is refused here.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/kallsyms.h>
#include <net/genetlink.h>

#include "events.h"
#include "compat.h"
#include "syscalls.h"
#include "uapi/credguard.h"

static struct genl_family cg_genl_family;

enum { CG_MCGRP_EVENTS };

static const struct genl_multicast_group cg_mcgrps[] = {
	[CG_MCGRP_EVENTS] = { .name = CG_GENL_MCGRP_EVENTS,
			      .flags = CG_GENL_MCAST_ADMIN },
};

static const struct nla_policy cg_set_config_policy[CG_A_MAX + 1] = {
	[CG_A_CFG_MODE] = NLA_POLICY_MAX(NLA_U8, CG_NL_MODE_KILL),
	[CG_A_CFG_LOG] = NLA_POLICY_MAX(NLA_U8, 1),
};

static const struct nla_policy cg_get_events_policy[CG_A_MAX + 1] = {
	[CG_A_SEQ] = NLA_POLICY_MIN(NLA_U64, 1),
};

static int cg_nl_version_ok(const struct genlmsghdr *gh,
			    struct netlink_ext_ack *extack)
{
	if (gh->version == CG_GENL_VERSION)
		return 0;
	NL_SET_ERR_MSG(extack, "unsupported credguard family version");
	return -EINVAL;
}

static int cg_nl_pre_doit(const struct cg_genl_pre_doit_ops *ops,
			  struct sk_buff *skb, struct genl_info *info)
{
	return cg_nl_version_ok(info->genlhdr, info->extack);
}

static int cg_put_u64(struct sk_buff *skb, int type, u64 v)
{
	return nla_put_u64_64bit(skb, type, v, CG_A_PAD);
}

static int cg_nl_put_change(struct sk_buff *skb, const struct cg_change *ch)
{
	struct nlattr *nest = nla_nest_start(skb, CG_A_CHANGE);

	if (!nest || nla_put_string(skb, CG_CA_FIELD, cg_field_name(ch->field)))
		return -EMSGSIZE;
	if (ch->has_value &&
	    (nla_put_u64_64bit(skb, CG_CA_OLD, ch->old, CG_CA_PAD) ||
	     nla_put_u64_64bit(skb, CG_CA_NEW, ch->new, CG_CA_PAD)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* A usermode helper event: what was to run, and what was configured. */
static int cg_nl_put_helper(struct sk_buff *skb, const struct cg_helper_ev *h)
{
	const char *a = h->argv;
	int i;

	if (nla_put_string(skb, CG_A_HELPER_VAR, h->var) ||
	    nla_put_string(skb, CG_A_HELPER_PATH, h->path) ||
	    nla_put_string(skb, CG_A_HELPER_RECORDED, h->recorded) ||
	    nla_put_u8(skb, CG_A_HELPER_REFUSED, h->refused))
		return -EMSGSIZE;
	for (i = 0; i < h->argc; i++, a += strlen(a) + 1)
		if (nla_put_string(skb, CG_A_HELPER_ARGV, a))
			return -EMSGSIZE;
	if (h->env[0] && nla_put_string(skb, CG_A_HELPER_ENV, h->env))
		return -EMSGSIZE;
	return 0;
}

static int cg_nl_fill_event(struct sk_buff *skb, const struct cg_ring_ent *e)
{
	const struct cg_event *ev = &e->ev;
	char caller[KSYM_SYMBOL_LEN];
	unsigned int i;

	if (cg_put_u64(skb, CG_A_INSTANCE, cg_instance) ||
	    cg_put_u64(skb, CG_A_SEQ, e->seq) ||
	    cg_put_u64(skb, CG_A_TIME_BOOT, e->boot_ns) ||
	    cg_put_u64(skb, CG_A_TIME_REAL, e->real_ns) ||
	    nla_put_u32(skb, CG_A_PID, ev->pid) ||
	    nla_put_u32(skb, CG_A_TGID, ev->tgid) ||
	    nla_put_u32(skb, CG_A_PPID, e->ppid) ||
	    nla_put_string(skb, CG_A_COMM, ev->comm) ||
	    cg_put_u64(skb, CG_A_CGROUP_ID, e->cgroup_id) ||
	    nla_put_u32(skb, CG_A_SYSCALL_NR, ev->nr) ||
	    nla_put_string(skb, CG_A_SYSCALL_NAME,
			   cg_syscall_name(ev->nr, ev->abi)) ||
	    nla_put_u8(skb, CG_A_ABI, cg_arch_nl_abi(ev->abi)) ||
	    nla_put_u8(skb, CG_A_WHERE, ev->where) ||
	    nla_put_u8(skb, CG_A_MODE, ev->mode) ||
	    nla_put_s32(skb, CG_A_OUTCOME, ev->outcome))
		return -EMSGSIZE;
	if (ev->caller) {
		sprint_symbol(caller, ev->caller);
		if (nla_put_string(skb, CG_A_CALLER, caller))
			return -EMSGSIZE;
	}
	if (nla_put_u8(skb, CG_A_KIND, ev->kind))
		return -EMSGSIZE;
	if (ev->kind == CG_EV_HELPER)
		return cg_nl_put_helper(skb, &ev->helper);
	for (i = 0; i < ev->nchanges; i++)
		if (cg_nl_put_change(skb, &ev->changes[i]))
			return -EMSGSIZE;
	if (ev->init_spared && nla_put_u8(skb, CG_A_INIT_SPARED, 1))
		return -EMSGSIZE;
	return 0;
}

/* Called from the publishing work item (process context). */
int cg_nl_publish(const struct cg_ring_ent *e)
{
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(&cg_genl_family, &init_net, CG_MCGRP_EVENTS))
		return 0;
	skb = cg_fault("publish") ? NULL :
				    genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, 0, 0, &cg_genl_family, 0, CG_CMD_EVENT);
	if (!hdr || cg_nl_fill_event(skb, e)) {
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	/* -ESRCH: the last listener just left; the ring still has it. */
	genlmsg_multicast(&cg_genl_family, skb, 0, CG_MCGRP_EVENTS, GFP_KERNEL);
	return 0;
}

static int cg_nl_put_stat(void *arg, const char *name, u64 val)
{
	struct sk_buff *skb = arg;
	struct nlattr *nest = nla_nest_start(skb, CG_A_STAT);

	if (!nest || nla_put_string(skb, CG_SA_NAME, name) ||
	    nla_put_u64_64bit(skb, CG_SA_VALUE, val, CG_SA_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int cg_nl_fill_stats(struct sk_buff *skb)
{
	return cg_stats_foreach(cg_nl_put_stat, skb);
}

static int cg_nl_fill_config(struct sk_buff *skb)
{
	u64 first, next;

	cg_ring_bounds(&first, &next);
	if (cg_put_u64(skb, CG_A_INSTANCE, cg_instance) ||
	    nla_put_u8(skb, CG_A_CFG_MODE, READ_ONCE(cg_mode)) ||
	    nla_put_u8(skb, CG_A_CFG_LOG, READ_ONCE(cg_log_reports)) ||
	    nla_put_u32(skb, CG_A_RING_SIZE, cg_ring_size) ||
	    cg_put_u64(skb, CG_A_RING_FIRST, first) ||
	    cg_put_u64(skb, CG_A_RING_NEXT, next))
		return -EMSGSIZE;
	return 0;
}

/* A reply of command @cmd whose attributes @fill puts. */
static int cg_nl_reply(struct genl_info *info, u8 cmd,
		       int (*fill)(struct sk_buff *skb))
{
	struct sk_buff *skb;
	void *hdr;
	int ret;

	skb = cg_fault("reply") ? NULL :
				  genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put_reply(skb, info, &cg_genl_family, 0, cmd);
	if (!hdr) {
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	ret = fill(skb);
	if (ret) {
		nlmsg_free(skb);
		return ret;
	}
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

static int cg_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	return cg_nl_reply(info, CG_CMD_GET_STATS, cg_nl_fill_stats);
}

static int cg_nl_get_config(struct sk_buff *skb, struct genl_info *info)
{
	return cg_nl_reply(info, CG_CMD_GET_CONFIG, cg_nl_fill_config);
}

static int cg_nl_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *mode = info->attrs[CG_A_CFG_MODE];
	struct nlattr *log = info->attrs[CG_A_CFG_LOG];

	if (!mode && !log) {
		GENL_SET_ERR_MSG(info, "nothing to set");
		return -EINVAL;
	}
	/* The policy has checked every value: nothing below can fail. */
	if (mode) {
		WRITE_ONCE(cg_mode, nla_get_u8(mode));
		pr_info_ratelimited("mode set to %s by pid %d\n",
				    cg_mode_name(READ_ONCE(cg_mode)),
				    task_tgid_nr(current));
	}
	if (log)
		WRITE_ONCE(cg_log_reports, nla_get_u8(log));
	return 0;
}

static int cg_nl_events_start(struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct nlattr *const *attrs = cg_genl_dumpit_attrs(info);
	int ret = cg_nl_version_ok(nlmsg_data(cb->nlh), cb->extack);

	if (ret)
		return ret;
	cb->args[0] = attrs[CG_A_SEQ] ? nla_get_u64(attrs[CG_A_SEQ]) : 1;
	return 0;
}

static int cg_nl_events_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct cg_ring_ent e;
	u64 seq;
	void *hdr;

	for (;;) {
		seq = cb->args[0];
		if (cg_ring_read(&seq, &e))
			break;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &cg_genl_family,
				  NLM_F_MULTI, CG_CMD_EVENT);
		if (!hdr)
			break;
		if (cg_nl_fill_event(skb, &e)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = seq + 1;
	}
	return skb->len;
}

static const struct genl_ops cg_genl_ops[] = {
	{
		.cmd = CG_CMD_GET_STATS,
		.doit = cg_nl_get_stats,
	},
	{
		.cmd = CG_CMD_GET_CONFIG,
		.doit = cg_nl_get_config,
	},
	{
		.cmd = CG_CMD_SET_CONFIG,
		.flags = GENL_ADMIN_PERM,
		.doit = cg_nl_set_config,
		.policy = cg_set_config_policy,
		.maxattr = CG_A_MAX,
	},
	{
		.cmd = CG_CMD_GET_EVENTS,
		.flags = GENL_ADMIN_PERM,
		.start = cg_nl_events_start,
		.dumpit = cg_nl_events_dump,
		.policy = cg_get_events_policy,
		.maxattr = CG_A_MAX,
	},
};

static struct genl_family cg_genl_family __ro_after_init = {
	.name = CG_GENL_NAME,
	.version = CG_GENL_VERSION,
	.module = THIS_MODULE,
	.ops = cg_genl_ops,
	.n_ops = ARRAY_SIZE(cg_genl_ops),
	.mcgrps = cg_mcgrps,
	.n_mcgrps = ARRAY_SIZE(cg_mcgrps),
	.pre_doit = cg_nl_pre_doit,
};

int cg_nl_init(void)
{
	BUILD_BUG_ON((int)CG_NL_MODE_KILL != (int)CG_MODE_KILL ||
		     (int)CG_NL_MODE_RESTORE != (int)CG_MODE_RESTORE ||
		     (int)CG_NL_AT_COMMIT != (int)CG_AT_COMMIT ||
		     (int)CG_NL_AT_NEXT_ENTRY != (int)CG_AT_NEXT_ENTRY ||
		     (int)CG_NL_AT_HELPER != (int)CG_AT_HELPER ||
		     (int)CG_NL_AT_SCHED != (int)CG_AT_SCHED ||
		     (int)CG_NL_AT_CAPABLE != (int)CG_AT_CAPABLE ||
		     (int)CG_NL_KIND_HELPER != (int)CG_EV_HELPER);
	if (cg_fault("genl"))
		return -EBUSY;
	return genl_register_family(&cg_genl_family);
}

/* The hooks are gone: publish what is left, then unregister. */
void cg_nl_exit(void)
{
	cg_events_flush();
	genl_unregister_family(&cg_genl_family);
}

// SPDX-License-Identifier: GPL-2.0
/* The credguard generic netlink family from user space; see nl.h. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../src/uapi/credguard.h"
#include "nl.h"

struct family_ctx {
	uint16_t id;
	uint32_t mcgrp;
	uint32_t version;
};

static int grp_cb(const struct nlattr *a, void *data)
{
	struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = { 0 };
	struct family_ctx *f = data;
	const struct nlattr *x;

	mnl_attr_for_each_nested(x, a)
	{
		uint16_t t = mnl_attr_get_type(x);

		if (t <= CTRL_ATTR_MCAST_GRP_MAX)
			tb[t] = (struct nlattr *)x;
	}
	if (tb[CTRL_ATTR_MCAST_GRP_NAME] && tb[CTRL_ATTR_MCAST_GRP_ID] &&
	    mnl_attr_validate(tb[CTRL_ATTR_MCAST_GRP_NAME],
			      MNL_TYPE_NUL_STRING) >= 0 &&
	    mnl_attr_validate(tb[CTRL_ATTR_MCAST_GRP_ID], MNL_TYPE_U32) >= 0 &&
	    !strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
		    CG_GENL_MCGRP_EVENTS))
		f->mcgrp = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	return MNL_CB_OK;
}

static int family_attr_cb(const struct nlattr *a, void *data)
{
	struct family_ctx *f = data;
	const struct nlattr *g;

	switch (mnl_attr_get_type(a)) {
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
			f->id = mnl_attr_get_u16(a);
		break;
	case CTRL_ATTR_VERSION:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			f->version = mnl_attr_get_u32(a);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		mnl_attr_for_each_nested(g, a) grp_cb(g, data);
		break;
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, GENL_HDRLEN, family_attr_cb, data);
	return MNL_CB_OK;
}

int cgu_nl_fd(const struct cgu_nl *c)
{
	return mnl_socket_get_fd(c->nl);
}

void cgu_nl_close(struct cgu_nl *c)
{
	if (c->nl)
		mnl_socket_close(c->nl);
	c->nl = NULL;
}

struct nlmsghdr *cgu_nl_request(struct cgu_nl *c, char *buf, uint8_t cmd,
				uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *gh;

	nlh->nlmsg_type = c->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++c->seq;
	gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));
	gh->cmd = cmd;
	gh->version = c->family == GENL_ID_CTRL ? 1 : CG_GENL_VERSION;
	return nlh;
}

int cgu_nl_talk(struct cgu_nl *c, struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	char buf[CGU_RECV_SIZE];
	uint32_t seq = req->nlmsg_seq;
	int ret;

	if (mnl_socket_sendto(c->nl, req, req->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(c->nl, buf, sizeof(buf));

		if (n < 0)
			return -errno;
		ret = mnl_cb_run(buf, (size_t)n, seq, c->portid, cb, data);
		if (ret < 0)
			return errno ? -errno : -EPROTO;
		if (ret == MNL_CB_STOP)
			return 0;
	}
}

int cgu_nl_open(struct cgu_nl *c)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct family_ctx f = { 0 };
	struct nlmsghdr *nlh;
	int one = 1, ret;

	memset(c, 0, sizeof(*c));
	c->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!c->nl)
		return -errno;
	if (mnl_socket_bind(c->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto err;
	}
	c->portid = mnl_socket_get_portid(c->nl);
	/* Error messages of the kernel, without the request echoed. */
	mnl_socket_setsockopt(c->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(c->nl, NETLINK_EXT_ACK, &one, sizeof(one));

	c->family = GENL_ID_CTRL;
	nlh = cgu_nl_request(c, buf, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, CG_GENL_NAME);
	ret = cgu_nl_talk(c, nlh, family_cb, &f);
	if (ret)
		goto err;
	if (!f.id || !f.mcgrp) {
		ret = -ENOENT;
		goto err;
	}
	if (f.version != CG_GENL_VERSION) {
		ret = -EPROTONOSUPPORT;
		goto err;
	}
	c->family = f.id;
	c->mcgrp = f.mcgrp;
	return 0;
err:
	cgu_nl_close(c);
	return ret;
}

int cgu_nl_subscribe(struct cgu_nl *c, int rcvbuf)
{
	int grp = (int)c->mcgrp;

	if (rcvbuf > 0 && setsockopt(cgu_nl_fd(c), SOL_SOCKET, SO_RCVBUFFORCE,
				     &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(cgu_nl_fd(c), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			   sizeof(rcvbuf));
	if (mnl_socket_setsockopt(c->nl, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0)
		return -errno;
	return 0;
}

static int config_attr_cb(const struct nlattr *a, void *data)
{
	struct cgu_nl_config *cfg = data;

	switch (mnl_attr_get_type(a)) {
	case CG_A_INSTANCE:
		if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
			cfg->instance = mnl_attr_get_u64(a);
		break;
	case CG_A_RING_FIRST:
		if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
			cfg->ring_first = mnl_attr_get_u64(a);
		break;
	case CG_A_RING_NEXT:
		if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
			cfg->ring_next = mnl_attr_get_u64(a);
		break;
	case CG_A_RING_SIZE:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			cfg->ring_size = mnl_attr_get_u32(a);
		break;
	case CG_A_CFG_MODE:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
			cfg->mode = mnl_attr_get_u8(a);
		break;
	case CG_A_CFG_LOG:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
			cfg->log = mnl_attr_get_u8(a);
		break;
	}
	return MNL_CB_OK;
}

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, GENL_HDRLEN, config_attr_cb, data);
	return MNL_CB_OK;
}

int cgu_nl_get_config(struct cgu_nl *c, struct cgu_nl_config *cfg)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	nlh = cgu_nl_request(c, buf, CG_CMD_GET_CONFIG, 0);
	ret = cgu_nl_talk(c, nlh, config_cb, cfg);
	if (!ret && !cfg->instance)
		ret = -EPROTO;
	return ret;
}

const char *cgu_nl_strerror(int err)
{
	switch (err) {
	case -ENOENT:
		return "the credguard module is not loaded";
	case -EPERM:
		return "permission denied (CAP_NET_ADMIN is needed)";
	case -EPROTONOSUPPORT:
		return "the credguard module speaks another protocol version";
	default:
		return strerror(-err);
	}
}

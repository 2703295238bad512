// SPDX-License-Identifier: GPL-2.0
/*
 * cgnlfuzz: TEST ONLY. Throws messages at the credguard generic netlink
 * family, without any library (a static binary for the guest).
 *
 *   cgnlfuzz malformed      fixed malformed requests; each must get the
 *                           expected error ("ok"/"FAIL" per case)
 *   cgnlfuzz fuzz N SEED    N random messages; prints how they ended
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../src/uapi/credguard.h"

static int sock = -1;
static uint16_t family;
static uint32_t seqno;
static unsigned char msg[8192];

static int die(const char *what)
{
	fprintf(stderr, "cgnlfuzz: %s: %s\n", what, strerror(errno));
	exit(2);
}

static struct nlmsghdr *begin(uint16_t type, uint16_t flags, uint8_t cmd,
			      uint8_t version)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)msg;
	struct genlmsghdr *gh = NLMSG_DATA(nlh);

	memset(msg, 0, NLMSG_LENGTH(GENL_HDRLEN));
	nlh->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++seqno;
	gh->cmd = cmd;
	gh->version = version;
	return nlh;
}

/* An attribute with @len payload bytes (nla_len may be overridden). */
static void put(struct nlmsghdr *nlh, uint16_t type, const void *data,
		uint16_t len)
{
	struct nlattr *a = (struct nlattr *)(msg + NLMSG_ALIGN(nlh->nlmsg_len));

	if (NLMSG_ALIGN(nlh->nlmsg_len) + NLA_HDRLEN + NLA_ALIGN(len) >
	    sizeof(msg))
		return;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

/*
 * Send, then read everything that comes back. Returns the first error
 * (negative errno) or 0 for an ACK / a complete dump.
 */
static int talk(struct nlmsghdr *nlh)
{
	static unsigned char buf[65536];
	int result = 1;

	if (send(sock, nlh, nlh->nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		struct pollfd p = { .fd = sock, .events = POLLIN };
		ssize_t n;
		struct nlmsghdr *r;

		if (poll(&p, 1, result == 1 ? 2000 : 0) <= 0)
			break;
		n = recv(sock, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0)
			break;
		for (r = (struct nlmsghdr *)buf; NLMSG_OK(r, (size_t)n);
		     r = NLMSG_NEXT(r, n)) {
			if (r->nlmsg_seq != nlh->nlmsg_seq)
				continue;
			if (r->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(r);

				if (result == 1)
					result = e->error;
			} else if (r->nlmsg_type == NLMSG_DONE && result == 1) {
				result = 0;
			}
		}
	}
	return result == 1 ? -ETIMEDOUT : result;
}

static void resolve(void)
{
	static unsigned char buf[8192];
	struct nlmsghdr *nlh = begin(GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;
	struct nlmsghdr *r;

	sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (sock < 0 || bind(sock, (struct sockaddr *)&sa, sizeof(sa)))
		die("socket");
	nlh->nlmsg_flags = NLM_F_REQUEST;
	put(nlh, CTRL_ATTR_FAMILY_NAME, CG_GENL_NAME, sizeof(CG_GENL_NAME));
	if (send(sock, nlh, nlh->nlmsg_len, 0) < 0)
		die("send");
	n = recv(sock, buf, sizeof(buf), 0);
	if (n < 0)
		die("recv");
	r = (struct nlmsghdr *)buf;
	if (!NLMSG_OK(r, (size_t)n) || r->nlmsg_type != GENL_ID_CTRL) {
		fprintf(stderr, "cgnlfuzz: family %s not found\n",
			CG_GENL_NAME);
		exit(3);
	}
	{
		struct nlattr *a =
			(struct nlattr *)((char *)NLMSG_DATA(r) + GENL_HDRLEN);
		int left = (int)r->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

		while (left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
		       a->nla_len <= left) {
			if ((a->nla_type & NLA_TYPE_MASK) ==
			    CTRL_ATTR_FAMILY_ID)
				memcpy(&family, (char *)a + NLA_HDRLEN, 2);
			left -= NLA_ALIGN(a->nla_len);
			a = (struct nlattr *)((char *)a +
					      NLA_ALIGN(a->nla_len));
		}
	}
	if (!family)
		die("no family id");
}

static int failures;

static void expect(const char *name, int got, int want)
{
	int ok = got == want;

	printf("%s %s: got %d (%s), want %d (%s)\n", ok ? "ok" : "FAIL", name,
	       got, strerror(-got), want, strerror(-want));
	failures += !ok;
}

static int cmd_malformed(void)
{
	uint8_t u8 = 0, big[64] = { 0 };
	uint32_t u32 = 0;
	uint64_t u64 = 1;
	struct nlmsghdr *nlh;

	nlh = begin(family, 0, 99, CG_GENL_VERSION);
	expect("unknown command", talk(nlh), -EOPNOTSUPP);
	nlh = begin(family, 0, CG_CMD_UNSPEC, CG_GENL_VERSION);
	expect("command 0", talk(nlh), -EOPNOTSUPP);
	nlh = begin(family, 0, CG_CMD_EVENT, CG_GENL_VERSION);
	expect("the event command as a request", talk(nlh), -EOPNOTSUPP);
	nlh = begin(family, 0, CG_CMD_GET_STATS, CG_GENL_VERSION + 1);
	expect("wrong family version", talk(nlh), -EINVAL);
	nlh = begin(family, 0, CG_CMD_GET_CONFIG, 0);
	expect("family version 0", talk(nlh), -EINVAL);
	nlh = begin(family, NLM_F_DUMP, CG_CMD_GET_EVENTS, CG_GENL_VERSION + 7);
	expect("dump with a wrong family version", talk(nlh), -EINVAL);
	nlh = begin(family, 0, CG_CMD_SET_CONFIG, CG_GENL_VERSION);
	put(nlh, CG_A_CFG_MODE, &u32, sizeof(u32));
	expect("mode of the wrong type (u32)", talk(nlh), -EINVAL);
	nlh = begin(family, 0, CG_CMD_SET_CONFIG, CG_GENL_VERSION);
	put(nlh, CG_A_CFG_MODE, &u8, 0);
	expect("short attribute", talk(nlh), -EINVAL);
	nlh = begin(family, 0, CG_CMD_SET_CONFIG, CG_GENL_VERSION);
	put(nlh, CG_A_CFG_MODE, big, sizeof(big));
	expect("oversized attribute", talk(nlh), -EINVAL);
	nlh = begin(family, 0, CG_CMD_SET_CONFIG, CG_GENL_VERSION);
	u8 = 3;
	put(nlh, CG_A_CFG_MODE, &u8, 1);
	expect("mode out of range", talk(nlh), -ERANGE);
	nlh = begin(family, 0, CG_CMD_SET_CONFIG, CG_GENL_VERSION);
	u8 = 2;
	put(nlh, CG_A_CFG_LOG, &u8, 1);
	expect("log out of range", talk(nlh), -ERANGE);
	nlh = begin(family, 0, CG_CMD_SET_CONFIG, CG_GENL_VERSION);
	u8 = 0;
	put(nlh, CG_A_CFG_MODE, &u8, 1);
	put(nlh, CG_A_MAX + 1, &u8, 1);
	expect("unknown attribute", talk(nlh), -EINVAL);
	nlh = begin(family, 0, CG_CMD_SET_CONFIG, CG_GENL_VERSION);
	put(nlh, CG_A_CFG_MODE, &u8, 1);
	put(nlh, CG_A_SEQ, &u64, sizeof(u64));
	expect("attribute not for this command", talk(nlh), -EINVAL);
	nlh = begin(family, 0, CG_CMD_SET_CONFIG, CG_GENL_VERSION);
	expect("set config with nothing to set", talk(nlh), -EINVAL);
	nlh = begin(family, 0, CG_CMD_GET_STATS, CG_GENL_VERSION);
	put(nlh, CG_A_SEQ, &u64, sizeof(u64));
	expect("get stats with an attribute", talk(nlh), -EINVAL);
	nlh = begin(family, NLM_F_DUMP, CG_CMD_GET_EVENTS, CG_GENL_VERSION);
	put(nlh, CG_A_SEQ, &u32, sizeof(u32));
	expect("dump from a u32 sequence number", talk(nlh), -EINVAL);
	nlh = begin(family, NLM_F_DUMP, CG_CMD_GET_EVENTS, CG_GENL_VERSION);
	u64 = 0;
	put(nlh, CG_A_SEQ, &u64, sizeof(u64));
	expect("dump from sequence number 0", talk(nlh), -ERANGE);
	nlh = begin(family, 0, CG_CMD_SET_CONFIG, CG_GENL_VERSION);
	put(nlh, CG_A_CFG_MODE, &u8, 1);
	((struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN))->nla_len =
		200;
	expect("attribute longer than the message", talk(nlh), -EINVAL);
	nlh = begin(family, 0, CG_CMD_GET_STATS, CG_GENL_VERSION);
	((struct genlmsghdr *)NLMSG_DATA(nlh))->reserved = 1;
	expect("reserved header bytes set", talk(nlh), -EINVAL);
	nlh = begin(family, 0, CG_CMD_GET_STATS, CG_GENL_VERSION);
	nlh->nlmsg_len = NLMSG_LENGTH(2);
	expect("shorter than the generic netlink header", talk(nlh), -EINVAL);
	/* And a good request still works. */
	nlh = begin(family, 0, CG_CMD_GET_STATS, CG_GENL_VERSION);
	expect("a well-formed request", talk(nlh), 0);
	printf("%d failures\n", failures);
	return failures ? 1 : 0;
}

static uint32_t rnd(void)
{
	return (uint32_t)random();
}

static int cmd_fuzz(long n, unsigned int seed)
{
	unsigned long results[8] = { 0 };
	unsigned char payload[128];
	long i;

	srandom(seed);
	for (i = 0; i < n; i++) {
		/* Only our family, netlink's own control types and ids no
		 * family has: other families are not ours to fuzz. */
		uint16_t type = rnd() % 16 ? family :
				rnd() % 2 ? (uint16_t)(rnd() % NLMSG_MIN_TYPE) :
					    (uint16_t)(0xff00 + rnd() % 256);
		uint16_t flags = rnd() % 4 ? 0 : NLM_F_DUMP;
		uint8_t cmd =
			(uint8_t)(rnd() % 8 ? rnd() % (CG_CMD_MAX + 2) : rnd());
		uint8_t ver = (uint8_t)(rnd() % 8 ? CG_GENL_VERSION : rnd());
		struct nlmsghdr *nlh = begin(type, flags, cmd, ver);
		int k, na = (int)(rnd() % 5), ret;

		if (rnd() % 16 == 0)
			((struct genlmsghdr *)NLMSG_DATA(nlh))->reserved =
				(uint16_t)rnd();
		for (k = 0; k < na; k++) {
			uint16_t at = (uint16_t)(rnd() % (CG_A_MAX + 4));
			uint16_t len =
				(uint16_t)(rnd() % 3 ? rnd() % 9 : rnd() % 100);
			unsigned int b;

			for (b = 0; b < len; b++)
				payload[b] = (unsigned char)rnd();
			/* Mostly harmless values for set config. */
			if (at == CG_A_CFG_MODE && len == 1)
				payload[0] = (unsigned char)(rnd() % 4);
			if (at == CG_A_CFG_LOG && len == 1)
				payload[0] = (unsigned char)(rnd() % 3);
			if (rnd() % 8 == 0)
				at |= NLA_F_NESTED;
			put(nlh, at, payload, len);
		}
		if (na && rnd() % 16 == 0) {
			struct nlattr *a =
				(struct nlattr *)((char *)NLMSG_DATA(nlh) +
						  GENL_HDRLEN);
			a->nla_len = (uint16_t)rnd();
		}
		if (rnd() % 32 == 0)
			nlh->nlmsg_len = NLMSG_HDRLEN + rnd() % 8;
		ret = talk(nlh);
		if (ret == 0)
			results[0]++;
		else if (ret == -EINVAL)
			results[1]++;
		else if (ret == -EOPNOTSUPP)
			results[2]++;
		else if (ret == -ERANGE)
			results[3]++;
		else if (ret == -EPERM)
			results[4]++;
		else if (ret == -ENOENT)
			results[5]++;
		else if (ret == -ETIMEDOUT)
			results[6]++;
		else
			results[7]++;
	}
	printf("sent %ld: ok %lu einval %lu eopnotsupp %lu erange %lu eperm %lu enoent %lu noreply %lu other %lu\n",
	       n, results[0], results[1], results[2], results[3], results[4],
	       results[5], results[6], results[7]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "malformed")) {
		resolve();
		return cmd_malformed();
	}
	if (argc == 4 && !strcmp(argv[1], "fuzz")) {
		resolve();
		return cmd_fuzz(atol(argv[2]),
				(unsigned int)strtoul(argv[3], NULL, 0));
	}
	fprintf(stderr, "usage: cgnlfuzz malformed | fuzz N SEED\n");
	return 2;
}

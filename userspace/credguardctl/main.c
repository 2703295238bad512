// SPDX-License-Identifier: GPL-2.0
/*
 * credguardctl: status, statistics and configuration of credguard; dump
 * or follow its events.
 *
 *   credguardctl status
 *   credguardctl stats [--json|--prometheus]
 *   credguardctl config get
 *   credguardctl config set KEY=VALUE...
 *   credguardctl events [--from SEQ]
 *   credguardctl watch
 *
 * Exit status: 0 success, 1 failure, 2 bad usage, 3 module not loaded,
 * 4 permission denied.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "../../src/uapi/credguard.h"
#include "../common/config.h"
#include "../common/event.h"
#include "../common/json.h"
#include "../common/nl.h"

#define MAX_STATS 64

static int usage(FILE *f)
{
	fprintf(f,
		"usage: credguardctl status\n"
		"       credguardctl stats [--json|--prometheus]\n"
		"       credguardctl config get\n"
		"       credguardctl config set KEY=VALUE...   (mode=log|restore|kill, log=on|off)\n"
		"       credguardctl events [--from SEQ]\n"
		"       credguardctl watch\n"
		"       credguardctl --version\n");
	return 2;
}

static int fail(const char *what, int err)
{
	fprintf(stderr, "credguardctl: %s: %s\n", what, cgu_nl_strerror(err));
	if (err == -ENOENT)
		return 3;
	if (err == -EPERM)
		return 4;
	return 1;
}

static int connect_or_fail(struct cgu_nl *c)
{
	return cgu_nl_open(c);
}

struct stat_list {
	int n;
	char name[MAX_STATS][48];
	uint64_t val[MAX_STATS];
};

static int stat_cb(const struct nlattr *a, void *data)
{
	struct stat_list *l = data;
	const struct nlattr *x;
	const char *name = NULL;
	uint64_t v = 0;
	int have = 0;

	if (mnl_attr_get_type(a) != CG_A_STAT || l->n >= MAX_STATS)
		return MNL_CB_OK;
	mnl_attr_for_each_nested(x, a)
	{
		if (mnl_attr_get_type(x) == CG_SA_NAME &&
		    mnl_attr_validate(x, MNL_TYPE_NUL_STRING) >= 0)
			name = mnl_attr_get_str(x);
		else if (mnl_attr_get_type(x) == CG_SA_VALUE &&
			 mnl_attr_validate(x, MNL_TYPE_U64) >= 0) {
			v = mnl_attr_get_u64(x);
			have = 1;
		}
	}
	if (name && have) {
		snprintf(l->name[l->n], sizeof(l->name[0]), "%s", name);
		l->val[l->n++] = v;
	}
	return MNL_CB_OK;
}

static int stats_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, GENL_HDRLEN, stat_cb, data);
	return MNL_CB_OK;
}

static int get_stats(struct cgu_nl *c, struct stat_list *l)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	memset(l, 0, sizeof(*l));
	return cgu_nl_talk(c, cgu_nl_request(c, buf, CG_CMD_GET_STATS, 0),
			   stats_msg_cb, l);
}

static int is_gauge(const char *name)
{
	return !strcmp(name, "tasks_tracked");
}

static int cmd_stats(int argc, char **argv)
{
	enum { TEXT, JSON, PROM } fmt = TEXT;
	struct stat_list l;
	struct cgu_nl c;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			fmt = JSON;
		else if (!strcmp(argv[i], "--prometheus"))
			fmt = PROM;
		else
			return usage(stderr);
	}
	ret = connect_or_fail(&c);
	if (ret)
		return fail("stats", ret);
	ret = get_stats(&c, &l);
	cgu_nl_close(&c);
	if (ret)
		return fail("stats", ret);
	if (fmt == JSON) {
		char out[8192];
		struct jbuf jb;

		jb_init(&jb, out, sizeof(out));
		jb_obj(&jb);
		for (i = 0; i < l.n; i++) {
			jb_key(&jb, l.name[i]);
			jb_u64(&jb, l.val[i]);
		}
		jb_obj_end(&jb);
		if (jb_done(&jb))
			return fail("stats", -ENOSPC);
		puts(out);
		return 0;
	}
	for (i = 0; i < l.n; i++) {
		/* Prometheus naming: a counter's name ends in _total. */
		const char *sfx = is_gauge(l.name[i]) ? "" : "_total";

		if (fmt == TEXT) {
			printf("%s %llu\n", l.name[i],
			       (unsigned long long)l.val[i]);
			continue;
		}
		printf("# HELP credguard_%s%s credguard %s %s.\n"
		       "# TYPE credguard_%s%s %s\n"
		       "credguard_%s%s %llu\n",
		       l.name[i], sfx, *sfx ? "counter" : "gauge", l.name[i],
		       l.name[i], sfx, *sfx ? "counter" : "gauge", l.name[i],
		       sfx, (unsigned long long)l.val[i]);
	}
	return 0;
}

static int cmd_status(void)
{
	struct cgu_nl_config cfg;
	struct stat_list l;
	struct cgu_nl c;
	int i, ret;

	ret = connect_or_fail(&c);
	if (ret)
		return fail("status", ret);
	ret = cgu_nl_get_config(&c, &cfg);
	if (!ret)
		ret = get_stats(&c, &l);
	cgu_nl_close(&c);
	if (ret)
		return fail("status", ret);
	printf("credguard: loaded\ninstance: %016llx\nmode: %s\nlog: %s\n"
	       "ring: %u events, holding %llu..%llu\n",
	       (unsigned long long)cfg.instance, cgu_mode_name(cfg.mode),
	       cfg.log ? "on" : "off", cfg.ring_size,
	       (unsigned long long)cfg.ring_first,
	       (unsigned long long)cfg.ring_next - 1);
	for (i = 0; i < l.n; i++)
		if (!strcmp(l.name[i], "violations") ||
		    !strcmp(l.name[i], "tasks_tracked") ||
		    !strcmp(l.name[i], "events_overwritten"))
			printf("%s: %llu\n", l.name[i],
			       (unsigned long long)l.val[i]);
	return 0;
}

static int cmd_config(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], err[160];
	struct cgu_config cfg = { 0 };
	struct cgu_nl_config cur;
	struct nlmsghdr *nlh;
	struct cgu_nl c;
	int i, ret;

	if (argc == 2 && !strcmp(argv[1], "get")) {
		ret = connect_or_fail(&c);
		if (!ret)
			ret = cgu_nl_get_config(&c, &cur);
		cgu_nl_close(&c);
		if (ret)
			return fail("config get", ret);
		printf("mode=%s\nlog=%s\nring_size=%u\n",
		       cgu_mode_name(cur.mode), cur.log ? "on" : "off",
		       cur.ring_size);
		return 0;
	}
	if (argc < 3 || strcmp(argv[1], "set"))
		return usage(stderr);
	/* Every setting is checked before anything is sent. */
	for (i = 2; i < argc; i++) {
		if (cgu_config_parse(&cfg, argv[i], err, sizeof(err))) {
			fprintf(stderr, "credguardctl: config set: %s\n", err);
			return 2;
		}
	}
	ret = connect_or_fail(&c);
	if (ret)
		return fail("config set", ret);
	nlh = cgu_nl_request(&c, buf, CG_CMD_SET_CONFIG, 0);
	if (cfg.has_mode)
		mnl_attr_put_u8(nlh, CG_A_CFG_MODE, cfg.mode);
	if (cfg.has_log)
		mnl_attr_put_u8(nlh, CG_A_CFG_LOG, cfg.log);
	ret = cgu_nl_talk(&c, nlh, NULL, NULL);
	cgu_nl_close(&c);
	if (ret)
		return fail("config set", ret);
	return 0;
}

struct dump_ctx {
	uint64_t next, instance;
	int text;
};

static int print_event(struct dump_ctx *x, const struct cgu_event *ev)
{
	char line[8192];

	if (x->next && ev->seq > x->next && !x->text &&
	    !cgu_lost_json(ev->instance, x->next, ev->seq - 1,
			   "not in the ring", line, sizeof(line)))
		puts(line);
	else if (x->next && ev->seq > x->next)
		printf("-- %llu events lost (%llu..%llu)\n",
		       (unsigned long long)(ev->seq - x->next),
		       (unsigned long long)x->next,
		       (unsigned long long)ev->seq - 1);
	x->next = ev->seq + 1;
	if (x->text ? cgu_event_text(ev, line, sizeof(line)) :
		      cgu_event_json(ev, line, sizeof(line)))
		return MNL_CB_OK;
	puts(line);
	fflush(stdout);
	return MNL_CB_OK;
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct cgu_event ev;

	if (!cgu_event_parse(nlh, &ev))
		print_event(data, &ev);
	return MNL_CB_OK;
}

static int cmd_events(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct dump_ctx x = { 0 };
	struct nlmsghdr *nlh;
	struct cgu_nl c;
	uint64_t from = 1;
	int ret;

	if (argc == 3 && !strcmp(argv[1], "--from")) {
		if (cgu_parse_u64(argv[2], &from) || !from) {
			fprintf(stderr,
				"credguardctl: events: --from: '%s' is not a sequence number (1 or more)\n",
				argv[2]);
			return 2;
		}
	} else if (argc != 1) {
		return usage(stderr);
	}
	ret = connect_or_fail(&c);
	if (ret)
		return fail("events", ret);
	x.next = from;
	nlh = cgu_nl_request(&c, buf, CG_CMD_GET_EVENTS, NLM_F_DUMP);
	mnl_attr_put_u64(nlh, CG_A_SEQ, from);
	ret = cgu_nl_talk(&c, nlh, dump_cb, &x);
	cgu_nl_close(&c);
	if (ret)
		return fail("events", ret);
	return 0;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int live_cb(const struct nlmsghdr *nlh, void *data)
{
	return dump_cb(nlh, data);
}

static int cmd_watch(int argc, char **argv)
{
	struct dump_ctx x = { .text = 1 };
	struct sigaction sa = { .sa_handler = on_signal };
	char buf[CGU_RECV_SIZE];
	struct cgu_nl c;
	int ret;

	(void)argv;
	if (argc != 1)
		return usage(stderr);
	ret = connect_or_fail(&c);
	if (!ret)
		ret = cgu_nl_subscribe(&c, 1 << 20);
	if (ret) {
		cgu_nl_close(&c);
		return fail("watch", ret);
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		struct pollfd pfd = { .fd = cgu_nl_fd(&c), .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 1000) <= 0)
			continue;
		n = recv(pfd.fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS) {
			printf("-- overrun: some events were not shown (credguardctl events has them)\n");
			continue;
		}
		if (n <= 0)
			continue;
		mnl_cb_run(buf, (size_t)n, 0, 0, live_cb, &x);
	}
	cgu_nl_close(&c);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "status") && argc == 2)
		return cmd_status();
	if (!strcmp(argv[1], "stats"))
		return cmd_stats(argc - 1, argv + 1);
	if (!strcmp(argv[1], "config"))
		return cmd_config(argc - 1, argv + 1);
	if (!strcmp(argv[1], "events"))
		return cmd_events(argc - 1, argv + 1);
	if (!strcmp(argv[1], "watch"))
		return cmd_watch(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--version") && argc == 2) {
		printf("credguardctl %s\n", CG_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	return usage(stderr);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * credguardd: write every credguard event as one JSON object per line.
 *
 * It subscribes to the "events" group, then refills from the kernel's
 * ring whatever the live stream missed (a sequence gap, a socket overrun,
 * the time it was not running). Events that are truly gone become one
 * {"type":"lost",...} record with their exact count. It waits for the
 * module and follows it across unload and reload.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "../../src/uapi/credguard.h"
#include "../common/config.h"
#include "../common/event.h"
#include "../common/gap.h"
#include "../common/nl.h"

#define LINE_MAX_LEN 8192

static volatile sig_atomic_t got_term, got_hup;

struct daemon {
	const char *output; /* NULL: stdout */
	const char *state; /* NULL: no state file */
	int use_syslog;
	int rcvbuf;
	int retry_ms;
	FILE *out;
	struct cgu_nl ev; /* subscribed */
	struct cgu_nl req; /* requests and dumps */
	int connected;
	struct cgu_gap gap;
};

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
}

static int open_output(struct daemon *d)
{
	FILE *f;

	if (!d->output) {
		d->out = stdout;
		return 0;
	}
	f = fopen(d->output, "ae");
	if (!f)
		return -errno;
	if (d->out && d->out != stdout)
		fclose(d->out);
	d->out = f;
	return 0;
}

static void emit(struct daemon *d, const char *line, int prio)
{
	fputs(line, d->out);
	fputc('\n', d->out);
	fflush(d->out);
	if (d->use_syslog)
		syslog(prio, "%s", line);
}

static void notice(struct daemon *d, const char *what)
{
	char line[512];

	if (!cgu_notice_json(what, d->gap.instance, line, sizeof(line)))
		emit(d, line, LOG_INFO);
}

/* "INSTANCE NEXT": where to resume after a restart. */
static void state_save(const struct daemon *d)
{
	char tmp[4096], buf[64];
	int fd, n;

	if (!d->state || !d->gap.instance)
		return;
	n = snprintf(tmp, sizeof(tmp), "%s.tmp", d->state);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	n = snprintf(buf, sizeof(buf), "%016llx %llu\n",
		     (unsigned long long)d->gap.instance,
		     (unsigned long long)d->gap.next);
	if (write(fd, buf, (size_t)n) != n) {
		close(fd);
		unlink(tmp);
		return;
	}
	close(fd);
	rename(tmp, d->state);
}

static void state_load(const struct daemon *d, uint64_t *instance,
		       uint64_t *next)
{
	unsigned long long i = 0, n = 0;
	FILE *f;

	*instance = 0;
	*next = 1;
	if (!d->state)
		return;
	f = fopen(d->state, "re");
	if (!f)
		return;
	if (fscanf(f, "%llx %llu", &i, &n) == 2 && n >= 1) {
		*instance = i;
		*next = n;
	}
	fclose(f);
}

static void write_lost(struct daemon *d, uint64_t first, uint64_t last,
		       const char *reason)
{
	char line[512];

	if (!cgu_lost_json(d->gap.instance, first, last, reason, line,
			   sizeof(line)))
		emit(d, line, LOG_ERR);
}

/* Write @ev unless it was written already; account for a gap before it. */
static void write_event(struct daemon *d, const struct cgu_event *ev)
{
	char line[LINE_MAX_LEN];
	uint64_t first, gone;

	if (cgu_gap_classify(&d->gap, ev->seq) == CGU_SEQ_OLD)
		return;
	gone = cgu_gap_accept(&d->gap, ev->seq, &first);
	if (gone)
		write_lost(d, first, ev->seq - 1, "overwritten in the ring");
	if (cgu_event_json(ev, line, sizeof(line)) == 0)
		emit(d, line, LOG_WARNING);
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct daemon *d = data;
	struct cgu_event ev;

	if (cgu_event_parse(nlh, &ev) || ev.instance != d->gap.instance)
		return MNL_CB_OK;
	write_event(d, &ev);
	return MNL_CB_OK;
}

/* Everything from the next expected event on, from the ring. */
static int refill(struct daemon *d)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int ret;

	nlh = cgu_nl_request(&d->req, buf, CG_CMD_GET_EVENTS, NLM_F_DUMP);
	mnl_attr_put_u64(nlh, CG_A_SEQ, d->gap.next);
	ret = cgu_nl_talk(&d->req, nlh, dump_cb, d);
	state_save(d);
	return ret;
}

static void disconnect(struct daemon *d)
{
	if (!d->connected)
		return;
	cgu_nl_close(&d->ev);
	cgu_nl_close(&d->req);
	d->connected = 0;
	notice(d, "disconnected");
}

static int connect_module(struct daemon *d)
{
	struct cgu_nl_config cfg;
	uint64_t inst, next;
	int ret;

	ret = cgu_nl_open(&d->ev);
	if (ret)
		return ret;
	ret = cgu_nl_subscribe(&d->ev, d->rcvbuf);
	if (ret)
		goto err_ev;
	ret = cgu_nl_open(&d->req);
	if (ret)
		goto err_ev;
	ret = cgu_nl_get_config(&d->req, &cfg);
	if (ret)
		goto err_req;
	if (cfg.instance != d->gap.instance) {
		/* A module we have not seen: resume from the state file if it
		 * names this one, else from its first event. */
		state_load(d, &inst, &next);
		cgu_gap_reset(&d->gap, cfg.instance,
			      inst == cfg.instance ? next : 1);
	}
	d->connected = 1;
	notice(d, "connected");
	ret = refill(d);
	if (ret)
		goto err_conn;
	return 0;
err_conn:
	d->connected = 0;
err_req:
	cgu_nl_close(&d->req);
err_ev:
	cgu_nl_close(&d->ev);
	return ret;
}

static int live_cb(const struct nlmsghdr *nlh, void *data)
{
	struct daemon *d = data;
	struct cgu_event ev;

	if (cgu_event_parse(nlh, &ev))
		return MNL_CB_OK;
	if (ev.instance != d->gap.instance) {
		/* Reloaded under us: start over with the new module. */
		disconnect(d);
		return MNL_CB_STOP;
	}
	switch (cgu_gap_classify(&d->gap, ev.seq)) {
	case CGU_SEQ_OLD:
		break;
	case CGU_SEQ_NEXT:
		write_event(d, &ev);
		break;
	case CGU_SEQ_AHEAD:
		/* Some went missing: take them (and this one) from the ring;
		 * whatever the ring no longer has is counted as lost. */
		if (refill(d) < 0) {
			disconnect(d);
			return MNL_CB_STOP;
		}
		write_event(d, &ev);
		break;
	}
	return MNL_CB_OK;
}

static void receive(struct daemon *d)
{
	char buf[CGU_RECV_SIZE];
	ssize_t n;

	n = recv(cgu_nl_fd(&d->ev), buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0) {
		if (errno == ENOBUFS) {
			/* The socket overran: the ring has what it dropped. */
			notice(d, "overrun");
			if (refill(d) < 0)
				disconnect(d);
		} else if (errno != EAGAIN && errno != EINTR) {
			disconnect(d);
		}
		return;
	}
	mnl_cb_run(buf, (size_t)n, 0, 0, live_cb, d);
	state_save(d);
}

/*
 * Nothing arrived for a while. Still the same module (this notices an
 * unload)? And nothing missing at the tail? After an overrun the kernel
 * reports ENOBUFS only once until the socket's queue drains, so the last
 * events of a burst can be dropped without a word: the ring has them.
 */
static void probe(struct daemon *d)
{
	struct cgu_nl_config cfg;

	if (cgu_nl_get_config(&d->req, &cfg) ||
	    cfg.instance != d->gap.instance) {
		disconnect(d);
		return;
	}
	if (cfg.ring_next > d->gap.next && refill(d) < 0)
		disconnect(d);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: credguardd [--output FILE] [--state FILE] [--syslog]\n"
		"                  [--rcvbuf BYTES] [--retry MS]\n"
		"       credguardd --version\n");
}

static int parse_args(struct daemon *d, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "state", required_argument, NULL, 's' },
		{ "syslog", no_argument, NULL, 'l' },
		{ "rcvbuf", required_argument, NULL, 'b' },
		{ "retry", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	while ((c = getopt_long(argc, argv, "o:s:lb:r:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			d->output = optarg;
			break;
		case 's':
			d->state = optarg;
			break;
		case 'l':
			d->use_syslog = 1;
			break;
		case 'b':
		case 'r':
			if (cgu_parse_u64(optarg, &v) || v > 1u << 30 ||
			    (c == 'r' && (v < 10 || v > 60000))) {
				fprintf(stderr,
					"credguardd: --%s: bad number '%s'\n",
					c == 'b' ? "rcvbuf" : "retry", optarg);
				return -EINVAL;
			}
			if (c == 'b')
				d->rcvbuf = (int)v;
			else
				d->retry_ms = (int)v;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("credguardd %s\n", CG_VERSION);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "credguardd: unexpected argument '%s'\n",
			argv[optind]);
		return -EINVAL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct daemon d = { .rcvbuf = 1 << 20, .retry_ms = 1000 };
	struct sigaction sa = { .sa_handler = on_signal };
	int ret, waiting = 0;

	if (parse_args(&d, argc, argv))
		return 2;
	ret = open_output(&d);
	if (ret) {
		fprintf(stderr, "credguardd: %s: %s\n", d.output,
			strerror(-ret));
		return 1;
	}
	if (d.use_syslog)
		openlog("credguardd", LOG_PID, LOG_AUTHPRIV);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	notice(&d, "started");

	while (!got_term) {
		struct pollfd pfd;

		if (got_hup) {
			got_hup = 0;
			ret = open_output(&d);
			if (ret)
				fprintf(stderr, "credguardd: reopen %s: %s\n",
					d.output, strerror(-ret));
			else
				notice(&d, "reopened");
		}
		if (!d.connected) {
			ret = connect_module(&d);
			if (ret == -EPERM) {
				fprintf(stderr, "credguardd: %s\n",
					cgu_nl_strerror(ret));
				return 1;
			}
			if (ret) {
				if (!waiting)
					notice(&d, "waiting");
				waiting = 1;
				poll(NULL, 0, d.retry_ms);
				continue;
			}
			waiting = 0;
		}
		pfd.fd = cgu_nl_fd(&d.ev);
		pfd.events = POLLIN;
		ret = poll(&pfd, 1, d.retry_ms);
		if (ret > 0)
			receive(&d);
		else if (ret == 0)
			probe(&d);
	}
	state_save(&d);
	disconnect(&d);
	notice(&d, "stopped");
	if (d.out != stdout)
		fclose(d.out);
	return 0;
}

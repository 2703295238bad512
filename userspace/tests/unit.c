// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests: JSON encoding, event parsing and rendering, argument
 * parsing, gap accounting. Prints "ok - NAME" / "not ok - NAME" per test
 * and "N passed, N failed" at the end; exits 1 on any failure.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "../../src/uapi/credguard.h"
#include "../common/config.h"
#include "../common/event.h"
#include "../common/gap.h"
#include "../common/json.h"

static int passed, failed, cur_failed;

#define CHECK(cond)                                                           \
	do {                                                                  \
		if (!(cond)) {                                                \
			printf("#   %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			cur_failed = 1;                                       \
		}                                                             \
	} while (0)

static void run(const char *name, void (*fn)(void))
{
	cur_failed = 0;
	fn();
	if (cur_failed) {
		failed++;
		printf("not ok - %s\n", name);
	} else {
		passed++;
		printf("ok - %s\n", name);
	}
}

static void t_json_escape(void)
{
	char out[256];
	struct jbuf jb;
	const char s[] = "a\"b\\c\n\t\x01\x7f\xff\xc3\xa9/";

	jb_init(&jb, out, sizeof(out));
	jb_str(&jb, s, sizeof(s) - 1);
	CHECK(jb_done(&jb) == 0);
	CHECK(!strcmp(
		out,
		"\"a\\\"b\\\\c\\n\\t\\u0001\\u007f\\u00ff\\u00c3\\u00a9/\""));
}

static void t_json_embedded_nul(void)
{
	char out[64];
	struct jbuf jb;

	jb_init(&jb, out, sizeof(out));
	jb_str(&jb, "a\0b", 3);
	CHECK(jb_done(&jb) == 0);
	CHECK(!strcmp(out, "\"a\\u0000b\""));
}

static void t_json_structure(void)
{
	char out[256];
	struct jbuf jb;

	jb_init(&jb, out, sizeof(out));
	jb_obj(&jb);
	jb_key(&jb, "a");
	jb_u64(&jb, 18446744073709551615ull);
	jb_key(&jb, "b");
	jb_arr(&jb);
	jb_i64(&jb, -5);
	jb_obj(&jb);
	jb_obj_end(&jb);
	jb_null(&jb);
	jb_arr_end(&jb);
	jb_key(&jb, "c");
	jb_bool(&jb, 1);
	jb_obj_end(&jb);
	CHECK(jb_done(&jb) == 0);
	CHECK(!strcmp(
		out,
		"{\"a\":18446744073709551615,\"b\":[-5,{},null],\"c\":true}"));
}

static void t_json_overflow(void)
{
	char out[8];
	struct jbuf jb;

	jb_init(&jb, out, sizeof(out));
	jb_cstr(&jb, "0123456789");
	CHECK(jb_done(&jb) == -ENOSPC);
	CHECK(strlen(out) < sizeof(out));
	/* Unbalanced containers are an error, not output. */
	jb_init(&jb, out, sizeof(out));
	jb_obj(&jb);
	CHECK(jb_done(&jb) == -EINVAL);
}

/* A kernel-like event message. */
static struct nlmsghdr *mk_event(char *buf, uint64_t seq, const char *comm,
				 int bad_type)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));
	struct nlattr *n;

	gh->cmd = CG_CMD_EVENT;
	gh->version = CG_GENL_VERSION;
	mnl_attr_put_u64(nlh, CG_A_INSTANCE, 0xabcdefull);
	mnl_attr_put_u64(nlh, CG_A_SEQ, seq);
	mnl_attr_put_u64(nlh, CG_A_TIME_REAL, 1700000000123456789ull);
	mnl_attr_put_u64(nlh, CG_A_TIME_BOOT, 42);
	if (bad_type)
		mnl_attr_put_u8(nlh, CG_A_PID, 1);
	else
		mnl_attr_put_u32(nlh, CG_A_PID, 152);
	mnl_attr_put_u32(nlh, CG_A_TGID, 150);
	mnl_attr_put_u32(nlh, CG_A_PPID, 1);
	mnl_attr_put_strz(nlh, CG_A_COMM, comm);
	mnl_attr_put_u64(nlh, CG_A_CGROUP_ID, 7);
	mnl_attr_put_u32(nlh, CG_A_SYSCALL_NR, 1);
	mnl_attr_put_strz(nlh, CG_A_SYSCALL_NAME, "write");
	mnl_attr_put_u8(nlh, CG_A_ABI, CG_NL_ABI_X86_64);
	mnl_attr_put_u8(nlh, CG_A_WHERE, CG_NL_AT_COMMIT);
	mnl_attr_put_u8(nlh, CG_A_MODE, CG_NL_MODE_LOG);
	mnl_attr_put_u32(nlh, CG_A_OUTCOME, 0);
	mnl_attr_put_strz(nlh, CG_A_CALLER, "cgt_write+0x2/0x4 [cgtest]");
	n = mnl_attr_nest_start(nlh, CG_A_CHANGE);
	mnl_attr_put_strz(nlh, CG_CA_FIELD, "fsuid");
	mnl_attr_put_u64(nlh, CG_CA_OLD, 1000);
	mnl_attr_put_u64(nlh, CG_CA_NEW, 0);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, CG_A_CHANGE);
	mnl_attr_put_strz(nlh, CG_CA_FIELD, "nsproxy");
	mnl_attr_nest_end(nlh, n);
	/* An attribute from a newer kernel is ignored. */
	mnl_attr_put_u32(nlh, CG_A_MAX + 5, 1);
	return nlh;
}

static void t_event_parse_json(void)
{
	char buf[4096], out[8192];
	struct cgu_event ev;

	CHECK(cgu_event_parse(mk_event(buf, 9, "x\"y\n\xfe", 0), &ev) == 0);
	CHECK(ev.seq == 9 && ev.pid == 152 && ev.nchanges == 2);
	CHECK(cgu_event_json(&ev, out, sizeof(out)) == 0);
	CHECK(!strcmp(
		out,
		"{\"type\":\"violation\",\"instance\":\"0000000000abcdef\",\"seq\":9,"
		"\"time\":\"2023-11-14T22:13:20.123456789Z\",\"realtime_ns\":1700000000123456789,"
		"\"boottime_ns\":42,\"pid\":152,\"tgid\":150,\"ppid\":1,"
		"\"comm\":\"x\\\"y\\n\\u00fe\",\"cgroup_id\":7,\"syscall\":\"write\","
		"\"syscall_nr\":1,\"abi\":\"x86_64\",\"where\":\"commit_creds\","
		"\"caller\":\"cgt_write+0x2/0x4 [cgtest]\",\"changes\":[{\"field\":\"fsuid\","
		"\"old\":1000,\"new\":0},{\"field\":\"nsproxy\"}],\"mode\":\"log\","
		"\"outcome\":\"ok\",\"error\":0}"));
	CHECK(cgu_event_text(&ev, out, sizeof(out)) == 0);
	CHECK(strstr(out, "comm=x\"y\\x0a\\xfe ") != NULL);
	CHECK(strstr(out, " fsuid=1000->0 nsproxy action=log result=ok") !=
	      NULL);
}

/* A helper event; @env NULL: the environment was not at fault. */
static struct nlmsghdr *mk_helper(char *buf, const char *env)
{
	struct nlmsghdr *nlh = mk_event(buf, 4, "exploit", 0);

	mnl_attr_put_u8(nlh, CG_A_KIND, CG_NL_KIND_HELPER);
	mnl_attr_put_strz(nlh, CG_A_HELPER_VAR, "modprobe_path");
	mnl_attr_put_strz(nlh, CG_A_HELPER_PATH, "/sbin/modprobe");
	mnl_attr_put_strz(nlh, CG_A_HELPER_ARGV, "/sbin/modprobe");
	mnl_attr_put_strz(nlh, CG_A_HELPER_ARGV, "-q");
	mnl_attr_put_strz(nlh, CG_A_HELPER_RECORDED, "/sbin/modprobe");
	mnl_attr_put_u8(nlh, CG_A_HELPER_REFUSED, 1);
	if (env)
		mnl_attr_put_strz(nlh, CG_A_HELPER_ENV, env);
	return nlh;
}

static void t_event_helper_env(void)
{
	char buf[4096], out[8192];
	struct cgu_event ev;

	CHECK(cgu_event_parse(mk_helper(buf, "LD_PRELOAD=/tmp/x.so"), &ev) ==
	      0);
	CHECK(cgu_event_json(&ev, out, sizeof(out)) == 0);
	CHECK(strstr(out,
		     "\"helper\":{\"variable\":\"modprobe_path\","
		     "\"path\":\"/sbin/modprobe\",\"argv\":[\"/sbin/modprobe\","
		     "\"-q\"],\"recorded\":\"/sbin/modprobe\","
		     "\"env\":\"LD_PRELOAD=/tmp/x.so\",\"refused\":true}") !=
	      NULL);
	CHECK(cgu_event_text(&ev, out, sizeof(out)) == 0);
	CHECK(strstr(out, " env=LD_PRELOAD=/tmp/x.so ") != NULL);
	/* Without the attribute (older kernels, or argv at fault): no key. */
	CHECK(cgu_event_parse(mk_helper(buf, NULL), &ev) == 0);
	CHECK(cgu_event_json(&ev, out, sizeof(out)) == 0);
	CHECK(strstr(out, "\"env\"") == NULL);
	CHECK(strstr(out,
		     "\"recorded\":\"/sbin/modprobe\",\"refused\":true}") !=
	      NULL);
}

static void t_event_parse_bad(void)
{
	char buf[4096];
	struct cgu_event ev;
	struct nlmsghdr *nlh;

	/* A wrongly typed attribute is refused. */
	CHECK(cgu_event_parse(mk_event(buf, 9, "x", 1), &ev) == -EPROTO);
	/* Sequence number 0 does not exist. */
	CHECK(cgu_event_parse(mk_event(buf, 0, "x", 0), &ev) == -EPROTO);
	/* Another command. */
	nlh = mk_event(buf, 3, "x", 0);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd =
		CG_CMD_GET_STATS;
	CHECK(cgu_event_parse(nlh, &ev) == -EPROTO);
	/* Too short for a generic netlink header. */
	nlh = mnl_nlmsg_put_header(buf);
	CHECK(cgu_event_parse(nlh, &ev) == -EPROTO);
}

static void t_event_json_small_buffer(void)
{
	char buf[4096], out[64];
	struct cgu_event ev;

	CHECK(cgu_event_parse(mk_event(buf, 1, "x", 0), &ev) == 0);
	CHECK(cgu_event_json(&ev, out, sizeof(out)) == -ENOSPC);
}

static void t_lost_json(void)
{
	char out[256];

	CHECK(cgu_lost_json(1, 5, 940, "overwritten in the ring", out,
			    sizeof(out)) == 0);
	CHECK(!strcmp(out,
		      "{\"type\":\"lost\",\"instance\":\"0000000000000001\","
		      "\"first_seq\":5,\"last_seq\":940,\"count\":936,"
		      "\"reason\":\"overwritten in the ring\"}"));
}

static void t_config_parse(void)
{
	struct cgu_config c = { 0 };
	char err[160];

	CHECK(cgu_config_parse(&c, "mode=restore", err, sizeof(err)) == 0);
	CHECK(c.has_mode && c.mode == CG_NL_MODE_RESTORE);
	CHECK(cgu_config_parse(&c, "log=off", err, sizeof(err)) == 0);
	CHECK(c.has_log && c.log == 0);
	CHECK(cgu_config_parse(&c, "log=1", err, sizeof(err)) == 0);
	CHECK(c.log == 1);
}

static void t_config_parse_bad(void)
{
	static const char *const bad[] = {
		"mode",	      "=kill",	     "mode=",	 "mode=KILL",
		"mode=kill ", "modes=kill",  "mod=kill", "log=2",
		"log=",	      "ring_size=5", "",	 "mode=log=1",
	};
	struct cgu_config c = { 0 }, zero = { 0 };
	char err[160];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CHECK(cgu_config_parse(&c, bad[i], err, sizeof(err)) ==
		      -EINVAL);
		CHECK(err[0] != '\0');
		/* Nothing changes on bad input. */
		CHECK(!memcmp(&c, &zero, sizeof(c)));
	}
}

static void t_parse_u64(void)
{
	uint64_t v;

	CHECK(cgu_parse_u64("0", &v) == 0 && v == 0);
	CHECK(cgu_parse_u64("18446744073709551615", &v) == 0 &&
	      v == 18446744073709551615ull);
	CHECK(cgu_parse_u64("18446744073709551616", &v) == -ERANGE);
	CHECK(cgu_parse_u64("-1", &v) == -EINVAL);
	CHECK(cgu_parse_u64(" 1", &v) == -EINVAL);
	CHECK(cgu_parse_u64("1x", &v) == -EINVAL);
	CHECK(cgu_parse_u64("", &v) == -EINVAL);
}

static void t_gap_in_order(void)
{
	struct cgu_gap g = { 0 };
	uint64_t first, s;

	cgu_gap_reset(&g, 7, 1);
	for (s = 1; s <= 1000; s++) {
		CHECK(cgu_gap_classify(&g, s) == CGU_SEQ_NEXT);
		CHECK(cgu_gap_accept(&g, s, &first) == 0);
	}
	CHECK(g.next == 1001 && g.lost == 0);
	CHECK(cgu_gap_classify(&g, 500) == CGU_SEQ_OLD);
	CHECK(cgu_gap_classify(&g, 1002) == CGU_SEQ_AHEAD);
}

static void t_gap_counts(void)
{
	struct cgu_gap g = { 0 };
	uint64_t first;

	cgu_gap_reset(&g, 7, 1);
	/* Ring of 64, burst of 1000: 1..936 are gone. */
	CHECK(cgu_gap_accept(&g, 937, &first) == 936);
	CHECK(first == 1);
	CHECK(cgu_gap_accept(&g, 938, &first) == 0);
	CHECK(cgu_gap_accept(&g, 950, &first) == 11 && first == 939);
	CHECK(g.lost == 947 && g.next == 951);
	/* A restart resumes where the state file says. */
	cgu_gap_reset(&g, 8, 0);
	CHECK(g.next == 1 && g.instance == 8);
	cgu_gap_reset(&g, 8, 40);
	CHECK(cgu_gap_classify(&g, 39) == CGU_SEQ_OLD);
	CHECK(cgu_gap_classify(&g, 40) == CGU_SEQ_NEXT);
}

static void t_mode_names(void)
{
	CHECK(cgu_mode_parse("log") == CG_NL_MODE_LOG);
	CHECK(cgu_mode_parse("kill") == CG_NL_MODE_KILL);
	CHECK(cgu_mode_parse("") == -EINVAL);
	CHECK(!strcmp(cgu_mode_name(CG_NL_MODE_RESTORE), "restore"));
	CHECK(!strcmp(cgu_mode_name(77), "unknown"));
	CHECK(!strcmp(cgu_where_name(CG_NL_AT_ENTRY), "entry"));
	CHECK(!strcmp(cgu_where_name(CG_NL_AT_SCHED), "sched"));
	CHECK(!strcmp(cgu_where_name(CG_NL_AT_CAPABLE), "capable"));
	CHECK(!strcmp(cgu_where_name(CG_NL_AT_CAPABLE + 1), "unknown"));
	CHECK(!strcmp(cgu_abi_name(CG_NL_ABI_IA32), "ia32"));
}

int main(void)
{
	run("json: escaping of quotes, backslashes, controls, high bytes",
	    t_json_escape);
	run("json: an embedded NUL byte", t_json_embedded_nul);
	run("json: objects, arrays, commas, numbers", t_json_structure);
	run("json: a small buffer is an error, never a partial line",
	    t_json_overflow);
	run("event: parsed and rendered with the documented schema",
	    t_event_parse_json);
	run("event: malformed messages are refused", t_event_parse_bad);
	run("event: a helper's environment entry at fault", t_event_helper_env);
	run("event: too long for the buffer is an error",
	    t_event_json_small_buffer);
	run("lost record: exact count", t_lost_json);
	run("config: valid KEY=VALUE", t_config_parse);
	run("config: bad KEY=VALUE refused, nothing changed",
	    t_config_parse_bad);
	run("args: numbers", t_parse_u64);
	run("gap: in-order stream, duplicates, gaps", t_gap_in_order);
	run("gap: losses counted exactly", t_gap_counts);
	run("names: modes, where, abi", t_mode_names);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/* Parse a credguard event message; render it as JSON or as text. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "../../src/uapi/credguard.h"
#include "event.h"
#include "json.h"

static const char *const modes[] = { "log", "restore", "kill" };
static const char *const wheres[] = { "entry",	    "exit",   "commit_creds",
				      "next_entry", "helper", "sched",
				      "capable" };
static const char *const kinds[] = { "credentials", "helper" };
static const char *const abis[] = { "x86_64", "ia32", "x32", "aarch64",
				    "aarch32" };

#define NAME(tab, i) ((i) < sizeof(tab) / sizeof(tab[0]) ? tab[i] : "unknown")

const char *cgu_mode_name(unsigned int mode)
{
	return NAME(modes, mode);
}

int cgu_mode_parse(const char *s)
{
	unsigned int i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(s, modes[i]))
			return (int)i;
	return -EINVAL;
}

const char *cgu_where_name(unsigned int where)
{
	return NAME(wheres, where);
}

const char *cgu_abi_name(unsigned int abi)
{
	return NAME(abis, abi);
}

/* Expected type of each top-level attribute of an event. */
static const enum mnl_attr_data_type ev_types[CG_A_MAX + 1] = {
	[CG_A_INSTANCE] = MNL_TYPE_U64,
	[CG_A_SEQ] = MNL_TYPE_U64,
	[CG_A_TIME_BOOT] = MNL_TYPE_U64,
	[CG_A_TIME_REAL] = MNL_TYPE_U64,
	[CG_A_PID] = MNL_TYPE_U32,
	[CG_A_TGID] = MNL_TYPE_U32,
	[CG_A_PPID] = MNL_TYPE_U32,
	[CG_A_COMM] = MNL_TYPE_NUL_STRING,
	[CG_A_CGROUP_ID] = MNL_TYPE_U64,
	[CG_A_SYSCALL_NR] = MNL_TYPE_U32,
	[CG_A_SYSCALL_NAME] = MNL_TYPE_NUL_STRING,
	[CG_A_ABI] = MNL_TYPE_U8,
	[CG_A_WHERE] = MNL_TYPE_U8,
	[CG_A_CALLER] = MNL_TYPE_NUL_STRING,
	[CG_A_CHANGE] = MNL_TYPE_NESTED,
	[CG_A_MODE] = MNL_TYPE_U8,
	[CG_A_OUTCOME] = MNL_TYPE_U32,
	[CG_A_KIND] = MNL_TYPE_U8,
	[CG_A_INIT_SPARED] = MNL_TYPE_U8,
	[CG_A_HELPER_VAR] = MNL_TYPE_NUL_STRING,
	[CG_A_HELPER_PATH] = MNL_TYPE_NUL_STRING,
	[CG_A_HELPER_ARGV] = MNL_TYPE_NUL_STRING,
	[CG_A_HELPER_RECORDED] = MNL_TYPE_NUL_STRING,
	[CG_A_HELPER_ENV] = MNL_TYPE_NUL_STRING,
	[CG_A_HELPER_REFUSED] = MNL_TYPE_U8,
};

struct parse_ctx {
	struct cgu_event *ev;
	unsigned int seen;
	int err;
};

static void copy_str(char *dst, size_t cap, const struct nlattr *a)
{
	const char *s = mnl_attr_get_str(a);
	size_t n = strnlen(s, mnl_attr_get_payload_len(a));

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static int change_cb(const struct nlattr *a, void *data)
{
	struct cgu_change *c = data;

	switch (mnl_attr_get_type(a)) {
	case CG_CA_FIELD:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		copy_str(c->field, sizeof(c->field), a);
		break;
	case CG_CA_OLD:
	case CG_CA_NEW:
		if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			return MNL_CB_ERROR;
		if (mnl_attr_get_type(a) == CG_CA_OLD)
			c->old = mnl_attr_get_u64(a);
		else
			c->new = mnl_attr_get_u64(a);
		c->has_value = 1;
		break;
	default:
		break; /* newer kernels may add attributes: ignored */
	}
	return MNL_CB_OK;
}

/* The usermode helper attributes; 0, or -1 when malformed. */
static int helper_attr(struct cgu_helper *h, const struct nlattr *a)
{
	switch (mnl_attr_get_type(a)) {
	case CG_A_HELPER_VAR:
		copy_str(h->var, sizeof(h->var), a);
		break;
	case CG_A_HELPER_PATH:
		copy_str(h->path, sizeof(h->path), a);
		break;
	case CG_A_HELPER_RECORDED:
		copy_str(h->recorded, sizeof(h->recorded), a);
		break;
	case CG_A_HELPER_ENV:
		copy_str(h->env, sizeof(h->env), a);
		break;
	case CG_A_HELPER_REFUSED:
		h->refused = mnl_attr_get_u8(a) != 0;
		break;
	case CG_A_HELPER_ARGV:
		if (h->argc >= CGU_MAX_ARGS)
			return -1;
		copy_str(h->argv[h->argc], sizeof(h->argv[0]), a);
		h->argc++;
		break;
	}
	return 0;
}

static int ev_cb(const struct nlattr *a, void *data)
{
	struct parse_ctx *p = data;
	struct cgu_event *ev = p->ev;
	uint16_t type = mnl_attr_get_type(a);

	if (type > CG_A_MAX || !ev_types[type])
		return MNL_CB_OK;
	if (mnl_attr_validate(a, ev_types[type]) < 0)
		goto bad;
	if (type < 32)
		p->seen |= 1u << type;
	switch (type) {
	case CG_A_INSTANCE:
		ev->instance = mnl_attr_get_u64(a);
		break;
	case CG_A_SEQ:
		ev->seq = mnl_attr_get_u64(a);
		break;
	case CG_A_TIME_BOOT:
		ev->boot_ns = mnl_attr_get_u64(a);
		break;
	case CG_A_TIME_REAL:
		ev->real_ns = mnl_attr_get_u64(a);
		break;
	case CG_A_PID:
		ev->pid = mnl_attr_get_u32(a);
		break;
	case CG_A_TGID:
		ev->tgid = mnl_attr_get_u32(a);
		break;
	case CG_A_PPID:
		ev->ppid = mnl_attr_get_u32(a);
		break;
	case CG_A_COMM:
		copy_str(ev->comm, sizeof(ev->comm), a);
		ev->comm_len = strlen(ev->comm);
		break;
	case CG_A_CGROUP_ID:
		ev->cgroup_id = mnl_attr_get_u64(a);
		break;
	case CG_A_SYSCALL_NR:
		ev->nr = mnl_attr_get_u32(a);
		break;
	case CG_A_SYSCALL_NAME:
		copy_str(ev->syscall, sizeof(ev->syscall), a);
		break;
	case CG_A_ABI:
		ev->abi = mnl_attr_get_u8(a);
		break;
	case CG_A_WHERE:
		ev->where = mnl_attr_get_u8(a);
		break;
	case CG_A_CALLER:
		copy_str(ev->caller, sizeof(ev->caller), a);
		ev->has_caller = 1;
		break;
	case CG_A_MODE:
		ev->mode = mnl_attr_get_u8(a);
		break;
	case CG_A_OUTCOME:
		ev->outcome = (int32_t)mnl_attr_get_u32(a);
		break;
	case CG_A_KIND:
		ev->kind = mnl_attr_get_u8(a);
		break;
	case CG_A_INIT_SPARED:
		ev->init_spared = mnl_attr_get_u8(a) != 0;
		break;
	case CG_A_HELPER_VAR:
	case CG_A_HELPER_PATH:
	case CG_A_HELPER_ARGV:
	case CG_A_HELPER_RECORDED:
	case CG_A_HELPER_REFUSED:
	case CG_A_HELPER_ENV:
		if (helper_attr(&ev->helper, a))
			goto bad;
		break;
	case CG_A_CHANGE:
		if (ev->nchanges >= CGU_MAX_CHANGES)
			goto bad;
		if (mnl_attr_parse_nested(a, change_cb,
					  &ev->changes[ev->nchanges]) < 0 ||
		    !ev->changes[ev->nchanges].field[0])
			goto bad;
		ev->nchanges++;
		break;
	}
	return MNL_CB_OK;
bad:
	p->err = -EPROTO;
	return MNL_CB_ERROR;
}

int cgu_event_parse(const struct nlmsghdr *nlh, struct cgu_event *ev)
{
	const unsigned int need = 1u << CG_A_INSTANCE | 1u << CG_A_SEQ |
				  1u << CG_A_PID | 1u << CG_A_TGID |
				  1u << CG_A_WHERE | 1u << CG_A_MODE;
	struct parse_ctx p = { .ev = ev };
	const struct genlmsghdr *gh;

	memset(ev, 0, sizeof(*ev));
	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return -EPROTO;
	gh = mnl_nlmsg_get_payload(nlh);
	if (gh->cmd != CG_CMD_EVENT)
		return -EPROTO;
	if (mnl_attr_parse(nlh, GENL_HDRLEN, ev_cb, &p) < 0 || p.err)
		return -EPROTO;
	if ((p.seen & need) != need || !ev->seq)
		return -EPROTO;
	return 0;
}

static void put_time(struct jbuf *jb, uint64_t real_ns)
{
	time_t t = (time_t)(real_ns / 1000000000ull);
	struct tm tm;
	char b[64];

	if (!gmtime_r(&t, &tm)) {
		jb_null(jb);
		return;
	}
	snprintf(b, sizeof(b), "%04d-%02d-%02dT%02d:%02d:%02d.%09lluZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec,
		 (unsigned long long)(real_ns % 1000000000ull));
	jb_cstr(jb, b);
}

static void put_instance(struct jbuf *jb, uint64_t instance)
{
	char b[20];

	snprintf(b, sizeof(b), "%016llx", (unsigned long long)instance);
	jb_key(jb, "instance");
	jb_cstr(jb, b);
}

static void put_helper(struct jbuf *jb, const struct cgu_helper *h)
{
	int i;

	jb_key(jb, "helper");
	jb_obj(jb);
	jb_key(jb, "variable");
	jb_cstr(jb, h->var);
	jb_key(jb, "path");
	jb_cstr(jb, h->path);
	jb_key(jb, "argv");
	jb_arr(jb);
	for (i = 0; i < h->argc; i++)
		jb_cstr(jb, h->argv[i]);
	jb_arr_end(jb);
	jb_key(jb, "recorded");
	jb_cstr(jb, h->recorded);
	if (h->env[0]) {
		jb_key(jb, "env");
		jb_cstr(jb, h->env);
	}
	jb_key(jb, "refused");
	jb_bool(jb, h->refused);
	jb_obj_end(jb);
}

int cgu_event_json(const struct cgu_event *ev, char *buf, size_t len)
{
	struct jbuf jb;
	int i;

	jb_init(&jb, buf, len);
	jb_obj(&jb);
	jb_key(&jb, "type");
	jb_cstr(&jb, "violation");
	put_instance(&jb, ev->instance);
	jb_key(&jb, "seq");
	jb_u64(&jb, ev->seq);
	/* Credential events keep their original line: "kind" is absent. */
	if (ev->kind != CG_NL_KIND_CRED) {
		jb_key(&jb, "kind");
		jb_cstr(&jb, NAME(kinds, ev->kind));
	}
	jb_key(&jb, "time");
	put_time(&jb, ev->real_ns);
	jb_key(&jb, "realtime_ns");
	jb_u64(&jb, ev->real_ns);
	jb_key(&jb, "boottime_ns");
	jb_u64(&jb, ev->boot_ns);
	jb_key(&jb, "pid");
	jb_u64(&jb, ev->pid);
	jb_key(&jb, "tgid");
	jb_u64(&jb, ev->tgid);
	jb_key(&jb, "ppid");
	jb_u64(&jb, ev->ppid);
	jb_key(&jb, "comm");
	jb_str(&jb, ev->comm, ev->comm_len);
	jb_key(&jb, "cgroup_id");
	jb_u64(&jb, ev->cgroup_id);
	jb_key(&jb, "syscall");
	jb_cstr(&jb, ev->syscall);
	jb_key(&jb, "syscall_nr");
	jb_i64(&jb, (int32_t)ev->nr);
	jb_key(&jb, "abi");
	jb_cstr(&jb, cgu_abi_name(ev->abi));
	jb_key(&jb, "where");
	jb_cstr(&jb, cgu_where_name(ev->where));
	jb_key(&jb, "caller");
	if (ev->has_caller)
		jb_cstr(&jb, ev->caller);
	else
		jb_null(&jb);
	jb_key(&jb, "changes");
	jb_arr(&jb);
	for (i = 0; i < ev->nchanges; i++) {
		const struct cgu_change *c = &ev->changes[i];

		jb_obj(&jb);
		jb_key(&jb, "field");
		jb_cstr(&jb, c->field);
		if (c->has_value) {
			jb_key(&jb, "old");
			jb_u64(&jb, c->old);
			jb_key(&jb, "new");
			jb_u64(&jb, c->new);
		}
		jb_obj_end(&jb);
	}
	jb_arr_end(&jb);
	if (ev->kind == CG_NL_KIND_HELPER)
		put_helper(&jb, &ev->helper);
	jb_key(&jb, "mode");
	jb_cstr(&jb, cgu_mode_name(ev->mode));
	jb_key(&jb, "outcome");
	jb_cstr(&jb, ev->outcome ? "failed" : "ok");
	jb_key(&jb, "error");
	jb_i64(&jb, ev->outcome);
	if (ev->init_spared) {
		jb_key(&jb, "init_spared");
		jb_bool(&jb, 1);
	}
	jb_obj_end(&jb);
	return jb_done(&jb);
}

int cgu_lost_json(uint64_t instance, uint64_t first, uint64_t last,
		  const char *reason, char *buf, size_t len)
{
	struct jbuf jb;

	jb_init(&jb, buf, len);
	jb_obj(&jb);
	jb_key(&jb, "type");
	jb_cstr(&jb, "lost");
	put_instance(&jb, instance);
	jb_key(&jb, "first_seq");
	jb_u64(&jb, first);
	jb_key(&jb, "last_seq");
	jb_u64(&jb, last);
	jb_key(&jb, "count");
	jb_u64(&jb, last - first + 1);
	jb_key(&jb, "reason");
	jb_cstr(&jb, reason);
	jb_obj_end(&jb);
	return jb_done(&jb);
}

int cgu_notice_json(const char *what, uint64_t instance, char *buf, size_t len)
{
	struct jbuf jb;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	jb_init(&jb, buf, len);
	jb_obj(&jb);
	jb_key(&jb, "type");
	jb_cstr(&jb, "daemon");
	jb_key(&jb, "event");
	jb_cstr(&jb, what);
	if (instance)
		put_instance(&jb, instance);
	jb_key(&jb, "time");
	put_time(&jb,
		 (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
	jb_obj_end(&jb);
	return jb_done(&jb);
}

/* Printable ASCII only: nothing reaches the terminal raw. */
static size_t text_str(char *buf, size_t len, const char *key, const char *s)
{
	size_t o = (size_t)snprintf(buf, len, " %s=", key);

	for (; *s && o + 1 < len; s++)
		buf[o++] = (*s < 0x20 || *s > 0x7e) ? '?' : *s;
	if (o < len)
		buf[o] = '\0';
	return o;
}

static size_t helper_text(const struct cgu_helper *h, char *buf, size_t len)
{
	size_t o = text_str(buf, len, "helper", h->var);
	int i;

	if (o < len)
		o += text_str(buf + o, len - o, "path", h->path);
	for (i = 0; i < h->argc && o < len; i++)
		o += text_str(buf + o, len - o, "arg", h->argv[i]);
	if (o < len)
		o += text_str(buf + o, len - o, "recorded", h->recorded);
	if (o < len && h->env[0])
		o += text_str(buf + o, len - o, "env", h->env);
	if (o < len)
		o += text_str(buf + o, len - o, "helper_result",
			      h->refused ? "refused" : "ran");
	return o;
}

int cgu_event_text(const struct cgu_event *ev, char *buf, size_t len)
{
	char comm[4 * sizeof(ev->comm) + 1];
	size_t i, n = 0, o;
	int k;

	/* Unprintable comm bytes as \xNN: nothing reaches the terminal raw. */
	for (i = 0; i < ev->comm_len; i++) {
		unsigned char c = (unsigned char)ev->comm[i];

		if (c < 0x20 || c > 0x7e || c == '\\')
			n += (size_t)snprintf(comm + n, sizeof(comm) - n,
					      "\\x%02x", c);
		else
			comm[n++] = (char)c;
	}
	comm[n] = '\0';
	k = snprintf(
		buf, len,
		"#%llu pid=%u tgid=%u ppid=%u comm=%s syscall=%s(%d) abi=%s at=%s",
		(unsigned long long)ev->seq, ev->pid, ev->tgid, ev->ppid, comm,
		ev->syscall, (int32_t)ev->nr, cgu_abi_name(ev->abi),
		cgu_where_name(ev->where));
	if (k < 0 || (size_t)k >= len)
		return -ENOSPC;
	o = (size_t)k;
	for (k = 0; k < ev->nchanges && o < len; k++) {
		const struct cgu_change *c = &ev->changes[k];

		if (c->has_value && (!strncmp(c->field, "cap_", 4) ||
				     !strcmp(c->field, "securebits")))
			o += (size_t)snprintf(buf + o, len - o,
					      " %s=%#llx->%#llx", c->field,
					      (unsigned long long)c->old,
					      (unsigned long long)c->new);
		else if (c->has_value)
			o += (size_t)snprintf(buf + o, len - o,
					      " %s=%llu->%llu", c->field,
					      (unsigned long long)c->old,
					      (unsigned long long)c->new);
		else
			o += (size_t)snprintf(buf + o, len - o, " %s",
					      c->field);
	}
	if (o < len)
		o += (size_t)snprintf(buf + o, len - o, " action=%s result=%s",
				      cgu_mode_name(ev->mode),
				      ev->outcome ? "failed" : "ok");
	if (o < len && ev->has_caller)
		o += (size_t)snprintf(buf + o, len - o, " caller=%s",
				      ev->caller);
	if (o < len && ev->kind == CG_NL_KIND_HELPER)
		o += helper_text(&ev->helper, buf + o, len - o);
	if (o < len && ev->init_spared)
		o += (size_t)snprintf(buf + o, len - o, " init_spared");
	return o < len ? 0 : -ENOSPC;
}

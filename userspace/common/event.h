/* SPDX-License-Identifier: GPL-2.0 */
/* One credguard event, as parsed from netlink, and its renderings. */
#ifndef CGU_EVENT_H
#define CGU_EVENT_H

#include <stddef.h>
#include <stdint.h>

#define CGU_MAX_CHANGES 24

struct cgu_change {
	char field[24];
	int has_value;
	uint64_t old, new;
};

#define CGU_MAX_ARGS 32

/* kind "helper": a usermode helper the guard judged (CG_A_HELPER_*). */
struct cgu_helper {
	char var[32];
	char path[256];
	char recorded[256];
	char env[256]; /* the environment entry at fault, or empty */
	char argv[CGU_MAX_ARGS][256];
	int argc;
	int refused;
};

struct cgu_event {
	uint64_t instance, seq, boot_ns, real_ns, cgroup_id;
	uint32_t pid, tgid, ppid, nr;
	char comm[32];
	size_t comm_len;
	char syscall[48];
	char caller[256];
	int has_caller;
	int init_spared;
	uint8_t abi, where, mode;
	int32_t outcome;
	int nchanges;
	struct cgu_change changes[CGU_MAX_CHANGES];
	uint8_t kind; /* enum cg_nl_kind */
	struct cgu_helper helper;
};

const char *cgu_mode_name(unsigned int mode);
int cgu_mode_parse(const char *s); /* enum cg_nl_mode, or -EINVAL */
const char *cgu_where_name(unsigned int where);
const char *cgu_abi_name(unsigned int abi);

struct nlmsghdr;
/* 0, or -EPROTO when the message is not a well-formed event. */
int cgu_event_parse(const struct nlmsghdr *nlh, struct cgu_event *ev);

/* One JSON object (no newline) into buf; 0 or a negative errno. */
int cgu_event_json(const struct cgu_event *ev, char *buf, size_t len);
/* The record of events that are gone: seq first..last of instance. */
int cgu_lost_json(uint64_t instance, uint64_t first, uint64_t last,
		  const char *reason, char *buf, size_t len);
/* A daemon notice: {"type":"daemon","event":what,...}. */
int cgu_notice_json(const char *what, uint64_t instance, char *buf, size_t len);
/* One human-readable line (no newline). */
int cgu_event_text(const struct cgu_event *ev, char *buf, size_t len);

#endif /* CGU_EVENT_H */

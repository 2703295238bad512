/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event ring: every violation gets a sequence number and a slot; the
 * latest cg_ring_size events stay there for user space to dump.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_EVENTS_H
#define CG_EVENTS_H

#include "credguard.h"

struct cg_ring_ent {
	u64 seq;
	u64 boot_ns;
	u64 real_ns;
	u64 cgroup_id;
	pid_t ppid;
	struct cg_event ev;
};

extern u64 cg_instance;

int cg_events_init(void);
void cg_events_flush(void);
void cg_events_exit(void);
void cg_event_emit(const struct cg_event *ev);
void cg_event_emit_kind(const struct cg_event *ev, u8 kind);
int cg_ring_read(u64 *seq, struct cg_ring_ent *out);
void cg_ring_bounds(u64 *first, u64 *next);

/* netlink.c */
int cg_nl_init(void);
void cg_nl_exit(void);
int cg_nl_publish(const struct cg_ring_ent *e);

#endif /* CG_EVENTS_H */

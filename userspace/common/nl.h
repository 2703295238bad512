/* SPDX-License-Identifier: GPL-2.0 */
/* The credguard generic netlink family, from user space (libmnl). */
#ifndef CGU_NL_H
#define CGU_NL_H

#include <stdint.h>
#include <libmnl/libmnl.h>

/* Big enough for any message of a dump. */
#define CGU_RECV_SIZE 32768

struct cgu_nl {
	struct mnl_socket *nl;
	uint16_t family;
	uint32_t mcgrp;
	uint32_t portid;
	uint32_t seq;
};

/* Returned by the helpers: -ENOENT when the module is not loaded. */
int cgu_nl_open(struct cgu_nl *c);
void cgu_nl_close(struct cgu_nl *c);
int cgu_nl_subscribe(struct cgu_nl *c, int rcvbuf);
int cgu_nl_fd(const struct cgu_nl *c);

/* A request of @cmd in @buf (MNL_SOCKET_BUFFER_SIZE bytes). */
struct nlmsghdr *cgu_nl_request(struct cgu_nl *c, char *buf, uint8_t cmd,
				uint16_t flags);
/*
 * Send @req and run @cb on every reply until the ACK or the end of the
 * dump. 0, or a negative errno (the kernel's, e.g. -EPERM).
 */
int cgu_nl_talk(struct cgu_nl *c, struct nlmsghdr *req, mnl_cb_t cb,
		void *data);

/* Configuration and ring state (CG_CMD_GET_CONFIG). */
struct cgu_nl_config {
	uint64_t instance, ring_first, ring_next;
	uint32_t ring_size;
	uint8_t mode, log;
};
int cgu_nl_get_config(struct cgu_nl *c, struct cgu_nl_config *cfg);

/* An explanation of a negative errno from these helpers. */
const char *cgu_nl_strerror(int err);

#endif /* CGU_NL_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The id maps of user namespaces (idmap.c).
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_IDMAP_H
#define CG_IDMAP_H

#include "credguard.h"

/* uid_map, gid_map, projid_map: in the order of their fields. */
#define CG_IDMAPS 3

/* What a comparison found, for the report and the remedy. */
struct cg_idmap_diff {
	struct user_namespace *ns;
	cg_mask_t changed; /* CG_M_IDMAPS bits */
};

int cg_idmap_init(void);
void cg_idmap_exit(void);

/*
 * Hook context. Compare the live maps of @ns with its record; returns the
 * fields that differ (0 for the initial namespace, or while a map of @ns
 * is being written).
 */
cg_mask_t cg_idmap_compare(struct user_namespace *ns, struct cg_idmap_diff *d);
/* The same, for a namespace with a record only (never adopts one). */
cg_mask_t cg_idmap_compare_recorded(struct user_namespace *ns,
				    struct cg_idmap_diff *d);
/* Put the recorded maps back in place; 0 or -EIO. */
int cg_idmap_restore(const struct cg_idmap_diff *d);
/* log mode: the live maps become the record. */
void cg_idmap_accept(const struct cg_idmap_diff *d);
/*
 * The values of the map fields of @ev (cg_event_set_changes() has none):
 * the first extent's lower_first, recorded and live; U32_MAX: no map.
 */
void cg_idmap_event_values(struct cg_event *ev, const struct cg_idmap_diff *d);

#endif /* CG_IDMAP_H */

// SPDX-License-Identifier: GPL-2.0
/* Sequence accounting; see gap.h. */
#include "gap.h"

void cgu_gap_reset(struct cgu_gap *g, uint64_t instance, uint64_t next)
{
	g->instance = instance;
	g->next = next ? next : 1;
}

enum cgu_gap_kind cgu_gap_classify(const struct cgu_gap *g, uint64_t seq)
{
	if (seq < g->next)
		return CGU_SEQ_OLD;
	return seq == g->next ? CGU_SEQ_NEXT : CGU_SEQ_AHEAD;
}

uint64_t cgu_gap_accept(struct cgu_gap *g, uint64_t seq, uint64_t *first)
{
	uint64_t gone = 0;

	*first = g->next;
	if (seq > g->next)
		gone = seq - g->next;
	g->lost += gone;
	g->next = seq + 1;
	return gone;
}

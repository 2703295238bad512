/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sequence accounting: which event comes next, which ones were seen
 * twice (a refill overlapping the live stream), how many are gone.
 */
#ifndef CGU_GAP_H
#define CGU_GAP_H

#include <stdint.h>

struct cgu_gap {
	uint64_t instance; /* of the module the numbers belong to */
	uint64_t next; /* the next sequence number to write */
	uint64_t lost; /* events known to be gone, in total */
};

enum cgu_gap_kind { CGU_SEQ_OLD, CGU_SEQ_NEXT, CGU_SEQ_AHEAD };

/* Start over with the numbers of @instance, from @next (>= 1). */
void cgu_gap_reset(struct cgu_gap *g, uint64_t instance, uint64_t next);
enum cgu_gap_kind cgu_gap_classify(const struct cgu_gap *g, uint64_t seq);
/*
 * @seq is written now. Returns how many events before it are gone (0 if
 * it is the next one) and sets *first to the first of them. Never call it
 * for an old one.
 */
uint64_t cgu_gap_accept(struct cgu_gap *g, uint64_t seq, uint64_t *first);

#endif /* CGU_GAP_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * seccomp filter chains as they were installed (filters.c).
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_FILTERS_H
#define CG_FILTERS_H

#include <linux/types.h>

struct cg_frec;

/*
 * The record of filter @head (a struct seccomp_filter, or NULL) and of the
 * filters below it, made from their live words where there is none, with a
 * reference for the caller. NULL: no filter, no memory, or one that does
 * not read as a seccomp filter (its chain is then not guarded). Any
 * context.
 */
struct cg_frec *cg_frec_get(const void *head);
void cg_frec_put(struct cg_frec *r);
/* The filter @r records. */
const void *cg_frec_filter(const struct cg_frec *r);

/*
 * Lockless, by the task whose shadow holds @r: 0 if the chain is as
 * recorded, else the position of the first filter that differs (1: the
 * newest). A false alarm is possible while another task's report makes a
 * shared record take new values: cg_frec_recheck() decides.
 */
unsigned int cg_frec_changed(const struct cg_frec *r);
unsigned int cg_frec_recheck(const struct cg_frec *r);
/* Put the recorded words back (0, or -EFAULT if one could not be). */
int cg_frec_restore(const struct cg_frec *r);
/* Take the live words as the record (log mode: reported once). */
void cg_frec_accept(struct cg_frec *r);

/*
 * The live chain from @head runs through exactly @n filters, each one
 * that reads as a seccomp filter, down to @old: what seccomp() and TSYNC
 * do, pushing filters on the chain a task had.
 */
bool cg_frec_extends(const void *head, unsigned int n, const void *old);

void cg_frec_exit(void);

#endif /* CG_FILTERS_H */

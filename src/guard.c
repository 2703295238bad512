// SPDX-License-Identifier: GPL-2.0
/*
 * The guarded state (guard.h): snapshot, diff and how each field is shown.
 * Slow path only: the fast path compares words in shadow.h.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/kernel.h>
#include <linux/uaccess.h>
#include <linux/dcache.h>
#include <linux/ns_common.h>

#include "credguard.h"
#include "compat.h"

struct cg_field_desc {
	const char *name;
	u8 word;
	u8 shift;
	u8 bits;
	u8 fmt;
	u16 arg;
};

static const struct cg_field_desc cg_fields[CG_F_NR] = {
#define CG_X_DESC(id, n, w, sh, b, f, a) \
	[CG_F_##id] = { n, CG_W_##w, sh, b, CG_FMT_##f, a },
	CG_FIELDS(CG_X_DESC)
#undef CG_X_DESC
		[CG_F_CREDSPLIT] = { "cred_split", 0, 0, 0, CG_FMT_NONE, 0 },
	[CG_F_UID_MAP] = { "uid_map", 0, 0, 0, CG_FMT_DEC, 0 },
	[CG_F_GID_MAP] = { "gid_map", 0, 0, 0, CG_FMT_DEC, 0 },
	[CG_F_PROJID_MAP] = { "projid_map", 0, 0, 0, CG_FMT_DEC, 0 },
	[CG_F_USERNS_PARENT] = { "userns_parent", 0, 0, 0, CG_FMT_DEC, 0 },
	[CG_F_USERNS_OWNER] = { "userns_owner", 0, 0, 0, CG_FMT_DEC, 0 },
	[CG_F_PTRACE_LINK] = { "ptrace_link", 0, 0, 0, CG_FMT_DEC, 0 },
	[CG_F_SECCOMP_CHAIN] = { "seccomp_chain", 0, 0, 0, CG_FMT_DEC, 0 },
};

const char *cg_field_name(enum cg_field f)
{
	return f < CG_F_NR ? cg_fields[f].name : "?";
}

enum cg_fmt cg_field_fmt(enum cg_field f)
{
	return f < CG_F_NR ? cg_fields[f].fmt : CG_FMT_NONE;
}

void cg_vals_live(struct cg_vals *v, const struct task_struct *t)
{
	const struct cred *c = rcu_dereference_raw(t->real_cred);
	const struct nsproxy *nsp = READ_ONCE(t->nsproxy);
	const struct fs_struct *fs = READ_ONCE(t->fs);
	const struct group_info *gi = c->group_info;
	int i, n = min_t(int, READ_ONCE(gi->ngroups), CG_GIDS_INLINE);

#define CG_X_READ(id, expr) v->w[CG_W_##id] = (u64)(expr);
	CG_WORDS(CG_X_READ)
#undef CG_X_READ
	for (i = 0; i < n; i++)
		v->gids[i] = __kgid_val(gi->gid[i]);
	for (; i < CG_GIDS_INLINE; i++)
		v->gids[i] = 0;
	for (i = 0; i < CG_O_NR; i++)
		v->owners[i] = cg_owner_read(nsp, i);
}

static u64 cg_field_bits(const struct cg_field_desc *d, const struct cg_vals *v)
{
	u64 x = v->w[d->word] >> d->shift;

	return d->bits < 64 ? x & ((1ULL << d->bits) - 1) : x;
}

u64 cg_field_get(enum cg_field f, const struct cg_vals *v)
{
	return f < CG_F_CREDSPLIT ? cg_field_bits(&cg_fields[f], v) : 0;
}

void cg_field_put(enum cg_field f, struct cg_vals *v, u64 x)
{
	const struct cg_field_desc *d = &cg_fields[f];
	u64 m;

	if (f >= CG_F_CREDSPLIT || !d->bits)
		return;
	m = d->bits < 64 ? (1ULL << d->bits) - 1 : ~0ULL;
	v->w[d->word] = (v->w[d->word] & ~(m << d->shift)) |
			((x & m) << d->shift);
}

/* The first index at which the gid lists differ, or -1. */
static int cg_gids_first_diff(const struct cg_vals *a, const struct cg_vals *b)
{
	int i;

	for (i = 0; i < CG_GIDS_INLINE; i++)
		if (a->gids[i] != b->gids[i])
			return i;
	return -1;
}

/* The first namespace whose owners differ, or -1. */
static int cg_owners_first_diff(const struct cg_vals *a,
				const struct cg_vals *b)
{
	int i;

	for (i = 0; i < CG_O_NR; i++)
		if (a->owners[i] != b->owners[i])
			return i;
	return -1;
}

/* The first index at which the lists of field @f differ, or -1. */
static int cg_list_first_diff(enum cg_fmt fmt, const struct cg_vals *a,
			      const struct cg_vals *b)
{
	return fmt == CG_FMT_GIDS ? cg_gids_first_diff(a, b) :
				    cg_owners_first_diff(a, b);
}

cg_mask_t cg_vals_diff(const struct cg_vals *a, const struct cg_vals *b)
{
	cg_mask_t m = 0;
	int f;

	for (f = 0; f < CG_F_CREDSPLIT; f++) {
		const struct cg_field_desc *d = &cg_fields[f];

		if (d->fmt == CG_FMT_GIDS || d->fmt == CG_FMT_OWNERS) {
			if (cg_list_first_diff(d->fmt, a, b) >= 0)
				m |= CG_M(f);
		} else if (cg_field_bits(d, a) != cg_field_bits(d, b)) {
			m |= CG_M(f);
		}
	}
	return m;
}

/* Objects behind saved pointers may be gone or forged: read them safely. */
static u64 cg_read_u32_at(const void *base, size_t off)
{
	u32 val = 0;

	if (!base || get_kernel_nofault(val, (const u32 *)(base + off)))
		return 0;
	return val;
}

static u64 cg_dentry_ino(const struct dentry *d)
{
	struct inode *inode = NULL;
	typeof(inode->i_ino) ino = 0; /* unsigned long, u64 since 6.x */

	if (!d || get_kernel_nofault(inode, &d->d_inode) || !inode ||
	    get_kernel_nofault(ino, &inode->i_ino))
		return 0;
	return ino;
}

u64 cg_userns_ino(u64 p)
{
	return cg_read_u32_at((const void *)(unsigned long)p,
			      offsetof(struct user_namespace, ns) +
				      offsetof(struct ns_common, inum));
}

bool cg_field_show(enum cg_field f, const struct cg_vals *v, u64 *out)
{
	const struct cg_field_desc *d;
	const void *p;

	if (f >= CG_F_CREDSPLIT)
		return false;
	d = &cg_fields[f];
	p = (const void *)(unsigned long)v->w[d->word];
	switch (d->fmt) {
	case CG_FMT_DEC:
	case CG_FMT_HEX:
		*out = cg_field_bits(d, v);
		return true;
	case CG_FMT_USERNS:
		*out = cg_userns_ino((unsigned long)p);
		return true;
	case CG_FMT_NGROUPS:
		*out = cg_read_u32_at(p, offsetof(struct group_info, ngroups));
		return true;
	case CG_FMT_INO:
		*out = cg_dentry_ino(p);
		return true;
	case CG_FMT_NS:
		*out = cg_read_u32_at(p, d->arg + offsetof(struct ns_common,
							   inum));
		return true;
	default:
		return false;
	}
}

/*
 * GIDS, OWNERS: the values at the first index where the two lists differ
 * (the owners' inode numbers).
 */
bool cg_field_show_pair(enum cg_field f, const struct cg_vals *o,
			const struct cg_vals *n, u64 *ov, u64 *nv)
{
	enum cg_fmt fmt = cg_field_fmt(f);
	int i;

	if (fmt != CG_FMT_GIDS && fmt != CG_FMT_OWNERS)
		return cg_field_show(f, o, ov) && cg_field_show(f, n, nv);
	i = cg_list_first_diff(fmt, o, n);
	if (i < 0)
		return false;
	*ov = fmt == CG_FMT_GIDS ? o->gids[i] : cg_userns_ino(o->owners[i]);
	*nv = fmt == CG_FMT_GIDS ? n->gids[i] : cg_userns_ino(n->owners[i]);
	return true;
}

/* The changed fields of a violation, in report order, with their values. */
void cg_event_set_changes(struct cg_event *ev, cg_mask_t changed,
			  const struct cg_vals *o, const struct cg_vals *n)
{
	struct cg_change *ch;
	int f;

	ev->changed = changed;
	ev->nchanges = 0;
	for (f = 0; f < CG_F_NR && ev->nchanges < CG_EVENT_CHANGES; f++) {
		if (!(changed & CG_M(f)))
			continue;
		ch = &ev->changes[ev->nchanges++];
		ch->field = f;
		ch->has_value = cg_field_show_pair(f, o, n, &ch->old, &ch->new);
	}
}

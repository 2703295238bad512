/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounded JSON writer: one object per line, every string escaped so
 * that any byte sequence (a comm, a path) gives valid JSON.
 */
#ifndef CGU_JSON_H
#define CGU_JSON_H

#include <stddef.h>
#include <stdint.h>

#define JB_DEPTH 8

struct jbuf {
	char *p;
	size_t len, cap;
	int err; /* -ENOSPC once the buffer was too small */
	int depth;
	unsigned char first[JB_DEPTH];
};

void jb_init(struct jbuf *jb, char *buf, size_t cap);
void jb_obj(struct jbuf *jb); /* { (as a value) */
void jb_obj_end(struct jbuf *jb);
void jb_arr(struct jbuf *jb);
void jb_arr_end(struct jbuf *jb);
void jb_key(struct jbuf *jb, const char *key);
void jb_str(struct jbuf *jb, const char *s, size_t len);
void jb_cstr(struct jbuf *jb, const char *s);
void jb_u64(struct jbuf *jb, uint64_t v);
void jb_i64(struct jbuf *jb, int64_t v);
void jb_null(struct jbuf *jb);
void jb_bool(struct jbuf *jb, int v);
/* Finish: NUL-terminated text, or a negative errno. */
int jb_done(struct jbuf *jb);

#endif /* CGU_JSON_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * System call names, taken at build time from the kernel's own syscall
 * tables (the headers CG_ARCH_NAMES_64/_32 of arch-*.h name), so they
 * always match the kernel the module is built for.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/kernel.h>
#include <linux/cache.h>
#include <linux/string.h>

#include "syscalls.h"
#include "arch.h"

#define CG_MAX_NR 1024

static const char *cg_names_64[CG_MAX_NR] __ro_after_init;
static const char *cg_names_32[CG_MAX_NR] __ro_after_init;

static int __init cg_name_set(const char **tbl, int nr, const char *name)
{
	if (nr >= 0 && nr < CG_MAX_NR)
		tbl[nr] = name;
	return 0;
}

/*
 * The tables are lists of __SYSCALL(nr, sym) lines: each becomes one term
 * of a comma expression.
 */
void __init cg_syscalls_init(void)
{
#ifdef CG_ARCH_NAMES_64
#define __SYSCALL_WITH_COMPAT(nr, native, compat) __SYSCALL(nr, native)
#define __SYSCALL_NORETURN(nr, sym) __SYSCALL(nr, sym)
/*
 * Older tables name the ABI in the macro: __SYSCALL_COMMON/_64/_X32 in the
 * 64-bit one (x32's entries have their own numbers: skipped, as the newer
 * tables keep them in syscalls_x32.h), __SYSCALL_I386 with the compat
 * entry point in the 32-bit one.
 */
#define __SYSCALL_COMMON(nr, sym) __SYSCALL(nr, sym)
#define __SYSCALL_64(nr, sym) __SYSCALL(nr, sym)
#define __SYSCALL_X32(nr, sym)
#define __SYSCALL_I386(nr, sym) __SYSCALL(nr, sym)
#undef __SYSCALL /* asm-generic/unistd.h's empty one */
#define __SYSCALL(nr, sym) cg_name_set(cg_names_64, nr, #sym),
	(void)(
#include CG_ARCH_NAMES_64
		0);
#undef __SYSCALL
#ifdef CG_ARCH_NAMES_32
#define __SYSCALL(nr, sym) cg_name_set(cg_names_32, nr, #sym),
	(void)(
#include CG_ARCH_NAMES_32
		0);
#undef __SYSCALL
#elif defined(CG_ARCH_NAMES_32_LIST) && defined(CG_ARCH_COMPAT)
#define CG_NAME32(name, nr) cg_name_set(cg_names_32, nr, #name),
	(void)(CG_ARCH_NAMES_32_LIST(CG_NAME32) 0);
#undef CG_NAME32
#endif
#undef __SYSCALL_WITH_COMPAT
#undef __SYSCALL_NORETURN
#undef __SYSCALL_COMMON
#undef __SYSCALL_64
#undef __SYSCALL_X32
#undef __SYSCALL_I386
#endif
}

const char *cg_syscall_name(int nr, enum cg_abi abi)
{
	const char *name = NULL;

	if (nr < 0)
		return "none";
	if (nr < CG_MAX_NR)
		name = abi == CG_ABI_COMPAT ? cg_names_32[nr] : cg_names_64[nr];
	if (!name)
		return "?";
	/* compat_sys_open and sys_open are both "open" */
	if (!strncmp(name, "compat_", 7))
		name += 7;
	return strncmp(name, "sys_", 4) ? name : name + 4;
}

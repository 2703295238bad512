// SPDX-License-Identifier: GPL-2.0
/*
 * System call names, generated at build time from the kernel's own
 * syscall tables (arch/x86/include/generated/asm/syscalls_*.h), so they
 * always match the kernel the module is built for.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/kernel.h>

#include "syscalls.h"

#define __SYSCALL(nr, sym) [nr] = #sym,
#define __SYSCALL_WITH_COMPAT(nr, native, compat) __SYSCALL(nr, native)
#define __SYSCALL_NORETURN(nr, sym) __SYSCALL(nr, sym)

#if __has_include(<asm/syscalls_64.h>)
static const char *const cg_names_64[] = {
#include <asm/syscalls_64.h>
};
#define CG_HAVE_NAMES_64
#endif

#if defined(CONFIG_IA32_EMULATION) && __has_include(<asm/syscalls_32.h>)
static const char *const cg_names_32[] = {
#include <asm/syscalls_32.h>
};
#define CG_HAVE_NAMES_32
#endif

#undef __SYSCALL
#undef __SYSCALL_WITH_COMPAT
#undef __SYSCALL_NORETURN

static const char *cg_strip(const char *name)
{
	if (!name)
		return "?";
	if (!strncmp(name, "sys_", 4))
		return name + 4;
	return name;
}

const char *cg_syscall_name(int nr, enum cg_abi abi)
{
	if (nr < 0)
		return "none";
	switch (abi) {
	case CG_ABI_64:
	case CG_ABI_X32:
#ifdef CG_HAVE_NAMES_64
		if (nr < ARRAY_SIZE(cg_names_64))
			return cg_strip(cg_names_64[nr]);
#endif
		break;
	case CG_ABI_IA32:
#ifdef CG_HAVE_NAMES_32
		if (nr < ARRAY_SIZE(cg_names_32))
			return cg_strip(cg_names_32[nr]);
#endif
		break;
	default:
		break;
	}
	return "?";
}

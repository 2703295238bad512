/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything credguard knows about the machine's system call ABIs, in one
 * place: which ABI a syscall came in through, its number, how to keep a
 * syscall from running. x86_64 (with ia32 and x32) only, so far.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_ARCH_H
#define CG_ARCH_H

#include <linux/ptrace.h>
#include <asm/syscall.h>

#ifndef CONFIG_X86_64
#error "credguard supports x86_64 only so far"
#endif

enum cg_abi { CG_ABI_64, CG_ABI_IA32, CG_ABI_X32, CG_ABI_NR };

#define CG_ARCH_ABI_NAMES               \
	{                               \
		"x86_64", "ia32", "x32" \
	}

/* The ABI of the syscall current is in (read at its entry). */
static __always_inline enum cg_abi cg_arch_abi(const struct pt_regs *regs)
{
#ifdef CONFIG_IA32_EMULATION
	if (in_ia32_syscall())
		return CG_ABI_IA32;
#endif
#ifdef CONFIG_X86_X32_ABI
	if (regs->orig_ax & __X32_SYSCALL_BIT)
		return CG_ABI_X32;
#endif
	return CG_ABI_64;
}

/*
 * The syscall came in through the native 64-bit entry. x32 shares it, but
 * its numbers carry __X32_SYSCALL_BIT: nothing that checks a number range
 * mistakes them for native ones.
 */
static __always_inline bool cg_arch_native_entry(void)
{
#ifdef CONFIG_IA32_EMULATION
	return !in_ia32_syscall();
#else
	return true;
#endif
}

/* The number the tracepoint passed: x32's bit is the ABI, not the number. */
static __always_inline int cg_arch_nr(long id)
{
#ifdef __X32_SYSCALL_BIT
	id &= ~(long)__X32_SYSCALL_BIT;
#endif
	return id;
}

/*
 * From the sys_enter probe: the syscall does not run and returns @err.
 * The entry code reads the number back from the registers after the
 * tracepoint, and -1 runs nothing.
 */
static inline void cg_arch_skip_syscall(struct pt_regs *regs, long err)
{
	regs->orig_ax = -1;
	regs->ax = err;
}

#endif /* CG_ARCH_H */

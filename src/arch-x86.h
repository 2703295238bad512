/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86_64 (with ia32 and x32): which ABI a syscall came in through, its
 * number, how to keep a syscall from running, who called a probed function.
 * Included through arch.h, which lists what each architecture provides.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_ARCH_X86_H
#define CG_ARCH_X86_H

#include <linux/ptrace.h>
#include <linux/pgtable.h>
#include <asm/syscall.h>
#include <asm/unistd.h>
#ifdef CONFIG_IA32_EMULATION
#include <asm/unistd_32_ia32.h>
#endif

#include "uapi/credguard.h"

enum cg_abi {
	CG_ABI_64,
	CG_ABI_IA32,
	CG_ABI_X32,
	CG_ABI_NR,
	CG_ABI_COMPAT = CG_ABI_IA32
};

#define CG_ARCH_ABI_NAMES               \
	{                               \
		"x86_64", "ia32", "x32" \
	}

/* The ABI of the syscall current is in (read at its entry). */
/* compat.c: is do_syscall_64() on the stack (the 64-bit entry)? */
bool cg_compat_entry_is_64(void);

static __always_inline enum cg_abi cg_arch_abi(const struct pt_regs *regs)
{
#ifdef CONFIG_IA32_EMULATION
	/*
	 * TS_COMPAT is set by every 32-bit entry, and cleared only on the
	 * way back to user space: written while the task ran there, it makes
	 * a 64-bit syscall look like ia32's of the same number (wait4 like
	 * chroot). A task in 32-bit mode came in through a 32-bit entry;
	 * one in 64-bit mode did only by int $0x80 (rare), else the stack
	 * shows the 64-bit entry.
	 */
	if (in_ia32_syscall() && (!user_64bit_mode((struct pt_regs *)regs) ||
				  !cg_compat_entry_is_64()))
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

/* At a probe on a function's first instruction: its return address. */
static __always_inline unsigned long cg_arch_probe_caller(struct pt_regs *regs)
{
	return *(unsigned long *)kernel_stack_pointer(regs);
}

/* @addr is mapped read-only in the kernel's page tables. */
static inline bool cg_arch_page_readonly(unsigned long addr)
{
	unsigned int level;
	pte_t *pte = lookup_address(addr, &level);

	return pte && pte_present(*pte) && !pte_write(*pte);
}

/* x32 shares the 64-bit numbers except for its own execve/execveat. */
#define CG_X32_EXECVE 520
#define CG_X32_EXECVEAT 545

/*
 * The table syscall @nr of *@abi is judged by: x32's is the 64-bit one,
 * where its own execve and execveat stand for the 64-bit ones and the
 * 64-bit ones are not valid x32 numbers (-1: nothing allowed).
 */
static inline int cg_arch_policy_nr(int nr, enum cg_abi *abi)
{
	if (*abi != CG_ABI_X32)
		return nr;
	*abi = CG_ABI_64;
	if (nr == CG_X32_EXECVE)
		return __NR_execve;
	if (nr == CG_X32_EXECVEAT)
		return __NR_execveat;
	if (nr == __NR_execve || nr == __NR_execveat)
		return -1;
	return nr;
}

/* The ABI as netlink numbers it: the same values. */
static inline u8 cg_arch_nl_abi(enum cg_abi abi)
{
	static_assert((int)CG_NL_ABI_X86_64 == (int)CG_ABI_64 &&
		      (int)CG_NL_ABI_IA32 == (int)CG_ABI_IA32 &&
		      (int)CG_NL_ABI_X32 == (int)CG_ABI_X32);
	return abi;
}

/* Light syscalls (policy.c) only x86_64 has. */
#define CG_ARCH_LIGHT_SYSCALLS(X) \
	X(dup2)                   \
	X(epoll_wait)             \
	X(poll)                   \
	X(select)

#ifdef CONFIG_IA32_EMULATION
#define CG_ARCH_COMPAT 1
#define CG_NR32(name) __NR_ia32_##name
#endif

/* The generated syscall tables, for the names in reports (Kbuild). */
#ifdef CG_HAVE_SYSCALL_NAMES
#define CG_ARCH_NAMES_64 "asm/syscalls_64.h"
#ifdef CONFIG_IA32_EMULATION
#define CG_ARCH_NAMES_32 "asm/syscalls_32.h"
#endif
#endif

#endif /* CG_ARCH_X86_H */

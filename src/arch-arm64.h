/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 (with AArch32 tasks when the kernel has CONFIG_COMPAT): which ABI a
 * syscall came in through, its number, how to keep a syscall from running,
 * who called a probed function. Included through arch.h, which lists what
 * each architecture provides.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_ARCH_ARM64_H
#define CG_ARCH_ARM64_H

#include <linux/ptrace.h>
#include <linux/pgtable.h>
#include <asm/sysreg.h>
#include <asm/syscall.h>
#include <asm/unistd.h>
#include <asm/compat.h>

#include "uapi/credguard.h"

enum cg_abi { CG_ABI_64, CG_ABI_COMPAT, CG_ABI_NR };

#define CG_ARCH_ABI_NAMES            \
	{                            \
		"aarch64", "aarch32" \
	}

/* A task runs one ABI for its whole life: the one of its executable. */
static __always_inline bool cg_arch_native_entry(void)
{
#ifdef CONFIG_COMPAT
	/*
	 * The mode the exception came from, as the CPU saved it: TIF_32BIT
	 * (is_compat_task()) is a flag of the task that a write can flip,
	 * while the SVC the kernel dispatches follows the saved PSTATE.
	 */
	return !compat_user_mode(task_pt_regs(current));
#else
	return true;
#endif
}

/* The ABI of the syscall current is in (read at its entry). */
static __always_inline enum cg_abi cg_arch_abi(const struct pt_regs *regs)
{
	return cg_arch_native_entry() ? CG_ABI_64 : CG_ABI_COMPAT;
}

/* The number the tracepoint passed (regs->syscallno) is the number. */
static __always_inline int cg_arch_nr(long id)
{
	return id;
}

/*
 * From the sys_enter probe: the syscall does not run and returns @err.
 * syscall_trace_enter() returns regs->syscallno after the tracepoint, and
 * NO_SYSCALL runs nothing (x0 is the return value).
 */
static inline void cg_arch_skip_syscall(struct pt_regs *regs, long err)
{
	regs->syscallno = NO_SYSCALL;
	regs->regs[0] = err;
}

/* At a probe on a function's first instruction: the link register. */
static __always_inline unsigned long cg_arch_probe_caller(struct pt_regs *regs)
{
	return procedure_link_pointer(regs);
}

/*
 * @addr is mapped read-only in the kernel's page tables: a walk from
 * TTBR1_EL1 (swapper_pg_dir, which modules cannot name), where a block
 * entry at any level ends it. 52-bit physical addresses split the base
 * address in TTBR1: not walked, not read-only.
 */
static inline bool cg_arch_page_readonly(unsigned long addr)
{
#ifdef CONFIG_ARM64_PA_BITS_52
	return false;
#else
	u64 ttbr = read_sysreg(ttbr1_el1) & ~TTBR_ASID_MASK & ~TTBR_CNP_BIT;
	pgd_t *pgdp = pgd_offset_pgd((pgd_t *)__phys_to_virt(ttbr), addr);
	p4d_t *p4dp, p4d;
	pud_t *pudp, pud;
	pmd_t *pmdp, pmd;
	pte_t pte;

	if (pgd_none(READ_ONCE(*pgdp)))
		return false;
	p4dp = p4d_offset(pgdp, addr);
	p4d = READ_ONCE(*p4dp);
	if (p4d_none(p4d) || p4d_bad(p4d))
		return false;
	pudp = pud_offset(p4dp, addr);
	pud = READ_ONCE(*pudp);
	if (pud_none(pud))
		return false;
	if (pud_sect(pud))
		return !pte_write(pud_pte(pud));
	pmdp = pmd_offset(pudp, addr);
	pmd = READ_ONCE(*pmdp);
	if (pmd_none(pmd))
		return false;
	if (pmd_sect(pmd))
		return !pte_write(pmd_pte(pmd));
	pte = READ_ONCE(*pte_offset_kernel(pmdp, addr));
	return pte_present(pte) && !pte_write(pte);
#endif
}

/* Every ABI has its own table. */
static inline int cg_arch_policy_nr(int nr, enum cg_abi *abi)
{
	return nr;
}

static inline u8 cg_arch_nl_abi(enum cg_abi abi)
{
	return abi == CG_ABI_COMPAT ? CG_NL_ABI_AARCH32 : CG_NL_ABI_AARCH64;
}

/*
 * The syscall names: the kernel's generated tables (6.11 on, both ABIs),
 * else asm-generic's table, a list of __SYSCALL() lines meant to be
 * included again (native only: AArch32 names are then not known).
 */
#ifdef CG_HAVE_ARM64_SYSCALL_TABLE
#define CG_ARCH_NAMES_64 "asm/syscall_table_64.h"
#ifdef CONFIG_COMPAT
#define CG_ARCH_NAMES_32 "asm/syscall_table_32.h"
#endif
#else
#define CG_ARCH_NAMES_64 "asm-generic/unistd.h"
#define CG_ARCH_NAMES_32_LIST(X) CG_ARCH_NR32_LIST(X)
#endif

/* asm-generic's table has no light syscalls beyond the common ones. */
#define CG_ARCH_LIGHT_SYSCALLS(X)

#ifdef CONFIG_COMPAT
#define CG_ARCH_COMPAT 1
#define CG_NR32(name) CG_NR32_##name
/*
 * AArch32's syscall numbers (arch/arm64/include/asm/unistd32.h, the
 * numbers of 32-bit ARM EABI, fixed), for the calls credguard knows. Its
 * header also defines __NR_* names for them, which clash with the native
 * ones: these are named apart. The calls without the 32 suffix take
 * 16-bit ids (sys_setuid16 and friends). Without the generated table
 * (before 6.11) this list also gives the names of these calls in reports.
 */
#define CG_ARCH_NR32_LIST(X) \
	X(write, 4)          \
	X(execve, 11)        \
	X(chdir, 12)         \
	X(setuid, 23)        \
	X(ptrace, 26)        \
	X(setgid, 46)        \
	X(chroot, 61)        \
	X(setreuid, 70)      \
	X(setregid, 71)      \
	X(setgroups, 81)     \
	X(fchdir, 133)       \
	X(setfsuid, 138)     \
	X(setfsgid, 139)     \
	X(writev, 146)       \
	X(setresuid, 164)    \
	X(setresgid, 170)    \
	X(prctl, 172)        \
	X(pwrite64, 181)     \
	X(capset, 185)       \
	X(sendfile, 187)     \
	X(setreuid32, 203)   \
	X(setregid32, 204)   \
	X(setgroups32, 206)  \
	X(setresuid32, 208)  \
	X(setresgid32, 210)  \
	X(setuid32, 213)     \
	X(setgid32, 214)     \
	X(setfsuid32, 215)   \
	X(setfsgid32, 216)   \
	X(pivot_root, 218)   \
	X(sendfile64, 239)   \
	X(unshare, 337)      \
	X(splice, 340)       \
	X(pwritev, 362)      \
	X(setns, 375)        \
	X(seccomp, 383)      \
	X(execveat, 387)     \
	X(pwritev2, 393)

#define CG_NR32_ENUM(name, nr) CG_NR32_##name = nr,
enum { CG_ARCH_NR32_LIST(CG_NR32_ENUM) };
#undef CG_NR32_ENUM
#endif

#endif /* CG_ARCH_ARM64_H */

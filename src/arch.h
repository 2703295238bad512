/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything credguard knows about the machine, in one header per
 * architecture (arch-x86.h, arch-arm64.h). Each one provides:
 *
 *   enum cg_abi          the syscall ABIs: CG_ABI_64 (the native one, 0),
 *                        CG_ABI_COMPAT (the 32-bit one), then its own,
 *                        CG_ABI_NR; CG_ARCH_ABI_NAMES names them
 *   cg_arch_abi()        the ABI of the syscall current is in
 *   cg_arch_native_entry() the syscall came in through the native entry
 *   cg_arch_nr()         the number in its ABI's table, from the
 *                        tracepoint's id
 *   cg_arch_skip_syscall() keep a syscall from running (sys_enter probe)
 *   cg_arch_probe_caller() the return address at a kprobe on a function's
 *                        first instruction: who called it
 *   cg_arch_policy_nr()  fold an ABI that shares another's table into it
 *   cg_arch_nl_abi()     the ABI as the netlink interface numbers it
 *   CG_ARCH_LIGHT_SYSCALLS(X) native light syscalls (policy.c) besides
 *                        the ones every architecture has
 *   CG_ARCH_COMPAT, CG_NR32(name) when the kernel runs 32-bit tasks: the
 *                        number of syscall @name in their table
 *
 * Copyright (C) 2026 The credguard authors.
 */
#ifndef CG_ARCH_H
#define CG_ARCH_H

#if defined(CONFIG_X86_64)
#include "arch-x86.h"
#elif defined(CONFIG_ARM64)
#include "arch-arm64.h"
#else
#error "credguard supports x86_64 and arm64 only so far"
#endif

#endif /* CG_ARCH_H */

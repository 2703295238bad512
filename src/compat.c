// SPDX-License-Identifier: GPL-2.0
/*
 * Run-time compatibility: kernel functions credguard needs that are not
 * exported to modules, located once at load.
 *
 * Copyright (C) 2026 The credguard authors.
 */
#include <linux/kprobes.h>
#include <linux/stacktrace.h>
#include <linux/kallsyms.h>
#include <linux/nsproxy.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <asm/pgtable.h>

#include "compat.h"
#include "arch.h"

static void (*cg_free_nsproxy_fn)(struct nsproxy *ns);

/*
 * A kprobe resolves a symbol name to its address without needing
 * kallsyms_lookup_name(), which is not exported since 5.7.
 */
struct cg_lookup_buf {
	struct kprobe kp;
	char sym[KSYM_SYMBOL_LEN];
	char want[KSYM_NAME_LEN + 8];
};

static void *cg_lookup(const char *name)
{
	struct cg_lookup_buf *b;
	unsigned long addr = 0;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return NULL;
	b->kp.symbol_name = name;
	if (register_kprobe(&b->kp) < 0)
		goto out;
	addr = (unsigned long)b->kp.addr;
	unregister_kprobe(&b->kp);

	/*
	 * With IBT the probe sits after the function's ENDBR64, or after the
	 * NOP a sealed one is overwritten with (its encoding differs between
	 * kernels); kprobes skip those 4 bytes and nothing else at an entry.
	 * Call the real start.
	 */
	sprint_symbol(b->sym, addr);
	snprintf(b->want, sizeof(b->want), "%s+0x4/", name);
	if (!strncmp(b->sym, b->want, strlen(b->want)))
		addr -= 4;

	/* Only ever call the very start of the named function. */
	sprint_symbol(b->sym, addr);
	snprintf(b->want, sizeof(b->want), "%s+0x0/", name);
	if (strncmp(b->sym, b->want, strlen(b->want)))
		addr = 0;
out:
	kfree(b);
	return (void *)addr;
}

/*
 * What put_nsproxy() calls when the last reference goes: free_nsproxy(),
 * which became deactivate_nsproxy() (CG_HAVE_DEACTIVATE_NSPROXY, probed
 * from the headers by Kbuild).
 */
#ifdef CG_HAVE_DEACTIVATE_NSPROXY
#define CG_FREE_NSPROXY "deactivate_nsproxy"
#else
#define CG_FREE_NSPROXY "free_nsproxy"
#endif

void *cg_compat_lookup_func(const char *name)
{
	return cg_lookup(name);
}

void *cg_compat_lookup_data(const char *name)
{
	static unsigned long (*lookup_name)(const char *name);

	if (!lookup_name)
		lookup_name = cg_lookup("kallsyms_lookup_name");
	return lookup_name ? (void *)lookup_name(name) : NULL;
}

/* From "name+0x0/0x1a0": the size of the symbol starting at @addr. */
static unsigned long cg_sym_size(unsigned long addr)
{
	char sym[KSYM_SYMBOL_LEN];
	unsigned long size;
	char *slash;

	sprint_symbol(sym, addr);
	slash = strstr(sym, "+0x0/");
	if (!slash)
		return 0;
	slash += strlen("+0x0/");
	slash[strcspn(slash, " ")] = '\0';
	if (kstrtoul(slash, 16, &size))
		return 0;
	return size;
}

bool cg_compat_func_bounds(const char *name, unsigned long *start,
			   unsigned long *end)
{
	unsigned long size;

	*start = (unsigned long)cg_lookup(name);
	if (!*start)
		return false;
	size = cg_sym_size(*start);
	if (!size)
		return false;
	*end = *start + size;
	return true;
}

/*
 * How many bytes of the object at @p may be read: a slab object's
 * ksize(), a kernel image object's symbol size (named only with
 * KALLSYMS_ALL), else 0. ksize() of a static object warns (and 6.18 made
 * the initial mount namespace one).
 */
static size_t cg_obj_size(const void *p)
{
	if (cg_compat_is_slab(p))
		return ksize(p);
	return cg_sym_size((unsigned long)p);
}

bool cg_compat_readonly(const void *p, size_t len)
{
	unsigned long a = (unsigned long)p;

	return cg_arch_page_readonly(a) &&
	       cg_arch_page_readonly(a + (len ? len - 1 : 0));
}

unsigned int cg_mnt_owner_off __ro_after_init;

/*
 * struct mnt_namespace is private to fs/ and its layout differs between
 * kernels (and configurations: lockdep grows its lock): its owner is the
 * first word of the initial mount namespace, made at boot by the initial
 * user namespace, that points at that namespace. Nothing before it in
 * any kernel does (an ns_common, the root mount, list or tree heads, a
 * lock). The scan stays inside the object. Not found: the mount
 * namespace's owner is not guarded.
 */
static void cg_compat_find_mnt_owner(void)
{
	const unsigned long *w = (const void *)init_task.nsproxy->mnt_ns;
	size_t i, n = 0;

	if (w && !cg_fault("mnt_owner"))
		n = cg_obj_size(w) / sizeof(*w);

	for (i = 1; i < n; i++) {
		if (w[i] == (unsigned long)&init_user_ns) {
			cg_mnt_owner_off = i * sizeof(*w);
			return;
		}
	}
	pr_warn("mount namespace owner not found: not guarded\n");
}

#ifdef CONFIG_IA32_EMULATION
static unsigned long cg_sys64_start, cg_sys64_end;

/* do_syscall_64() is noinstr (no kprobe): its bounds by kallsyms. */
static void cg_compat_find_entry_64(void)
{
	unsigned long start =
		(unsigned long)cg_compat_lookup_data("do_syscall_64");
	unsigned long size = start ? cg_sym_size(start) : 0;

	if (!size || cg_fault("entry_64")) {
		pr_warn("do_syscall_64 not found: a task's TS_COMPAT is trusted for its ABI\n");
		return;
	}
	cg_sys64_start = start;
	cg_sys64_end = start + size;
}

/*
 * Unwinds: called only for TS_COMPAT in 64-bit mode (int $0x80 from
 * 64-bit code, or the bit forged). Not found: the kernel's own answer.
 */
bool cg_compat_entry_is_64(void)
{
	unsigned long e[16];
	unsigned int n, i;

	if (!cg_sys64_start)
		return false;
	n = stack_trace_save(e, ARRAY_SIZE(e), 0);
	for (i = 0; i < n; i++)
		if (e[i] >= cg_sys64_start && e[i] < cg_sys64_end)
			return true;
	return false;
}
#else
static void cg_compat_find_entry_64(void)
{
}
#endif

int cg_compat_init(void)
{
	if (cg_fault("compat"))
		return -ENOENT;
	cg_compat_find_mnt_owner();
	cg_compat_find_entry_64();
	cg_free_nsproxy_fn = cg_lookup(CG_FREE_NSPROXY);
	if (!cg_free_nsproxy_fn)
		pr_info(CG_FREE_NSPROXY
			" not found: namespace swaps are detected and killed but not restored\n");
	return 0;
}

bool cg_compat_can_free_nsproxy(void)
{
	return cg_free_nsproxy_fn;
}

/* Process context only: freeing namespaces may sleep. */
void cg_compat_free_nsproxy(struct nsproxy *ns)
{
	might_sleep();
	cg_free_nsproxy_fn(ns);
}

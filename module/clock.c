// SPDX-License-Identifier: GPL-2.0
/*
 * pcwq's clock: nanoseconds for the latency statistics, the aging deadlines
 * and the work timeout, read twice or three times for every item.
 *
 * ktime_get_ns() reads the clocksource in order with the code around it
 * (on x86 rdtsc after lfence, or rdtscp) through the timekeeper's seqcount
 * and an indirect call.  pcwq needs no such order: its times are
 * differences of microseconds and more, and deadlines of milliseconds.  So
 * it reads get_cycles() (an unserialized rdtsc on x86) and scales the
 * count with a factor measured against ktime_get_ns() when the module
 * loads, as clocksources scale theirs (clocks_calc_mult_shift()).  In the
 * bench VM (TCG) a ktime_get_ns() took 50 ns and a get_cycles() 11 ns with
 * the host idle, 171 and 16 ns with the host loaded.
 *
 * The clock counts from an arbitrary point; only differences and
 * comparisons of its readings mean anything.  It assumes what the kernel's
 * sched_clock() does of the TSC: a constant rate, synchronized between
 * CPUs.  Where get_cycles() counts nothing (it returns 0), or did not
 * advance while calibrating, pcwq_clock() is ktime_get_ns().  A reading on
 * another CPU may still be a little behind: pcwq_clock_delta() takes that
 * as zero.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/clocksource.h>
#include <linux/delay.h>
#include <linux/export.h>
#include <linux/irqflags.h>
#include <linux/math64.h>
#include <linux/timekeeping.h>
#include <linux/timex.h>
#include <kunit/visibility.h>

#include "internal.h"

/* Set once before the first item; 0 mult: ktime_get_ns(). */
u32 pcwq_clock_mult __read_mostly;
EXPORT_SYMBOL_IF_KUNIT(pcwq_clock_mult);
u32 pcwq_clock_shift __read_mostly;
EXPORT_SYMBOL_IF_KUNIT(pcwq_clock_shift);

#define PCWQ_CLOCK_CALIBRATE_MS	20

static void clock_pair(u64 *cycles, u64 *ns)
{
	unsigned long flags;

	local_irq_save(flags);
	*cycles = get_cycles();
	*ns = ktime_get_ns();
	local_irq_restore(flags);
}

/**
 * pcwq_clock_init() - measure get_cycles() against ktime_get_ns()
 *
 * Sleeps PCWQ_CLOCK_CALIBRATE_MS; called once at load, before any item.
 */
void pcwq_clock_init(void)
{
	u64 c0, c1, t0, t1, hz;

	clock_pair(&c0, &t0);
	msleep(PCWQ_CLOCK_CALIBRATE_MS);
	clock_pair(&c1, &t1);
	if (c1 <= c0 || t1 <= t0) {
		pr_info("no cycle counter, latencies from ktime_get_ns()\n");
		return;
	}
	hz = div64_u64((c1 - c0) * NSEC_PER_SEC, t1 - t0);
	/* 600 s between readings without overflow of the product. */
	clocks_calc_mult_shift(&pcwq_clock_mult, &pcwq_clock_shift, hz,
			       NSEC_PER_SEC, 600);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the KUnit suites of pcwq.
 */
#ifndef _PCWQ_KUNIT_H
#define _PCWQ_KUNIT_H

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <kunit/test.h>

#include "../internal.h"

/* How long a suite waits for something another thread does: generous. */
#define PCWQ_KUNIT_WAIT		(20 * HZ)

/*
 * Poll @cond every millisecond for PCWQ_KUNIT_WAIT; evaluates to whether
 * it became true.
 */
#define pcwq_kunit_wait_for(cond)					\
({									\
	unsigned long __end = jiffies + PCWQ_KUNIT_WAIT;		\
	bool __ok;							\
									\
	while (!(__ok = (cond)) && time_before(jiffies, __end))	\
		usleep_range(500, 1000);				\
	__ok;								\
})

/*
 * An item whose handler says it started and then, if @hold, waits until
 * *@release is completed: it stays running as long as the test wants.
 */
struct pcwq_kunit_item {
	struct pcwq_delayable_work dwork;
	struct completion started;
	struct completion *release;
	bool hold;
	atomic_t runs;
};

void pcwq_kunit_item_init(struct pcwq_kunit_item *it,
			  struct completion *release, bool hold);
bool pcwq_kunit_wait_started(struct kunit *test, struct pcwq_kunit_item *it);
struct pcwq *pcwq_kunit_queue(struct kunit *test, int cpu,
			      unsigned int max_active,
			      const struct pcwq_limits *limits);

#endif /* _PCWQ_KUNIT_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * pcwq_kunit.ko: the KUnit suites of pcwq, one file each, run once when
 * the module is loaded (pcwq must be loaded first).  Their results are in
 * /sys/kernel/debug/kunit/pcwq_<suite>/results while the module is loaded.
 */
#include <linux/module.h>

#include "pcwq_kunit.h"

MODULE_DESCRIPTION("KUnit suites of pcwq");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static void item_fn(struct pcwq_work *work)
{
	struct pcwq_kunit_item *it =
		container_of(pcwq_delayable_from_work(work),
			     struct pcwq_kunit_item, dwork);

	atomic_inc(&it->runs);
	complete(&it->started);
	if (it->hold)
		wait_for_completion(it->release);
}

/**
 * pcwq_kunit_item_init() - initialise a test item
 * @it: the item
 * @release: what its handler waits for when @hold
 * @hold: whether its handler waits
 */
void pcwq_kunit_item_init(struct pcwq_kunit_item *it,
			  struct completion *release, bool hold)
{
	pcwq_init_delayable(&it->dwork, item_fn);
	init_completion(&it->started);
	it->release = release;
	it->hold = hold;
	atomic_set(&it->runs, 0);
}

/**
 * pcwq_kunit_wait_started() - wait until @it's handler started
 * @test: the test, failed if it does not within PCWQ_KUNIT_WAIT
 * @it: the item
 *
 * Return: whether it started.
 */
bool pcwq_kunit_wait_started(struct kunit *test, struct pcwq_kunit_item *it)
{
	if (wait_for_completion_timeout(&it->started, PCWQ_KUNIT_WAIT))
		return true;
	KUNIT_FAIL(test, "the handler did not start in %d s",
		   PCWQ_KUNIT_WAIT / HZ);
	return false;
}

/**
 * pcwq_kunit_queue() - a queue of the test on one CPU
 * @test: the test
 * @cpu: the only CPU of the queue: PCWQ_CPU_ANY goes there too
 * @max_active: of the queue
 * @limits: of the queue, or NULL
 *
 * Return: the queue (the caller destroys it), or NULL (the test failed).
 */
struct pcwq *pcwq_kunit_queue(struct kunit *test, int cpu,
			      unsigned int max_active,
			      const struct pcwq_limits *limits)
{
	struct pcwq_attrs attrs = {
		.name = "pcwq_kunit",
		.max_active = max_active,
		.cpus = cpumask_of(cpu),
	};
	struct pcwq *wq;

	if (limits)
		attrs.limits = *limits;
	wq = pcwq_create(&attrs);
	if (IS_ERR(wq)) {
		KUNIT_FAIL(test, "pcwq_create: %pe", wq);
		return NULL;
	}
	return wq;
}

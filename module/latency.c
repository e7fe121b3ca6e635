// SPDX-License-Identifier: GPL-2.0
/*
 * Latency histograms: how long items wait from submission to the start of
 * their handler, and how long the handler runs.
 *
 * Each pool and each pwq keeps its own, counted under the pool's lock by
 * the worker that runs the item (pcwq_process_one()): per CPU, so the hot
 * path touches no cache line shared with other CPUs.  Readers sum them.
 */
#include "internal.h"

static void hist_add(struct pcwq_hist *sum, const struct pcwq_hist *h)
{
	unsigned int i;

	for (i = 0; i < PCWQ_HIST_BUCKETS; i++)
		sum->buckets[i] += h->buckets[i];
	sum->sum_ns += h->sum_ns;
	sum->max_ns = max(sum->max_ns, h->max_ns);
}

void pcwq_latency_add(struct pcwq_latency *sum, const struct pcwq_latency *l)
{
	hist_add(&sum->wait, &l->wait);
	hist_add(&sum->run, &l->run);
}

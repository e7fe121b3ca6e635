// SPDX-License-Identifier: GPL-2.0
/*
 * The semantics suite of pcwq, run at load time, printing KTAP to the
 * kernel log with the prefix "pcwq_test: ".  Modelled on Zephyr's
 * tests/kernel/workq/work: exact return values and run counts.
 *
 * Handlers that must stay "running" for a while wait on a gate (a
 * completion) that the test opens; queues with max_active 1 and a gated
 * item in front keep later items observably queued.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/smp.h>

#include <pcwq.h>

#define WAIT_MS		5000

struct item {
	struct pcwq_delayable_work dw;
	atomic_t runs;
	atomic_t concurrent;		/* handlers of this item running now */
	atomic_t max_concurrent;
	int last_cpu;
	int last_nice;
	int resubmit;			/* resubmissions left, from the handler */
	int resubmit_ret;
	struct pcwq *wq;
	struct completion *gate;	/* handler waits for it, if set */
	struct completion started;	/* each run completes it */
	int *order;			/* FIFO log */
	int id;
};

static atomic_t order_pos;
static int tests_run, tests_failed;

static void item_fn(struct pcwq_work *work)
{
	struct item *it = container_of(pcwq_delayable_from_work(work),
				       struct item, dw);
	int now = atomic_inc_return(&it->concurrent);

	if (now > atomic_read(&it->max_concurrent))
		atomic_set(&it->max_concurrent, now);
	it->last_cpu = raw_smp_processor_id();
	it->last_nice = task_nice(current);
	if (it->order)
		it->order[atomic_inc_return(&order_pos) - 1] = it->id;
	complete(&it->started);
	if (it->gate)
		wait_for_completion_timeout(it->gate, msecs_to_jiffies(WAIT_MS));
	if (it->resubmit > 0) {
		it->resubmit--;
		it->resubmit_ret = pcwq_submit(it->wq, work);
	}
	atomic_dec(&it->concurrent);
	atomic_inc(&it->runs);
}

static void item_init(struct item *it, struct pcwq *wq)
{
	memset(it, 0, sizeof(*it));
	pcwq_init_delayable(&it->dw, item_fn);
	init_completion(&it->started);
	it->wq = wq;
}

static struct pcwq *make_wq(const char *name, unsigned int flags,
			    unsigned int max_active, unsigned int capacity)
{
	struct pcwq_attrs attrs = {
		.name = name, .flags = flags,
		.max_active = max_active, .limits.capacity = capacity,
	};

	return pcwq_create(&attrs);
}

static bool started(struct item *it)
{
	return wait_for_completion_timeout(&it->started,
					   msecs_to_jiffies(WAIT_MS));
}

static void sleep_ms(unsigned int ms)
{
	msleep(ms);
}

/* Failed expectations are reported and make the test fail; it goes on. */
#define CHECK(cond) expect(c, (cond), __func__, __LINE__, #cond)
#define CHECK_EQ(a, b) expect_eq(c, (a), (b), __func__, __LINE__, #a)

/* Each test gets a fresh max_active 1 queue "t" on CPU 0 and two items. */
struct ctx {
	struct pcwq *wq;
	/*
	 * c is allocated, not on a stack: DEBUG_OBJECTS_TIMERS wants the
	 * timers of items on a stack declared so, and these are not.
	 */
	struct item a, b, c;
	struct completion gate;
	bool ok;
	char skip[128];			/* set: reported as SKIP with this reason */
};

static void expect(struct ctx *c, bool cond, const char *fn, int line,
		   const char *text)
{
	if (cond)
		return;
	pr_info("    # %s:%d: %s\n", fn, line, text);
	c->ok = false;
}

static void expect_eq(struct ctx *c, long a, long b, const char *fn,
		      int line, const char *text)
{
	if (a == b)
		return;
	pr_info("    # %s:%d: %s == %ld, expected %ld\n", fn, line, text, a, b);
	c->ok = false;
}

static int open_gate_thread(void *p)
{
	struct ctx *c = p;

	msleep(50);
	complete_all(&c->gate);
	return 0;
}

/* Open the gate a little later, while the caller waits in pcwq. */
static void open_gate_soon(struct ctx *c)
{
	if (IS_ERR(kthread_run(open_gate_thread, c, "pcwq_gate")))
		complete_all(&c->gate);
}

static bool t_simple(struct ctx *c)
{
	CHECK_EQ(pcwq_submit_on(c->wq, 0, &c->a.dw.work), 1);
	CHECK(started(&c->a));
	pcwq_flush(&c->a.dw.work);	/* it may still be returning */
	CHECK_EQ(pcwq_flush(&c->a.dw.work), false);
	CHECK_EQ(atomic_read(&c->a.runs), 1);
	CHECK_EQ(c->a.last_cpu, 0);
	CHECK_EQ(pcwq_work_busy(&c->a.dw.work), 0);
	return true;
}

static bool t_queued_states(struct ctx *c)
{
	c->a.gate = &c->gate;
	CHECK_EQ(pcwq_submit_on(c->wq, 0, &c->a.dw.work), 1);
	CHECK(started(&c->a));
	CHECK_EQ(pcwq_work_busy(&c->a.dw.work), PCWQ_WORK_RUNNING);
	CHECK_EQ(pcwq_submit_on(c->wq, 0, &c->b.dw.work), 1);
	CHECK_EQ(pcwq_work_busy(&c->b.dw.work), PCWQ_WORK_QUEUED);
	/* Already queued: stays, even when sent to another CPU. */
	CHECK_EQ(pcwq_submit_on(c->wq, 1, &c->b.dw.work), 0);
	open_gate_soon(c);
	CHECK_EQ(pcwq_flush(&c->b.dw.work), true);
	CHECK_EQ(atomic_read(&c->b.runs), 1);
	CHECK_EQ(c->b.last_cpu, 0);
	return true;
}

static bool t_resubmit_running(struct ctx *c)
{
	c->a.gate = &c->gate;
	CHECK_EQ(pcwq_submit_on(c->wq, 0, &c->a.dw.work), 1);
	CHECK(started(&c->a));
	reinit_completion(&c->a.started);
	/* Running on CPU 0: queued again behind itself there, returns 2. */
	CHECK_EQ(pcwq_submit_on(c->wq, 1, &c->a.dw.work), 2);
	CHECK_EQ(pcwq_work_busy(&c->a.dw.work),
		 PCWQ_WORK_RUNNING | PCWQ_WORK_QUEUED);
	open_gate_soon(c);
	CHECK_EQ(pcwq_flush(&c->a.dw.work), true);
	CHECK_EQ(atomic_read(&c->a.runs), 2);
	CHECK_EQ(atomic_read(&c->a.max_concurrent), 1);
	CHECK_EQ(c->a.last_cpu, 0);
	return true;
}

static bool t_self_resubmit(struct ctx *c)
{
	int i;

	c->a.resubmit = 3;
	CHECK_EQ(pcwq_submit_on(c->wq, 0, &c->a.dw.work), 1);
	for (i = 0; i < 500 && atomic_read(&c->a.runs) < 4; i++) {
		pcwq_flush(&c->a.dw.work);
		sleep_ms(10);
	}
	CHECK_EQ(atomic_read(&c->a.runs), 4);
	CHECK_EQ(pcwq_work_busy(&c->a.dw.work), 0);
	CHECK_EQ(c->a.resubmit_ret, 2);
	return true;
}

static bool t_cancel_queued(struct ctx *c)
{
	c->a.gate = &c->gate;
	pcwq_submit_on(c->wq, 0, &c->a.dw.work);
	CHECK(started(&c->a));
	pcwq_submit_on(c->wq, 0, &c->b.dw.work);
	CHECK_EQ(pcwq_cancel(&c->b.dw.work), 0);
	CHECK_EQ(pcwq_work_busy(&c->b.dw.work), 0);
	CHECK_EQ(pcwq_cancel(&c->b.dw.work), 0);	/* idle */
	complete_all(&c->gate);
	pcwq_flush(&c->a.dw.work);
	sleep_ms(20);
	CHECK_EQ(atomic_read(&c->b.runs), 0);
	return true;
}

static bool t_cancel_running(struct ctx *c)
{
	c->a.gate = &c->gate;
	pcwq_submit_on(c->wq, 0, &c->a.dw.work);
	CHECK(started(&c->a));
	CHECK_EQ(pcwq_cancel(&c->a.dw.work),
		 PCWQ_WORK_RUNNING | PCWQ_WORK_CANCELING);
	CHECK_EQ(pcwq_submit_on(c->wq, 0, &c->a.dw.work), -EBUSY);
	CHECK_EQ(pcwq_schedule_on(c->wq, 0, &c->a.dw, 1), 0);
	CHECK_EQ(pcwq_reschedule_on(c->wq, 0, &c->a.dw, 1), -EBUSY);
	open_gate_soon(c);
	CHECK_EQ(pcwq_cancel_sync(&c->a.dw.work), true);
	CHECK_EQ(pcwq_work_busy(&c->a.dw.work), 0);
	CHECK_EQ(atomic_read(&c->a.runs), 1);
	/* Accepted again once the handler returned. */
	CHECK_EQ(pcwq_submit_on(c->wq, 0, &c->a.dw.work), 1);
	pcwq_flush(&c->a.dw.work);
	CHECK_EQ(atomic_read(&c->a.runs), 2);
	return true;
}

static bool t_cancel_sync(struct ctx *c)
{
	CHECK_EQ(pcwq_cancel_sync(&c->b.dw.work), false);	/* idle */
	c->a.gate = &c->gate;
	pcwq_submit_on(c->wq, 0, &c->a.dw.work);
	CHECK(started(&c->a));
	pcwq_submit_on(c->wq, 0, &c->b.dw.work);
	CHECK_EQ(pcwq_cancel_sync(&c->b.dw.work), true);	/* queued */
	open_gate_soon(c);
	CHECK_EQ(pcwq_cancel_sync(&c->a.dw.work), true);	/* running */
	CHECK_EQ(atomic_read(&c->a.runs), 1);
	CHECK_EQ(atomic_read(&c->a.concurrent), 0);
	CHECK_EQ(atomic_read(&c->b.runs), 0);
	return true;
}

struct waiter_arg {
	struct item *it;
	struct completion done;
	bool ret;
};

static int cancel_sync_thread(void *p)
{
	struct waiter_arg *w = p;

	w->ret = pcwq_cancel_sync(&w->it->dw.work);
	complete(&w->done);
	return 0;
}

static bool t_cancel_sync_many(struct ctx *c)
{
	struct waiter_arg w[3];
	int i;

	c->a.gate = &c->gate;
	pcwq_submit_on(c->wq, 0, &c->a.dw.work);
	CHECK(started(&c->a));
	for (i = 0; i < 3; i++) {
		w[i].it = &c->a;
		init_completion(&w[i].done);
		if (IS_ERR(kthread_run(cancel_sync_thread, &w[i], "pcwq_t%d", i)))
			return false;
	}
	sleep_ms(50);
	for (i = 0; i < 3; i++)
		CHECK(!completion_done(&w[i].done));
	complete_all(&c->gate);
	for (i = 0; i < 3; i++) {
		CHECK(wait_for_completion_timeout(&w[i].done,
						  msecs_to_jiffies(WAIT_MS)));
		CHECK_EQ(w[i].ret, true);
	}
	return true;
}

static bool t_flush(struct ctx *c)
{
	CHECK_EQ(pcwq_flush(&c->a.dw.work), false);
	c->a.gate = &c->gate;
	pcwq_submit_on(c->wq, 0, &c->a.dw.work);
	CHECK(started(&c->a));
	pcwq_submit_on(c->wq, 0, &c->b.dw.work);
	open_gate_soon(c);
	CHECK_EQ(pcwq_flush(&c->b.dw.work), true);	/* queued */
	CHECK_EQ(atomic_read(&c->b.runs), 1);
	CHECK_EQ(atomic_read(&c->a.runs), 1);
	return true;
}

static bool t_flush_running(struct ctx *c)
{
	c->a.gate = &c->gate;
	pcwq_submit_on(c->wq, 0, &c->a.dw.work);
	CHECK(started(&c->a));
	CHECK(pcwq_work_busy(&c->a.dw.work) & PCWQ_WORK_RUNNING);
	open_gate_soon(c);
	CHECK_EQ(pcwq_flush(&c->a.dw.work), true);
	CHECK_EQ(atomic_read(&c->a.runs), 1);
	return true;
}

static bool t_schedule(struct ctx *c)
{
	unsigned long t0 = jiffies;

	CHECK_EQ(pcwq_schedule_on(c->wq, 0, &c->a.dw, HZ / 2), 1);
	CHECK_EQ(pcwq_delayable_busy(&c->a.dw), PCWQ_WORK_DELAYED);
	/* The earlier deadline is kept. */
	CHECK_EQ(pcwq_schedule_on(c->wq, 0, &c->a.dw, 1), 0);
	CHECK(started(&c->a));
	CHECK(time_after_eq(jiffies, t0 + HZ / 2));
	pcwq_flush(&c->a.dw.work);
	CHECK_EQ(atomic_read(&c->a.runs), 1);
	/* No delay: a plain submission. */
	CHECK_EQ(pcwq_schedule_on(c->wq, 0, &c->b.dw, 0), 1);
	pcwq_flush(&c->b.dw.work);
	CHECK_EQ(atomic_read(&c->b.runs), 1);
	return true;
}

static bool t_reschedule(struct ctx *c)
{
	unsigned long t0 = jiffies;

	CHECK_EQ(pcwq_schedule_on(c->wq, 0, &c->a.dw, 60 * HZ), 1);
	/* The deadline is replaced by a much earlier one. */
	CHECK_EQ(pcwq_reschedule_on(c->wq, 0, &c->a.dw, 1), 1);
	CHECK(started(&c->a));
	CHECK(time_before(jiffies, t0 + 30 * HZ));
	pcwq_flush(&c->a.dw.work);
	CHECK_EQ(atomic_read(&c->a.runs), 1);
	CHECK_EQ(pcwq_delayable_busy(&c->a.dw), 0);
	return true;
}

static bool t_cancel_delayed(struct ctx *c)
{
	CHECK_EQ(pcwq_schedule_on(c->wq, 0, &c->a.dw, 10 * HZ), 1);
	CHECK_EQ(pcwq_cancel_delayable(&c->a.dw), 0);
	CHECK_EQ(pcwq_schedule_on(c->wq, 0, &c->b.dw, 10 * HZ), 1);
	CHECK_EQ(pcwq_cancel_delayable_sync(&c->b.dw), true);
	CHECK_EQ(pcwq_cancel_delayable_sync(&c->b.dw), false);
	sleep_ms(50);
	CHECK_EQ(atomic_read(&c->a.runs), 0);
	CHECK_EQ(atomic_read(&c->b.runs), 0);
	return true;
}

static bool t_flush_delayed(struct ctx *c)
{
	CHECK_EQ(pcwq_schedule_on(c->wq, 0, &c->a.dw, 60 * HZ), 1);
	CHECK_EQ(pcwq_flush_delayable(&c->a.dw), true);
	CHECK_EQ(atomic_read(&c->a.runs), 1);
	CHECK_EQ(pcwq_delayable_busy(&c->a.dw), 0);
	CHECK_EQ(pcwq_flush_delayable(&c->a.dw), false);
	return true;
}

static bool t_drain_chained(struct ctx *c)
{
	c->a.gate = &c->gate;
	c->a.resubmit = 2;
	pcwq_submit_on(c->wq, 0, &c->a.dw.work);
	CHECK(started(&c->a));
	/* The handler resubmits itself while the drain waits. */
	open_gate_soon(c);
	CHECK_EQ(pcwq_drain(c->wq, false), 1);
	/* The two chained resubmissions were accepted during the drain. */
	CHECK_EQ(atomic_read(&c->a.runs), 3);
	CHECK_EQ(c->a.resubmit_ret, 2);
	CHECK_EQ(pcwq_drain(c->wq, false), 0);
	CHECK_EQ(pcwq_submit_on(c->wq, 0, &c->b.dw.work), 1);
	pcwq_flush(&c->b.dw.work);
	return true;
}

static int drain_thread(void *p)
{
	struct ctx *c = p;

	pcwq_drain(c->wq, false);
	complete(&c->b.started);
	return 0;
}

static bool t_drain_refuses(struct ctx *c)
{
	struct item *other = &c->c;

	item_init(other, c->wq);
	c->a.gate = &c->gate;
	pcwq_submit_on(c->wq, 0, &c->a.dw.work);
	CHECK(started(&c->a));
	if (IS_ERR(kthread_run(drain_thread, c, "pcwq_drain")))
		return false;
	sleep_ms(50);
	CHECK_EQ(pcwq_submit_on(c->wq, 0, &other->dw.work), -EBUSY);
	CHECK_EQ(pcwq_schedule_on(c->wq, 0, &other->dw, 5), -EBUSY);
	complete_all(&c->gate);
	CHECK(started(&c->b));		/* the drain returned */
	CHECK_EQ(pcwq_submit_on(c->wq, 0, &other->dw.work), 1);
	pcwq_flush(&other->dw.work);
	return true;
}

static bool t_plug(struct ctx *c)
{
	CHECK_EQ(pcwq_unplug(c->wq), -EALREADY);
	CHECK_EQ(pcwq_drain(c->wq, true), 0);
	CHECK_EQ(pcwq_submit_on(c->wq, 0, &c->a.dw.work), -EBUSY);
	CHECK_EQ(pcwq_unplug(c->wq), 0);
	CHECK_EQ(pcwq_unplug(c->wq), -EALREADY);
	CHECK_EQ(pcwq_submit_on(c->wq, 0, &c->a.dw.work), 1);
	pcwq_flush(&c->a.dw.work);
	CHECK_EQ(atomic_read(&c->a.runs), 1);
	return true;
}

static bool t_fifo(struct ctx *c)
{
	int order[16], i;
	struct item *its;

	its = kcalloc(ARRAY_SIZE(order), sizeof(*its), GFP_KERNEL);
	if (!its)
		return false;
	atomic_set(&order_pos, 0);
	c->a.gate = &c->gate;
	pcwq_submit_on(c->wq, 0, &c->a.dw.work);
	CHECK(started(&c->a));
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		item_init(&its[i], c->wq);
		its[i].order = order;
		its[i].id = i;
		pcwq_submit_on(c->wq, 0, &its[i].dw.work);
	}
	complete_all(&c->gate);
	pcwq_drain(c->wq, false);
	kfree(its);
	CHECK_EQ(atomic_read(&order_pos), ARRAY_SIZE(order));
	for (i = 0; i < ARRAY_SIZE(order); i++)
		CHECK_EQ(order[i], i);
	return true;
}

static bool t_bad_cpu(struct ctx *c)
{
	CHECK_EQ(pcwq_submit_on(c->wq, nr_cpu_ids, &c->a.dw.work), -EINVAL);
	CHECK_EQ(pcwq_submit_on(c->wq, -5, &c->a.dw.work), -EINVAL);
	CHECK_EQ(pcwq_schedule_on(c->wq, nr_cpu_ids, &c->a.dw, 5), -EINVAL);
	CHECK_EQ(pcwq_work_busy(&c->a.dw.work), 0);
	return true;
}

static bool t_every_cpu(struct ctx *c)
{
	int cpu;

	for_each_online_cpu(cpu) {
		CHECK_EQ(pcwq_submit_on(c->wq, cpu, &c->a.dw.work), 1);
		pcwq_flush(&c->a.dw.work);
		CHECK_EQ(c->a.last_cpu, cpu);
		CHECK_EQ(c->a.last_nice, 0);
	}
	return true;
}

static bool t_blocked_worker(struct ctx *c)
{
	struct pcwq *wq = make_wq("t_blocked", 0, 8, 0);

	if (IS_ERR(wq))
		return false;
	/* a sleeps in its handler; b on the same CPU still runs. */
	c->a.gate = &c->gate;
	pcwq_submit_on(wq, 0, &c->a.dw.work);
	CHECK(started(&c->a));
	pcwq_submit_on(wq, 0, &c->b.dw.work);
	CHECK(started(&c->b));
	CHECK_EQ(atomic_read(&c->a.runs), 0);
	complete_all(&c->gate);
	pcwq_destroy(wq);
	CHECK_EQ(atomic_read(&c->a.runs), 1);
	CHECK_EQ(atomic_read(&c->b.runs), 1);
	return true;
}

static bool t_max_active(struct ctx *c)
{
	struct pcwq *wq = make_wq("t_max_active", 0, 2, 0);
	struct item *its;
	int i, running = 0;

	if (IS_ERR(wq))
		return false;
	its = kcalloc(4, sizeof(*its), GFP_KERNEL);
	if (!its) {
		pcwq_destroy(wq);
		return false;
	}
	for (i = 0; i < 4; i++) {
		item_init(&its[i], wq);
		its[i].gate = &c->gate;
		pcwq_submit_on(wq, 1, &its[i].dw.work);
	}
	/* Two start, although both block; the other two must wait. */
	CHECK(started(&its[0]));
	CHECK(started(&its[1]));
	sleep_ms(50);
	for (i = 0; i < 4; i++)
		running += !!(pcwq_work_busy(&its[i].dw.work) &
			      PCWQ_WORK_RUNNING);
	complete_all(&c->gate);
	pcwq_destroy(wq);
	for (i = 0; i < 4; i++)
		CHECK_EQ(atomic_read(&its[i].runs), 1);
	kfree(its);
	CHECK_EQ(running, 2);
	return true;
}

static bool t_capacity(struct ctx *c)
{
	struct pcwq *wq = make_wq("t_capacity", 0, 1, 2);
	struct item *d = &c->c;

	if (IS_ERR(wq))
		return false;
	item_init(d, wq);
	c->a.gate = &c->gate;
	CHECK_EQ(pcwq_submit_on(wq, 0, &c->a.dw.work), 1);
	CHECK(started(&c->a));		/* running: no longer counted */
	CHECK_EQ(pcwq_submit_on(wq, 0, &c->b.dw.work), 1);
	CHECK_EQ(pcwq_schedule_on(wq, 0, &d->dw, 60 * HZ), 1);
	CHECK_EQ(pcwq_submit_on(wq, 0, &c->a.dw.work), -ENOSPC);
	CHECK_EQ(pcwq_cancel_delayable(&d->dw), 0);
	CHECK_EQ(pcwq_submit_on(wq, 0, &c->a.dw.work), 2);
	complete_all(&c->gate);
	pcwq_destroy(wq);
	CHECK_EQ(atomic_read(&c->a.runs), 2);
	CHECK_EQ(atomic_read(&c->b.runs), 1);
	return true;
}

static bool t_highpri(struct ctx *c)
{
	struct pcwq *wq = make_wq("t_highpri", PCWQ_HIGHPRI, 0, 0);

	if (IS_ERR(wq))
		return false;
	pcwq_submit_on(wq, 1, &c->a.dw.work);
	pcwq_flush(&c->a.dw.work);
	pcwq_destroy(wq);
	CHECK_EQ(c->a.last_nice, MIN_NICE);
	CHECK_EQ(c->a.last_cpu, 1);
	return true;
}

static bool t_destroy_pending(struct ctx *c)
{
	struct pcwq *wq = make_wq("t_destroy", 0, 1, 0);

	if (IS_ERR(wq))
		return false;
	c->a.gate = &c->gate;
	pcwq_submit_on(wq, 0, &c->a.dw.work);
	CHECK(started(&c->a));
	pcwq_submit_on(wq, 0, &c->b.dw.work);
	complete_all(&c->gate);
	/* Idle or only running: scheduled, for an hour. */
	CHECK_EQ(pcwq_schedule_on(wq, 1, &c->a.dw, 3600 * HZ), 1);
	pcwq_destroy(wq);	/* runs the queued b, cancels the delayed a */
	CHECK_EQ(atomic_read(&c->b.runs), 1);
	CHECK_EQ(atomic_read(&c->a.runs), 1);
	CHECK_EQ(pcwq_work_busy(&c->a.dw.work), 0);
	return true;
}

static bool t_bad_attrs(struct ctx *c)
{
	CHECK_EQ(PTR_ERR(make_wq("", 0, 0, 0)), -EINVAL);
	CHECK_EQ(PTR_ERR(make_wq("x", BIT(7), 0, 0)), -EINVAL);
	CHECK_EQ(PTR_ERR(make_wq("x", 0, PCWQ_MAX_ACTIVE + 1, 0)), -EINVAL);
	CHECK_EQ(PTR_ERR(make_wq("t", 0, 0, 0)), -EEXIST);
	return true;
}

/*
 * The work timeout: an item gated for 300 ms past a 50 ms limit is counted
 * once, one that returns at once is not, nor a long one once the limit is
 * off; an out-of-range limit is refused and changes nothing.
 */
static bool t_work_timeout(struct ctx *c)
{
	struct pcwq_limits l = { .work_timeout_ms = 50 };
	struct pcwq_stats st;

	CHECK_EQ(pcwq_set_limits(c->wq, &l), 0);
	l.work_timeout_ms = PCWQ_MAX_WORK_TIMEOUT_MS + 1;
	CHECK_EQ(pcwq_set_limits(c->wq, &l), -EINVAL);
	pcwq_get_limits(c->wq, &l);
	CHECK_EQ(l.work_timeout_ms, 50);

	c->a.gate = &c->gate;
	CHECK_EQ(pcwq_submit_on(c->wq, 0, &c->a.dw.work), 1);
	CHECK(started(&c->a));
	sleep_ms(300);
	complete_all(&c->gate);
	pcwq_flush(&c->a.dw.work);
	CHECK_EQ(pcwq_submit_on(c->wq, 0, &c->b.dw.work), 1);
	pcwq_flush(&c->b.dw.work);
	pcwq_get_stats(c->wq, &st);
	CHECK_EQ(st.overruns, 1);

	l.work_timeout_ms = 0;
	CHECK_EQ(pcwq_set_limits(c->wq, &l), 0);
	reinit_completion(&c->gate);
	reinit_completion(&c->a.started);
	CHECK_EQ(pcwq_submit_on(c->wq, 0, &c->a.dw.work), 1);
	CHECK(started(&c->a));
	sleep_ms(150);
	complete_all(&c->gate);
	pcwq_flush(&c->a.dw.work);
	pcwq_get_stats(c->wq, &st);
	CHECK_EQ(st.overruns, 1);
	CHECK_EQ(st.completed, 3);
	return true;
}

struct on_cpu_call {
	struct pcwq *wq;
	struct item *it;
	unsigned long delay;
	int ret;
};

/* From an IPI: submit (or schedule, with a delay) on PCWQ_CPU_ANY. */
static void submit_here(void *p)
{
	struct on_cpu_call *call = p;

	call->ret = call->delay ?
		    pcwq_schedule(call->wq, &call->it->dw, call->delay) :
		    pcwq_submit(call->wq, &call->it->dw.work);
}

/* A queue on CPU 1 only: CPU 0 is refused, CPU 0's PCWQ_CPU_ANY is CPU 1. */
static bool t_cpu_mask(struct ctx *c)
{
	struct pcwq_attrs attrs = { .name = "t_mask", .cpus = cpumask_of(1) };
	struct on_cpu_call call = {};
	cpumask_var_t none;
	struct pcwq *wq;

	if (!zalloc_cpumask_var(&none, GFP_KERNEL))
		return false;
	attrs.cpus = none;
	CHECK_EQ(PTR_ERR(pcwq_create(&attrs)), -EINVAL);
	free_cpumask_var(none);
	attrs.cpus = cpumask_of(1);
	wq = pcwq_create(&attrs);
	if (IS_ERR(wq))
		return false;
	item_init(&c->a, wq);
	CHECK_EQ(pcwq_submit_on(wq, 0, &c->a.dw.work), -EINVAL);
	CHECK_EQ(pcwq_schedule_on(wq, 0, &c->a.dw, 5), -EINVAL);
	CHECK_EQ(pcwq_work_busy(&c->a.dw.work), 0);
	CHECK_EQ(pcwq_submit_on(wq, 1, &c->a.dw.work), 1);
	pcwq_flush(&c->a.dw.work);
	CHECK_EQ(c->a.last_cpu, 1);

	call.wq = wq;
	call.it = &c->a;
	c->a.last_cpu = -1;
	smp_call_function_single(0, submit_here, &call, 1);
	CHECK_EQ(call.ret, 1);
	pcwq_flush(&c->a.dw.work);
	CHECK_EQ(c->a.last_cpu, 1);

	/* Armed on CPU 0: wherever the timer fires, the item goes to CPU 1. */
	call.delay = 2;
	c->a.last_cpu = -1;
	smp_call_function_single(0, submit_here, &call, 1);
	CHECK_EQ(call.ret, 1);
	sleep_ms(100);
	pcwq_flush(&c->a.dw.work);
	CHECK_EQ(atomic_read(&c->a.runs), 3);
	CHECK_EQ(c->a.last_cpu, 1);
	pcwq_cancel_delayable_sync(&c->a.dw);
	pcwq_destroy(wq);
	return true;
}

/*
 * Yielding (pool.c, "Yielding"): YIELD_ITEMS CPU-bound items (busy-waiting,
 * never sleeping) are queued on CPU 1 at once, from an IPI there, so the
 * worker finds them all.  The first one wakes a SCHED_FIFO kthread bound to
 * CPU 1, which then has the CPU at the first place where the worker yields
 * or is preempted, and records how many items had run by then.  Only the
 * order counts, not time: the item length just makes the run long enough
 * for ticks to fall into it.
 */
#define YIELD_ITEMS	16
#define YIELD_ITEM_US	1000
#define YIELD_CPU	1

struct yield_item {
	struct pcwq_work work;
	struct yield_run *run;
};

struct yield_run {
	struct pcwq *wq;
	struct yield_item items[YIELD_ITEMS];
	atomic_t done;			/* items whose handler has returned */
	int submitted;			/* items queued by the IPI */
	struct completion ready;	/* the competitor waits for go */
	struct completion go;		/* the first item wakes it */
	struct completion seen_done;	/* it recorded seen */
	int seen;			/* items done when it got the CPU */
	int seen_cpu;
};

static void yield_item_fn(struct pcwq_work *work)
{
	struct yield_item *it = container_of(work, struct yield_item, work);
	struct yield_run *r = it->run;

	udelay(YIELD_ITEM_US);
	if (atomic_inc_return(&r->done) == 1)
		complete(&r->go);
}

static int yield_competitor(void *p)
{
	struct yield_run *r = p;

	complete(&r->ready);
	if (wait_for_completion_timeout(&r->go, msecs_to_jiffies(WAIT_MS)))
		r->seen = atomic_read(&r->done);
	r->seen_cpu = raw_smp_processor_id();
	complete(&r->seen_done);
	set_current_state(TASK_IDLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_IDLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* From an IPI on YIELD_CPU: the worker cannot start before all are queued. */
static void yield_submit_all(void *p)
{
	struct yield_run *r = p;
	int i;

	for (i = 0; i < YIELD_ITEMS; i++)
		r->submitted += pcwq_submit_on(r->wq, YIELD_CPU,
					       &r->items[i].work) == 1;
}

/*
 * Run the items on a queue with @flags against the competitor; the number
 * of items that had run when it got the CPU, or -1 on a failure reported.
 */
static int yield_seen(struct ctx *c, const char *name, unsigned int flags)
{
	struct task_struct *task;
	struct yield_run *r;
	int i, seen = -1;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -1;
	r->wq = make_wq(name, flags, 0, 0);
	if (IS_ERR(r->wq)) {
		pr_info("    # cannot create %s: %ld\n", name, PTR_ERR(r->wq));
		goto free;
	}
	for (i = 0; i < YIELD_ITEMS; i++) {
		pcwq_init_work(&r->items[i].work, yield_item_fn);
		r->items[i].run = r;
	}
	init_completion(&r->ready);
	init_completion(&r->go);
	init_completion(&r->seen_done);
	r->seen = -1;
	task = kthread_create(yield_competitor, r, "pcwq_yield_t");
	if (IS_ERR(task)) {
		pr_info("    # cannot create the competitor: %ld\n",
			PTR_ERR(task));
		goto destroy;
	}
	get_task_struct(task);
	kthread_bind(task, YIELD_CPU);
	sched_set_fifo_low(task);
	wake_up_process(task);
	CHECK(wait_for_completion_timeout(&r->ready,
					  msecs_to_jiffies(WAIT_MS)));

	smp_call_function_single(YIELD_CPU, yield_submit_all, r, 1);
	CHECK_EQ(r->submitted, YIELD_ITEMS);
	CHECK(wait_for_completion_timeout(&r->seen_done,
					  msecs_to_jiffies(2 * WAIT_MS)));
	pcwq_drain(r->wq, false);
	CHECK_EQ(atomic_read(&r->done), YIELD_ITEMS);
	kthread_stop(task);
	put_task_struct(task);
	CHECK_EQ(r->seen_cpu, YIELD_CPU);
	if (r->seen < 0)
		pr_info("    # the competitor was not woken by the first item\n");
	else
		seen = r->seen;
	pr_info("    # %s: the woken thread ran after %d of %d items\n", name,
		seen, YIELD_ITEMS);
destroy:
	pcwq_destroy(r->wq);
free:
	kfree(r);
	return seen;
}

/* By default the worker yields after an item: the competitor runs then. */
static bool t_yield(struct ctx *c)
{
	int seen = yield_seen(c, "t_yield", 0);

	if (seen < 1 || seen >= YIELD_ITEMS)
		pr_info("    # the woken thread ran after %d of %d items, expected after the first and before the last\n",
			seen, YIELD_ITEMS);
	CHECK(seen >= 1 && seen < YIELD_ITEMS);
	return true;
}

/*
 * PCWQ_NO_YIELD: the whole burst runs first, unless the kernel preempts
 * anyway (then the sub-check is skipped, the run still exercised).
 */
static bool t_no_yield(struct ctx *c)
{
	bool preemptible = preempt_model_full() || preempt_model_rt();
	int seen = yield_seen(c, "t_no_yield", PCWQ_NO_YIELD);

	if (preemptible) {
		snprintf(c->skip, sizeof(c->skip),
			 "fully preemptible kernel: the woken thread preempts no-yield items anyway (it ran after %d of %d)",
			 seen, YIELD_ITEMS);
		CHECK(seen >= 1);
		return true;
	}
	if (seen != YIELD_ITEMS)
		pr_info("    # the woken thread ran after %d of %d items, expected after all of them\n",
			seen, YIELD_ITEMS);
	CHECK_EQ(seen, YIELD_ITEMS);
	return true;
}

struct test {
	const char *name;
	bool (*fn)(struct ctx *c);
};

static const struct test tests[] = {
	{ "simple_queue", t_simple },
	{ "queued_and_running_states", t_queued_states },
	{ "resubmit_running_returns_2", t_resubmit_running },
	{ "handler_resubmits_itself", t_self_resubmit },
	{ "cancel_queued", t_cancel_queued },
	{ "cancel_running_refuses_submit", t_cancel_running },
	{ "cancel_sync", t_cancel_sync },
	{ "cancel_sync_wakes_every_waiter", t_cancel_sync_many },
	{ "flush_queued", t_flush },
	{ "flush_running", t_flush_running },
	{ "schedule_keeps_deadline", t_schedule },
	{ "reschedule_replaces_deadline", t_reschedule },
	{ "cancel_delayed", t_cancel_delayed },
	{ "flush_delayed_runs_now", t_flush_delayed },
	{ "drain_accepts_chained", t_drain_chained },
	{ "drain_refuses_others", t_drain_refuses },
	{ "plug_unplug", t_plug },
	{ "fifo_order", t_fifo },
	{ "bad_cpu", t_bad_cpu },
	{ "runs_on_each_cpu", t_every_cpu },
	{ "blocked_worker_gets_help", t_blocked_worker },
	{ "max_active", t_max_active },
	{ "capacity", t_capacity },
	{ "highpri_pool", t_highpri },
	{ "destroy_runs_pending", t_destroy_pending },
	{ "bad_attributes", t_bad_attrs },
	{ "cpu_mask", t_cpu_mask },
	{ "work_timeout", t_work_timeout },
	{ "yield_between_items", t_yield },
	{ "no_yield_back_to_back", t_no_yield },
};

static void run_test(int nr, const struct test *t)
{
	struct ctx *c = kzalloc(sizeof(*c), GFP_KERNEL);
	bool ok = false;

	if (!c)
		goto out;
	c->wq = make_wq("t", 0, 1, 0);
	if (IS_ERR(c->wq)) {
		pr_info("    # cannot create the queue: %ld\n", PTR_ERR(c->wq));
		goto out;
	}
	init_completion(&c->gate);
	item_init(&c->a, c->wq);
	item_init(&c->b, c->wq);
	c->ok = true;
	ok = t->fn(c) && c->ok;
	/* Whatever the outcome, leave nothing behind. */
	complete_all(&c->gate);
	pcwq_cancel_delayable_sync(&c->a.dw);
	pcwq_cancel_delayable_sync(&c->b.dw);
	pcwq_destroy(c->wq);
out:
	tests_run++;
	if (!ok)
		tests_failed++;
	if (ok && c->skip[0])
		pr_info("ok %d %s # SKIP %s\n", nr, t->name, c->skip);
	else
		pr_info("%sok %d %s\n", ok ? "" : "not ", nr, t->name);
	kfree(c);
}

static int __init pcwq_test_init(void)
{
	int i;

	if (num_online_cpus() < 2 || !cpu_online(0) || !cpu_online(1)) {
		pr_info("1..0 # SKIP needs CPUs 0 and 1 online\n");
		return 0;
	}
	pr_info("KTAP version 1\n");
	pr_info("1..%zu\n", ARRAY_SIZE(tests));
	for (i = 0; i < ARRAY_SIZE(tests); i++)
		run_test(i + 1, &tests[i]);
	pr_info("# pcwq_test: pass:%d fail:%d\n", tests_run - tests_failed,
		tests_failed);
	return 0;
}

static void __exit pcwq_test_exit(void)
{
}

module_init(pcwq_test_init);
module_exit(pcwq_test_exit);

MODULE_DESCRIPTION("pcwq semantics suite (KTAP in the kernel log)");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * The triggered work suite of pcwq (Zephyr's k_work_poll), run at load
 * time, printing KTAP to the kernel log with the prefix "pcwq_poll_test: ".
 * Modelled on Zephyr's tests/kernel/workq/work triggered-work cases: exact
 * return values, run counts and results.
 *
 * Waits are bounded (WAIT_MS) and only ever judged from below: "nothing ran
 * within 100 ms" or "it ran, not earlier than the timeout".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/timer.h>
#include <linux/wait.h>

#include <pcwq.h>

#define WAIT_MS		5000
#define NEV		3
#define NRES		8

struct pitem {
	struct pcwq_poll_work pw;
	atomic_t runs;
	int results[NRES];		/* pcwq_poll_result() of each run */
	int last_result;
	bool ready[NEV];		/* the events' ready flags, last run */
	int last_cpu;
	struct pcwq_poll_event *events;	/* what it waits for, for resubmits */
	int n;
	struct pcwq *wq;
	int resubmit;			/* resubmissions left, from the handler */
	int resubmit_ret[NRES];
	unsigned long resubmit_timeout;
	struct pcwq_signal *reset;	/* lowered before resubmitting */
	struct completion *gate;	/* handler waits for it, if set */
};

static int tests_run, tests_failed;

static void pitem_fn(struct pcwq_work *work)
{
	struct pcwq_poll_work *pw = pcwq_poll_from_work(work);
	struct pitem *it = container_of(pw, struct pitem, pw);
	int run = atomic_read(&it->runs), i;

	if (run < NRES)
		it->results[run] = pcwq_poll_result(pw);
	it->last_result = pcwq_poll_result(pw);
	for (i = 0; i < it->n && i < NEV; i++)
		it->ready[i] = it->events[i].ready;
	it->last_cpu = raw_smp_processor_id();
	if (it->gate)
		wait_for_completion_timeout(it->gate, msecs_to_jiffies(WAIT_MS));
	if (it->resubmit > 0) {
		it->resubmit--;
		if (it->reset)
			pcwq_signal_reset(it->reset);
		it->resubmit_ret[run < NRES ? run : NRES - 1] =
			pcwq_poll_submit(it->wq, pw, it->events, it->n,
					 it->resubmit_timeout);
	}
	atomic_inc(&it->runs);
}

struct ctx {
	struct pcwq *wq;
	struct pitem a;
	struct pcwq_signal sig[NEV];
	struct pcwq_poll_event ev[NEV];
	struct completion gate;
	bool ok;
};

#define CHECK(cond) expect(c, (cond), __func__, __LINE__, #cond)
#define CHECK_EQ(a, b) expect_eq(c, (a), (b), __func__, __LINE__, #a)

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

static void pitem_init(struct pitem *it, struct pcwq *wq,
		       struct pcwq_poll_event *events, int n)
{
	memset(it, 0, sizeof(*it));
	pcwq_init_poll(&it->pw, pitem_fn);
	it->wq = wq;
	it->events = events;
	it->n = n;
}

/* Events 0..n-1 of @c on its signals. */
static void use_signals(struct ctx *c, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		memset(&c->ev[i], 0, sizeof(c->ev[i]));
		c->ev[i].type = PCWQ_POLL_SIGNAL;
		c->ev[i].signal = &c->sig[i];
	}
	c->a.events = c->ev;
	c->a.n = n;
}

/* Wait until @it ran @n times (at most WAIT_MS) and its handler returned. */
static int wait_runs(struct pitem *it, int n)
{
	int i;

	for (i = 0; i < WAIT_MS / 5 && atomic_read(&it->runs) < n; i++)
		usleep_range(5000, 6000);
	pcwq_flush(&it->pw.work);
	return atomic_read(&it->runs);
}

/* Whether entries are on @head; under its lock, so exact. */
static bool has_waiters(wait_queue_head_t *head)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&head->lock, flags);
	ret = !list_empty(&head->head);
	spin_unlock_irqrestore(&head->lock, flags);
	return ret;
}

static int submit(struct ctx *c, unsigned long timeout)
{
	return pcwq_poll_submit(c->wq, &c->a.pw, c->a.events, c->a.n, timeout);
}

static struct pcwq *make_wq(const char *name, unsigned int max_active,
			    unsigned int capacity)
{
	struct pcwq_attrs attrs = {
		.name = name, .max_active = max_active,
		.limits.capacity = capacity,
	};

	return pcwq_create(&attrs);
}

/* Zephyr: an event ready at submission queues the work at once, result 0. */
static bool t_already_signalled(struct ctx *c)
{
	int v = 0;

	use_signals(c, 1);
	pcwq_signal_raise(&c->sig[0], 7);
	CHECK_EQ(pcwq_poll_submit_on(c->wq, 1, &c->a.pw, c->ev, 1,
				     PCWQ_POLL_FOREVER), 0);
	CHECK_EQ(wait_runs(&c->a, 1), 1);
	CHECK_EQ(c->a.results[0], 0);
	CHECK_EQ(c->a.ready[0], true);
	CHECK_EQ(c->a.last_cpu, 1);
	CHECK(pcwq_signal_check(&c->sig[0], &v));
	CHECK_EQ(v, 7);
	msleep(50);
	CHECK_EQ(atomic_read(&c->a.runs), 1);
	return true;
}

static bool t_wait_then_signal(struct ctx *c)
{
	use_signals(c, 1);
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), 0);
	msleep(100);
	CHECK_EQ(atomic_read(&c->a.runs), 0);
	CHECK_EQ(pcwq_work_busy(&c->a.pw.work), 0);
	CHECK(!pcwq_signal_check(&c->sig[0], NULL));
	pcwq_signal_raise(&c->sig[0], 1);
	CHECK_EQ(wait_runs(&c->a, 1), 1);
	CHECK_EQ(c->a.results[0], 0);
	CHECK_EQ(c->a.ready[0], true);
	/* Fired once: raising again does nothing. */
	pcwq_signal_reset(&c->sig[0]);
	pcwq_signal_raise(&c->sig[0], 2);
	msleep(50);
	CHECK_EQ(atomic_read(&c->a.runs), 1);
	return true;
}

static bool t_timeout_expired(struct ctx *c)
{
	unsigned long timeout = msecs_to_jiffies(300), t0 = jiffies;

	use_signals(c, 1);
	CHECK_EQ(submit(c, timeout), 0);
	CHECK_EQ(wait_runs(&c->a, 1), 1);
	/* A timer never fires early; how late it fires is not judged. */
	CHECK(time_after_eq(jiffies, t0 + timeout));
	CHECK_EQ(c->a.results[0], -EAGAIN);
	CHECK_EQ(c->a.ready[0], false);
	pcwq_signal_raise(&c->sig[0], 0);
	msleep(50);
	CHECK_EQ(atomic_read(&c->a.runs), 1);
	return true;
}

/* Zephyr's K_NO_WAIT: queued at once, -EAGAIN unless an event is ready. */
static bool t_no_wait(struct ctx *c)
{
	use_signals(c, 1);
	CHECK_EQ(submit(c, 0), 0);
	CHECK_EQ(wait_runs(&c->a, 1), 1);
	CHECK_EQ(c->a.results[0], -EAGAIN);
	CHECK_EQ(c->a.ready[0], false);
	pcwq_signal_raise(&c->sig[0], 0);
	CHECK_EQ(submit(c, 0), 0);
	CHECK_EQ(wait_runs(&c->a, 2), 2);
	CHECK_EQ(c->a.results[1], 0);
	CHECK_EQ(c->a.ready[0], true);
	CHECK_EQ(pcwq_poll_cancel(&c->a.pw), -EINVAL);
	return true;
}

static bool t_resubmit_from_handler(struct ctx *c)
{
	int i;

	use_signals(c, 1);
	pcwq_signal_raise(&c->sig[0], 0);
	c->a.resubmit = 3;
	c->a.resubmit_timeout = PCWQ_POLL_FOREVER;
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), 0);
	CHECK_EQ(wait_runs(&c->a, 4), 4);
	for (i = 0; i < 4; i++)
		CHECK_EQ(c->a.results[i], 0);
	for (i = 0; i < 3; i++)
		CHECK_EQ(c->a.resubmit_ret[i], 0);
	msleep(50);
	CHECK_EQ(atomic_read(&c->a.runs), 4);
	return true;
}

/* The handler lowers the signal and waits again, with a timeout. */
static bool t_resubmit_from_handler_timeout(struct ctx *c)
{
	use_signals(c, 1);
	pcwq_signal_raise(&c->sig[0], 0);
	c->a.resubmit = 1;
	c->a.reset = &c->sig[0];
	c->a.resubmit_timeout = msecs_to_jiffies(50);
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), 0);
	CHECK_EQ(wait_runs(&c->a, 2), 2);
	CHECK_EQ(c->a.resubmit_ret[0], 0);
	CHECK_EQ(c->a.results[0], 0);
	CHECK_EQ(c->a.results[1], -EAGAIN);
	CHECK_EQ(c->a.ready[0], false);
	return true;
}

static bool t_cancel_waiting(struct ctx *c)
{
	struct pcwq_stats st;

	use_signals(c, 1);
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), 0);
	CHECK_EQ(pcwq_poll_cancel(&c->a.pw), 0);
	CHECK_EQ(pcwq_poll_cancel(&c->a.pw), -EINVAL);
	pcwq_signal_raise(&c->sig[0], 0);
	msleep(100);
	CHECK_EQ(atomic_read(&c->a.runs), 0);
	CHECK_EQ(pcwq_work_busy(&c->a.pw.work), 0);
	pcwq_get_stats(c->wq, &st);
	CHECK_EQ(st.submitted, 0);
	CHECK_EQ(st.unscheduled, 1);
	/* A timeout is stopped too. */
	pcwq_signal_reset(&c->sig[0]);
	CHECK_EQ(submit(c, 2), 0);
	CHECK_EQ(pcwq_poll_cancel(&c->a.pw), 0);
	msleep(100);
	CHECK_EQ(atomic_read(&c->a.runs), 0);
	/* And it can wait again. */
	pcwq_signal_raise(&c->sig[0], 0);
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), 0);
	CHECK_EQ(wait_runs(&c->a, 1), 1);
	return true;
}

struct blocker {
	struct pcwq_work work;
	struct ctx *c;
};

static void blocker_fn(struct pcwq_work *work)
{
	struct blocker *b = container_of(work, struct blocker, work);

	wait_for_completion_timeout(&b->c->gate, msecs_to_jiffies(WAIT_MS));
}

/*
 * Fired but its handler not started (a blocker holds the only slot of
 * CPU 0): cancel is refused, a resubmission too, and it runs exactly once.
 */
static bool t_cancel_after_firing(struct ctx *c)
{
	struct blocker b = { .c = c };

	use_signals(c, 1);
	pcwq_signal_raise(&c->sig[0], 0);
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), 0);
	CHECK_EQ(wait_runs(&c->a, 1), 1);
	CHECK_EQ(pcwq_poll_cancel(&c->a.pw), -EINVAL);

	pcwq_init_work(&b.work, blocker_fn);
	CHECK_EQ(pcwq_submit_on(c->wq, 0, &b.work), 1);
	msleep(20);
	CHECK_EQ(pcwq_poll_submit_on(c->wq, 0, &c->a.pw, c->ev, 1,
				     PCWQ_POLL_FOREVER), 0);
	CHECK_EQ(pcwq_work_busy(&c->a.pw.work), PCWQ_WORK_QUEUED);
	CHECK_EQ(pcwq_poll_cancel(&c->a.pw), -EINVAL);
	CHECK_EQ(pcwq_poll_submit_on(c->wq, 0, &c->a.pw, c->ev, 1,
				     PCWQ_POLL_FOREVER), -EBUSY);
	complete_all(&c->gate);
	CHECK_EQ(wait_runs(&c->a, 2), 2);
	pcwq_flush(&b.work);
	msleep(50);
	CHECK_EQ(atomic_read(&c->a.runs), 2);
	CHECK_EQ(c->a.results[1], 0);
	return true;
}

static bool t_other_queue(struct ctx *c)
{
	struct pcwq *wq2 = make_wq("t2", 0, 0);

	if (IS_ERR(wq2))
		return false;
	use_signals(c, 1);
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), 0);
	CHECK_EQ(pcwq_poll_submit(wq2, &c->a.pw, c->ev, 1, PCWQ_POLL_FOREVER),
		 -EADDRINUSE);
	/* Refused: still waiting where it was. */
	CHECK_EQ(pcwq_poll_cancel(&c->a.pw), 0);
	CHECK_EQ(pcwq_poll_submit(wq2, &c->a.pw, c->ev, 1, PCWQ_POLL_FOREVER),
		 0);
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), -EADDRINUSE);
	pcwq_signal_raise(&c->sig[0], 0);
	CHECK_EQ(wait_runs(&c->a, 1), 1);
	/* Idle again: any queue may take it. */
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), 0);
	CHECK_EQ(wait_runs(&c->a, 2), 2);
	pcwq_destroy(wq2);
	return true;
}

/*
 * Resubmitting a waiting item replaces its events (Zephyr cancels and
 * registers again) and keeps its admission: a queue of capacity 1 takes it.
 */
static bool t_resubmit_waiting(struct ctx *c)
{
	struct pcwq *wq1 = make_wq("t1", 0, 1);
	struct pcwq_work other;

	if (IS_ERR(wq1))
		return false;
	use_signals(c, 2);
	c->a.n = 1;
	CHECK_EQ(pcwq_poll_submit(wq1, &c->a.pw, &c->ev[0], 1,
				  PCWQ_POLL_FOREVER), 0);
	/* The waiting registration holds the queue's only place. */
	pcwq_init_work(&other, NULL);
	CHECK_EQ(pcwq_submit(wq1, &other), -ENOSPC);
	CHECK_EQ(pcwq_poll_submit(wq1, &c->a.pw, &c->ev[1], 1,
				  PCWQ_POLL_FOREVER), 0);
	c->a.events = &c->ev[1];
	pcwq_signal_raise(&c->sig[0], 0);
	msleep(100);
	CHECK_EQ(atomic_read(&c->a.runs), 0);
	CHECK_EQ(c->ev[0].ready, false);
	pcwq_signal_raise(&c->sig[1], 0);
	CHECK_EQ(wait_runs(&c->a, 1), 1);
	CHECK_EQ(c->a.results[0], 0);
	CHECK_EQ(c->a.ready[0], true);
	CHECK_EQ(c->ev[0].ready, false);
	pcwq_destroy(wq1);
	return true;
}

static bool t_several_events(struct ctx *c)
{
	use_signals(c, NEV);
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), 0);
	pcwq_signal_raise(&c->sig[1], 0);
	CHECK_EQ(wait_runs(&c->a, 1), 1);
	CHECK_EQ(c->a.ready[0], false);
	CHECK_EQ(c->a.ready[1], true);
	CHECK_EQ(c->a.ready[2], false);
	/* Raised later: ignored, only the one that fired is ready. */
	pcwq_signal_raise(&c->sig[2], 0);
	msleep(50);
	CHECK_EQ(atomic_read(&c->a.runs), 1);
	CHECK_EQ(c->ev[2].ready, false);
	/* Ready at submission: every ready one is marked. */
	pcwq_signal_raise(&c->sig[0], 0);
	pcwq_signal_reset(&c->sig[1]);
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), 0);
	CHECK_EQ(wait_runs(&c->a, 2), 2);
	CHECK_EQ(c->a.ready[0], true);
	CHECK_EQ(c->a.ready[1], false);
	CHECK_EQ(c->a.ready[2], true);
	return true;
}

/* One signal, two items waiting through events of their own: both fire. */
static bool t_two_items_one_signal(struct ctx *c)
{
	struct pcwq_poll_event evb = {
		.type = PCWQ_POLL_SIGNAL, .signal = &c->sig[0],
	};
	struct pitem *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return false;
	use_signals(c, 1);
	pitem_init(b, c->wq, &evb, 1);
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), 0);
	CHECK_EQ(pcwq_poll_submit(c->wq, &b->pw, &evb, 1, PCWQ_POLL_FOREVER),
		 0);
	pcwq_signal_raise(&c->sig[0], 0);
	CHECK_EQ(wait_runs(&c->a, 1), 1);
	CHECK_EQ(wait_runs(b, 1), 1);
	CHECK_EQ(c->a.results[0], 0);
	CHECK_EQ(b->results[0], 0);
	CHECK_EQ(b->ready[0], true);
	pcwq_poll_cancel(&b->pw);
	pcwq_flush(&b->pw.work);
	kfree(b);
	return true;
}

static atomic_t wq_flag;

static bool flag_set(void *data)
{
	return atomic_read(data);
}

/* A plain wait_queue_head_t, with and without a condition. */
static bool t_waitqueue(struct ctx *c)
{
	wait_queue_head_t head;
	struct pcwq_poll_event ev = {
		.type = PCWQ_POLL_WAITQUEUE, .head = &head,
		.cond = flag_set, .data = &wq_flag,
	};

	init_waitqueue_head(&head);
	atomic_set(&wq_flag, 0);
	c->a.events = &ev;
	c->a.n = 1;
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), 0);
	wake_up(&head);		/* condition false: no firing */
	msleep(100);
	CHECK_EQ(atomic_read(&c->a.runs), 0);
	atomic_set(&wq_flag, 1);
	wake_up(&head);
	CHECK_EQ(wait_runs(&c->a, 1), 1);
	CHECK_EQ(c->a.results[0], 0);
	CHECK_EQ(c->a.ready[0], true);
	/* Condition true at submission: at once. */
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), 0);
	CHECK_EQ(wait_runs(&c->a, 2), 2);
	CHECK_EQ(c->a.results[1], 0);
	/* No condition: only a wake-up fires it, any wake-up. */
	ev.cond = NULL;
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), 0);
	msleep(100);
	CHECK_EQ(atomic_read(&c->a.runs), 2);
	CHECK(has_waiters(&head));
	wake_up(&head);
	CHECK_EQ(wait_runs(&c->a, 3), 3);
	CHECK_EQ(c->a.results[2], 0);
	CHECK_EQ(c->a.ready[0], true);
	CHECK(!has_waiters(&head));
	return true;
}

/* A condition that stays false: the timeout fires it, the head is left. */
static bool t_waitqueue_timeout(struct ctx *c)
{
	wait_queue_head_t head;
	struct pcwq_poll_event ev = {
		.type = PCWQ_POLL_WAITQUEUE, .head = &head,
		.cond = flag_set, .data = &wq_flag,
	};

	init_waitqueue_head(&head);
	atomic_set(&wq_flag, 0);
	c->a.events = &ev;
	c->a.n = 1;
	CHECK_EQ(submit(c, msecs_to_jiffies(50)), 0);
	CHECK_EQ(wait_runs(&c->a, 1), 1);
	CHECK_EQ(c->a.results[0], -EAGAIN);
	CHECK_EQ(c->a.ready[0], false);
	/* The handler ran after every entry left the head. */
	CHECK(!has_waiters(&head));
	return true;
}

static bool t_destroy_waiting(struct ctx *c)
{
	struct pcwq *wq2 = make_wq("t2", 0, 0);

	if (IS_ERR(wq2))
		return false;
	use_signals(c, 1);
	CHECK_EQ(pcwq_poll_submit(wq2, &c->a.pw, c->ev, 1, PCWQ_POLL_FOREVER),
		 0);
	pcwq_destroy(wq2);
	CHECK(!has_waiters(&c->sig[0].wait));
	pcwq_signal_raise(&c->sig[0], 0);
	msleep(100);
	CHECK_EQ(atomic_read(&c->a.runs), 0);
	CHECK_EQ(pcwq_poll_cancel(&c->a.pw), -EINVAL);

	/* With a timeout: stopped too. */
	wq2 = make_wq("t2", 0, 0);
	if (IS_ERR(wq2))
		return false;
	pcwq_signal_reset(&c->sig[0]);
	CHECK_EQ(pcwq_poll_submit(wq2, &c->a.pw, c->ev, 1,
				  msecs_to_jiffies(1000)), 0);
	pcwq_destroy(wq2);
	msleep(1200);
	CHECK_EQ(atomic_read(&c->a.runs), 0);

	/* The item is idle and goes to another queue. */
	pcwq_signal_raise(&c->sig[0], 0);
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), 0);
	CHECK_EQ(wait_runs(&c->a, 1), 1);
	return true;
}

static bool t_bad_input(struct ctx *c)
{
	struct pcwq_poll_event bad = { .type = 0 };

	use_signals(c, 1);
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), 0);
	/* Refused without changing anything: it still waits. */
	CHECK_EQ(pcwq_poll_submit(c->wq, &c->a.pw, c->ev, 0,
				  PCWQ_POLL_FOREVER), -EINVAL);
	CHECK_EQ(pcwq_poll_submit(c->wq, &c->a.pw, NULL, 1,
				  PCWQ_POLL_FOREVER), -EINVAL);
	CHECK_EQ(pcwq_poll_submit(c->wq, &c->a.pw, &bad, 1,
				  PCWQ_POLL_FOREVER), -EINVAL);
	bad.type = PCWQ_POLL_SIGNAL;
	CHECK_EQ(pcwq_poll_submit(c->wq, &c->a.pw, &bad, 1,
				  PCWQ_POLL_FOREVER), -EINVAL);
	bad.type = PCWQ_POLL_WAITQUEUE;
	CHECK_EQ(pcwq_poll_submit(c->wq, &c->a.pw, &bad, 1,
				  PCWQ_POLL_FOREVER), -EINVAL);
	CHECK_EQ(pcwq_poll_submit(c->wq, &c->a.pw, c->ev,
				  PCWQ_POLL_MAX_EVENTS + 1, PCWQ_POLL_FOREVER),
		 -EINVAL);
	CHECK_EQ(submit(c, MAX_JIFFY_OFFSET + 1), -EINVAL);
	CHECK_EQ(pcwq_poll_submit_on(c->wq, nr_cpu_ids, &c->a.pw, c->ev, 1,
				     PCWQ_POLL_FOREVER), -EINVAL);
	pcwq_signal_raise(&c->sig[0], 0);
	CHECK_EQ(wait_runs(&c->a, 1), 1);
	CHECK_EQ(c->a.results[0], 0);
	return true;
}

/* Admission: a plugged queue refuses, as it refuses delayed items. */
static bool t_plugged(struct ctx *c)
{
	use_signals(c, 1);
	CHECK_EQ(pcwq_drain(c->wq, true), 0);
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), -EBUSY);
	CHECK_EQ(pcwq_unplug(c->wq), 0);
	CHECK_EQ(submit(c, PCWQ_POLL_FOREVER), 0);
	/* Waiting does not hold a drain up: it is not in flight. */
	CHECK_EQ(pcwq_drain(c->wq, false), 0);
	pcwq_signal_raise(&c->sig[0], 0);
	CHECK_EQ(wait_runs(&c->a, 1), 1);
	return true;
}

struct raiser {
	struct timer_list timer;
	struct pcwq_signal *sig;
};

static void raise_fn(struct timer_list *t)
{
	struct raiser *r = container_of(t, struct raiser, timer);

	pcwq_signal_raise(r->sig, 0);
}

/*
 * Cancel against a signal raised from a timer, and against the timeout:
 * cancel returns 0 and it never runs, or -EINVAL and it runs once.
 */
static bool t_cancel_race(struct ctx *c)
{
	struct raiser r = { .sig = &c->sig[0] };
	int i, ret, fired = 0, cancelled = 0;

	use_signals(c, 1);
	timer_setup_on_stack(&r.timer, raise_fn, 0);
	for (i = 0; i < 300 && c->ok; i++) {
		bool by_timeout = i & 1;

		pcwq_signal_reset(&c->sig[0]);
		CHECK_EQ(submit(c, by_timeout ? 1 : PCWQ_POLL_FOREVER), 0);
		if (!by_timeout)
			mod_timer(&r.timer, jiffies + 1);
		usleep_range((i * 97) % 6000, (i * 97) % 6000 + 100);
		ret = pcwq_poll_cancel(&c->a.pw);
		CHECK(ret == 0 || ret == -EINVAL);
		timer_delete_sync(&r.timer);
		if (ret == 0)
			cancelled++;
		else
			fired++;
		pcwq_flush(&c->a.pw.work);
		CHECK_EQ(atomic_read(&c->a.runs), fired);
		if (ret)
			CHECK_EQ(c->a.last_result, by_timeout ? -EAGAIN : 0);
	}
	destroy_timer_on_stack(&r.timer);
	pr_info("    # cancelled %d, fired %d\n", cancelled, fired);
	return true;
}

static void raise_ipi(void *sig)
{
	pcwq_signal_raise(sig, 3);
}

/*
 * A signal raised in a hard interrupt (an IPI to CPU 1) queues the item.
 * Not on PREEMPT_RT, where wait queue locks sleep: there from a timer.
 */
static bool t_raise_from_irq(struct ctx *c)
{
	struct raiser r = { .sig = &c->sig[0] };

	use_signals(c, 1);
	CHECK_EQ(pcwq_poll_submit_on(c->wq, 0, &c->a.pw, c->ev, 1,
				     PCWQ_POLL_FOREVER), 0);
	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		pr_info("    # PREEMPT_RT: raised from a timer\n");
		timer_setup_on_stack(&r.timer, raise_fn, 0);
		mod_timer(&r.timer, jiffies + 1);
		CHECK_EQ(wait_runs(&c->a, 1), 1);
		timer_delete_sync(&r.timer);
		destroy_timer_on_stack(&r.timer);
	} else {
		CHECK_EQ(smp_call_function_single(1, raise_ipi, &c->sig[0], 1),
			 0);
		CHECK_EQ(wait_runs(&c->a, 1), 1);
	}
	CHECK_EQ(c->a.results[0], 0);
	CHECK_EQ(c->a.last_cpu, 0);
	return true;
}

struct test {
	const char *name;
	bool (*fn)(struct ctx *c);
};

static const struct test tests[] = {
	{ "already_signalled", t_already_signalled },
	{ "wait_then_signal", t_wait_then_signal },
	{ "timeout_expired", t_timeout_expired },
	{ "no_wait", t_no_wait },
	{ "resubmit_from_handler", t_resubmit_from_handler },
	{ "resubmit_from_handler_timeout", t_resubmit_from_handler_timeout },
	{ "cancel_while_waiting", t_cancel_waiting },
	{ "cancel_after_firing", t_cancel_after_firing },
	{ "other_queue_refused", t_other_queue },
	{ "resubmit_while_waiting_replaces_events", t_resubmit_waiting },
	{ "several_events_ready_flags", t_several_events },
	{ "two_items_one_signal", t_two_items_one_signal },
	{ "waitqueue_condition", t_waitqueue },
	{ "waitqueue_timeout", t_waitqueue_timeout },
	{ "queue_destroyed_while_waiting", t_destroy_waiting },
	{ "bad_input_changes_nothing", t_bad_input },
	{ "plugged_queue_refuses", t_plugged },
	{ "cancel_races_firing", t_cancel_race },
	{ "raise_from_irq", t_raise_from_irq },
};

static void run_test(int nr, const struct test *t)
{
	struct ctx *c = kzalloc(sizeof(*c), GFP_KERNEL);
	bool ok = false;
	int i;

	if (!c)
		goto out;
	c->wq = make_wq("t", 1, 0);
	if (IS_ERR(c->wq)) {
		pr_info("    # cannot create the queue: %ld\n", PTR_ERR(c->wq));
		goto free;
	}
	init_completion(&c->gate);
	for (i = 0; i < NEV; i++)
		pcwq_signal_init(&c->sig[i]);
	pitem_init(&c->a, c->wq, c->ev, 1);
	c->ok = true;
	ok = t->fn(c) && c->ok;
	/* Whatever the outcome, leave nothing behind. */
	complete_all(&c->gate);
	pcwq_poll_cancel(&c->a.pw);
	pcwq_flush(&c->a.pw.work);
	pcwq_destroy(c->wq);
	/* No entry may stay on a signal that goes with c. */
	for (i = 0; i < NEV; i++)
		if (has_waiters(&c->sig[i].wait)) {
			pr_info("    # signal %d still has waiters\n", i);
			ok = false;
		}
free:
	kfree(c);
out:
	tests_run++;
	if (!ok)
		tests_failed++;
	pr_info("%sok %d %s\n", ok ? "" : "not ", nr, t->name);
}

static int __init pcwq_poll_test_init(void)
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
	pr_info("# pcwq_poll_test: pass:%d fail:%d\n", tests_run - tests_failed,
		tests_failed);
	return 0;
}

static void __exit pcwq_poll_test_exit(void)
{
}

module_init(pcwq_poll_test_init);
module_exit(pcwq_poll_test_exit);

MODULE_DESCRIPTION("pcwq triggered work suite (KTAP in the kernel log)");
MODULE_LICENSE("GPL");

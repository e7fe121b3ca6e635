// SPDX-License-Identifier: GPL-2.0
/*
 * pcwq_rescuer: the cursor of a rescue session in rescuer_mode=one
 * (pcwq_rescue_next(), rescuer.c) on a pool made up for the test: its lock
 * and worklist, two queues' pwqs on it with their cursors, and items that
 * are never run.  As the rescuer does, the test takes each item returned
 * off the worklist (running it), under the pool's lock.
 */
#include "pcwq_kunit.h"

#define NR_ITEMS	8

struct fake {
	struct pcwq_pool pool;
	struct pcwq_pwq a, b;		/* two queues on the pool */
	struct pcwq_work item[NR_ITEMS];
};

static void never_run(struct pcwq_work *work)
{
}

static int fake_init(struct kunit *test)
{
	struct fake *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	unsigned int i;

	if (!f)
		return -ENOMEM;
	raw_spin_lock_init(&f->pool.lock);
	INIT_LIST_HEAD(&f->pool.worklist);
	f->a.pool = &f->pool;
	f->b.pool = &f->pool;
	pcwq_init_work(&f->a.cursor, pcwq_cursor_fn);
	pcwq_init_work(&f->b.cursor, pcwq_cursor_fn);
	for (i = 0; i < NR_ITEMS; i++)
		pcwq_init_work(&f->item[i], never_run);
	test->priv = f;
	return 0;
}

/* Put item @i of @pwq at the tail (or the head) of the worklist. */
static void add(struct fake *f, unsigned int i, struct pcwq_pwq *pwq,
		bool head)
{
	raw_spin_lock_irq(&f->pool.lock);
	f->item[i].pwq = pwq;
	if (head)
		list_add(&f->item[i].entry, &f->pool.worklist);
	else
		list_add_tail(&f->item[i].entry, &f->pool.worklist);
	raw_spin_unlock_irq(&f->pool.lock);
}

/* A worker takes item @i: off the worklist behind the rescuer's back. */
static void take(struct fake *f, unsigned int i)
{
	raw_spin_lock_irq(&f->pool.lock);
	list_del_init(&f->item[i].entry);
	raw_spin_unlock_irq(&f->pool.lock);
}

/*
 * One step of the session on @pwq: the index of the item returned, which
 * the rescuer runs (takes off the list) if @run; -1 for NULL.
 */
static int step(struct fake *f, struct pcwq_pwq *pwq, bool run)
{
	struct pcwq_work *work;

	raw_spin_lock_irq(&f->pool.lock);
	work = pcwq_rescue_next(pwq);
	if (work && run)
		list_del_init(&work->entry);
	raw_spin_unlock_irq(&f->pool.lock);
	return work ? work - f->item : -1;
}

/* The rescuer ends the session: its cursor leaves the worklist. */
static void end_session(struct fake *f, struct pcwq_pwq *pwq)
{
	raw_spin_lock_irq(&f->pool.lock);
	list_del_init(&pwq->cursor.entry);
	raw_spin_unlock_irq(&f->pool.lock);
}

/* The item the cursor of @pwq stands before: index, -1 none, -2 off. */
static int cursor_before(struct fake *f, struct pcwq_pwq *pwq)
{
	struct list_head *next;
	int ret;

	raw_spin_lock_irq(&f->pool.lock);
	next = pwq->cursor.entry.next;
	if (list_empty(&pwq->cursor.entry))
		ret = -2;
	else if (next == &f->pool.worklist)
		ret = -1;
	else
		ret = list_entry(next, struct pcwq_work, entry) - f->item;
	raw_spin_unlock_irq(&f->pool.lock);
	return ret;
}

/* The pwq's items in order, the other queue's skipped; then NULL. */
static void order_skips_others(struct kunit *test)
{
	struct fake *f = test->priv;

	add(f, 0, &f->b, false);
	add(f, 1, &f->a, false);
	add(f, 2, &f->b, false);
	add(f, 3, &f->a, false);
	add(f, 4, &f->b, false);
	add(f, 5, &f->a, false);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 1);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 3);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 5);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), -1);
	/* The other queue's items are all still there, in order. */
	KUNIT_EXPECT_EQ(test, step(f, &f->b, true), 0);
	KUNIT_EXPECT_EQ(test, step(f, &f->b, true), 2);
	KUNIT_EXPECT_EQ(test, step(f, &f->b, true), 4);
	KUNIT_EXPECT_EQ(test, step(f, &f->b, true), -1);
	end_session(f, &f->a);
	end_session(f, &f->b);
}

/* Another rescuer's cursor is skipped and left where it is. */
static void skips_other_cursor(struct kunit *test)
{
	struct fake *f = test->priv;

	add(f, 0, &f->a, false);
	add(f, 1, &f->b, false);
	add(f, 2, &f->a, false);
	/* b's session stands before its item 1. */
	KUNIT_EXPECT_EQ(test, step(f, &f->b, false), 1);
	KUNIT_EXPECT_EQ(test, cursor_before(f, &f->b), 1);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 0);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 2);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), -1);
	KUNIT_EXPECT_EQ(test, cursor_before(f, &f->b), 1);
	end_session(f, &f->a);
	end_session(f, &f->b);
}

/* A new session starts at the head; the cursor stands before the item. */
static void cursor_placement(struct kunit *test)
{
	struct fake *f = test->priv;

	KUNIT_EXPECT_EQ(test, cursor_before(f, &f->a), -2);
	add(f, 0, &f->b, false);
	add(f, 1, &f->a, false);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, false), 1);
	KUNIT_EXPECT_EQ(test, cursor_before(f, &f->a), 1);
	/* An item not taken (its lock was busy) is found again. */
	KUNIT_EXPECT_EQ(test, step(f, &f->a, false), 1);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 1);
	KUNIT_EXPECT_EQ(test, cursor_before(f, &f->a), -1);
	end_session(f, &f->a);
}

/* Items workers took behind the cursor's back are not returned. */
static void removed_behind_back(struct kunit *test)
{
	struct fake *f = test->priv;
	unsigned int i;

	for (i = 0; i < 5; i++)
		add(f, i, &f->a, false);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 0);
	take(f, 1);			/* the next one */
	take(f, 3);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, false), 2);
	take(f, 2);			/* the one the cursor stands before */
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 4);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), -1);
	end_session(f, &f->a);
}

/* Items added at the tail during a session are part of it. */
static void added_at_tail(struct kunit *test)
{
	struct fake *f = test->priv;

	add(f, 0, &f->a, false);
	add(f, 1, &f->a, false);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 0);
	add(f, 2, &f->b, false);
	add(f, 3, &f->a, false);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 1);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 3);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), -1);
	add(f, 4, &f->a, false);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 4);
	end_session(f, &f->a);
}

/*
 * One pass: items added before the cursor (at the head) during a session
 * are not returned, however many steps follow; the cursor never goes
 * back.  The next session starts at the head again and finds them.
 */
static void one_pass(struct kunit *test)
{
	struct fake *f = test->priv;

	add(f, 0, &f->a, false);
	add(f, 1, &f->a, false);
	add(f, 2, &f->a, false);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 0);
	add(f, 3, &f->a, true);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 1);
	add(f, 4, &f->a, true);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 2);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), -1);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), -1);
	end_session(f, &f->a);
	KUNIT_EXPECT_EQ(test, cursor_before(f, &f->a), -2);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 4);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 3);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), -1);
	end_session(f, &f->a);
}

/*
 * End of a session: NULL, the cursor stays on the worklist (after the
 * last item) until the rescuer takes it off; on an empty worklist too.  A
 * session that yields keeps its cursor and resumes after it.
 */
static void session_end_and_yield(struct kunit *test)
{
	struct fake *f = test->priv;

	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), -1);
	KUNIT_EXPECT_EQ(test, cursor_before(f, &f->a), -1);
	end_session(f, &f->a);

	add(f, 0, &f->a, false);
	add(f, 1, &f->a, false);
	add(f, 2, &f->b, false);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 0);
	/* Yield: the cursor stays; an item comes at the head meanwhile. */
	add(f, 3, &f->a, true);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), 1);
	KUNIT_EXPECT_EQ(test, step(f, &f->a, true), -1);
	KUNIT_EXPECT_EQ(test, cursor_before(f, &f->a), 2);
	end_session(f, &f->a);
	KUNIT_EXPECT_EQ(test, cursor_before(f, &f->a), -2);
}

static struct kunit_case pcwq_rescuer_cases[] = {
	KUNIT_CASE(order_skips_others),
	KUNIT_CASE(skips_other_cursor),
	KUNIT_CASE(cursor_placement),
	KUNIT_CASE(removed_behind_back),
	KUNIT_CASE(added_at_tail),
	KUNIT_CASE(one_pass),
	KUNIT_CASE(session_end_and_yield),
	{}
};

static struct kunit_suite pcwq_rescuer_suite = {
	.name = "pcwq_rescuer",
	.init = fake_init,
	.test_cases = pcwq_rescuer_cases,
};

kunit_test_suite(pcwq_rescuer_suite);

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PCWQ_GENL_H
#define _PCWQ_GENL_H

#include <net/genetlink.h>

extern struct genl_family pcwq_genl_family;

int pcwq_genl_init(void);
void pcwq_genl_exit(void);

/* Replies to a doit request: new, then send (frees it on @err). */
struct sk_buff *pcwq_reply_new(struct genl_info *info, void **hdr);
int pcwq_reply_send(struct sk_buff *msg, void *hdr, struct genl_info *info,
		    int err);

/* nl_queue.c */
int pcwq_nl_queue_add(struct sk_buff *skb, struct genl_info *info);
int pcwq_nl_queue_set(struct sk_buff *skb, struct genl_info *info);
int pcwq_nl_queue_del(struct sk_buff *skb, struct genl_info *info);
int pcwq_nl_load(struct sk_buff *skb, struct genl_info *info);
int pcwq_nl_flush(struct sk_buff *skb, struct genl_info *info);
int pcwq_nl_drain(struct sk_buff *skb, struct genl_info *info);
int pcwq_nl_unplug(struct sk_buff *skb, struct genl_info *info);

/* nl_stats.c */
int pcwq_nl_stats_dump(struct sk_buff *skb, struct netlink_callback *cb);
int pcwq_nl_queue_dump(struct sk_buff *skb, struct netlink_callback *cb);
int pcwq_nl_stats_reset(struct sk_buff *skb, struct genl_info *info);

#endif /* _PCWQ_GENL_H */

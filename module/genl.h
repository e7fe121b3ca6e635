/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PCWQ_GENL_H
#define _PCWQ_GENL_H

int pcwq_genl_init(void);
void pcwq_genl_exit(void);

#endif /* _PCWQ_GENL_H */

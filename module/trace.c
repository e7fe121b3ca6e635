// SPDX-License-Identifier: GPL-2.0
/*
 * The pcwq tracepoints: their one definition.  The events are described in
 * trace.h; the engine only calls trace_pcwq_*().
 */
#define CREATE_TRACE_POINTS
#include "trace.h"

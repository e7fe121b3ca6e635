// Presentation of the notifications that "monitor" prints: one line each, text or JSON.
#pragma once

#include <string>

#include "events.hpp"
#include "output.hpp"

namespace wqctl {

/// One event, newline-terminated.  Text: "rescue queue=NAME rescued=N", "overrun queue=NAME
/// func=FN [MOD] run_ms=R cpu=C" (the handler as the kernel's %ps prints it, spaces and all), or
/// for types this wqctl does not know "event type=T queue=NAME func=F run_ms=R cpu=C highpri=H
/// count=N stalled_ms=S"; JSON: {"event":"rescue","queue":NAME,"rescued":N},
/// {"event":"overrun","queue":NAME,"func":F,"run_ms":R,"cpu":C}, or {"event":"unknown",
/// "type":T,"queue":NAME,...}.  What the module did not send is left out.
std::string render_event(const Event& event, Format format);

/// The line saying that the kernel dropped events, and what the module's counters say they
/// reported: "# events lost: socket buffer overflow; not reported: 2 stall(s), up to 14 rescued
/// item(s), 3 overrun(s)", or {"event":"lost","stalls":2,"rescued":14,"overruns":3}.
std::string render_events_lost(const EventTally& missed, Format format);

}  // namespace wqctl

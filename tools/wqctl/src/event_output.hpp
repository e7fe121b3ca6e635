// Presentation of the notifications that "monitor" prints: one line each, text or JSON.
#pragma once

#include <string>

#include "events.hpp"
#include "output.hpp"

namespace wqctl {

/// One event, newline-terminated.  Text: "rescue queue=NAME rescued=N", or for types this wqctl
/// does not know "event type=T queue=NAME cpu=C highpri=H count=N stalled_ms=S"; JSON:
/// {"event":"rescue","queue":NAME,"rescued":N}, or {"event":"unknown","type":T,"queue":NAME,
/// "cpu":C,"highpri":H,"count":N,"stalled_ms":S}.  What the module did not send is left out.
std::string render_event(const Event& event, Format format);

/// The line saying that the kernel dropped events, and what the module's counters say they
/// reported: "# events lost: socket buffer overflow; not reported: 2 stall(s), up to 14 rescued
/// item(s)", or {"event":"lost","stalls":2,"rescued":14}.
std::string render_events_lost(const EventTally& missed, Format format);

}  // namespace wqctl

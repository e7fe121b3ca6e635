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

/// The line saying that the kernel dropped events: "# events lost: socket buffer overflow", or
/// {"event":"lost"}.
std::string render_events_lost(Format format);

}  // namespace wqctl

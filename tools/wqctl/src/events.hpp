// The notifications of the pcwq family (PCWQ_CMD_EVENT on the "events" multicast group): a plain
// struct and the decoding of received messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "queue_proto.hpp"

namespace wqctl {

/// One notification.  Types this wqctl does not know are kept, with whatever attributes it does
/// know: newer modules may send them.
struct Event {
  std::uint32_t type = 0;                   ///< PCWQ_A_EVENT_TYPE: enum pcwq_event_type
  std::optional<std::string> queue;         ///< PCWQ_A_QUEUE_NAME
  std::optional<std::uint32_t> cpu;         ///< PCWQ_A_EVENT_CPU: the CPU of a pool
  std::optional<std::uint32_t> highpri;     ///< PCWQ_A_EVENT_HIGHPRI: a pool's priority, 0/1
  std::optional<std::uint64_t> count;       ///< PCWQ_A_EVENT_COUNT: items the event covers
  std::optional<std::uint64_t> stalled_ms;  ///< PCWQ_A_EVENT_STALLED_MS
  std::optional<std::string> func;          ///< PCWQ_A_EVENT_FUNC: a handler, "fn [mod]"
  std::optional<std::uint64_t> run_ms;      ///< PCWQ_A_EVENT_RUN_MS: how long an item has run

  friend bool operator==(const Event&, const Event&) = default;
};

/// What events report, summed: stall reports, rescued items and items past their work timeout.
/// The module's counters say the same, so that comparing both tells what events a listener
/// missed.
struct EventTally {
  std::uint64_t stalls = 0;
  std::uint64_t rescued = 0;
  std::uint64_t overruns = 0;

  /// Adds what event reports (nothing for types this wqctl does not know).
  void add(const Event& event);

  friend bool operator==(const EventTally&, const EventTally&) = default;
};

/// The counters of every pool, summed as events report them.
EventTally tally_of(const std::vector<Pool>& pools);

/// What happened between two readings of the counters, before and now, that the events received
/// in between (received) do not report; 0 where the counters went backwards (stats reset).
/// Rescue events are coalesced: items rescued just before now may still be reported, so the
/// rescued count is an upper bound.
EventTally events_missed(const EventTally& before, const EventTally& now,
                         const EventTally& received);

/// Decodes one message from its nlmsghdr on; nullopt when it is not an event notification (its
/// command is not PCWQ_CMD_EVENT).  Unknown attributes are ignored; throws OpError (EPROTO) when
/// the message is truncated, lacks the event type or carries an attribute too short for it.
std::optional<Event> decode_event_message(std::span<const std::byte> msg);

/// Decodes the event notifications of one received datagram, in order: the messages of the
/// generic netlink family family (its id); others are skipped.  Throws as
/// decode_event_message(), and OpError (EPROTO) when a message runs past the datagram.
std::vector<Event> decode_event_datagram(std::span<const std::byte> datagram, int family);

}  // namespace wqctl

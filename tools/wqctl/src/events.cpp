#include "events.hpp"

#include <utility>

#include "netlink.hpp"
#include "pcwq_genl.h"
#include "wire.hpp"

namespace wqctl {

void EventTally::add(const Event& event) {
  switch (event.type) {
    case PCWQ_EVENT_STALL:
      ++stalls;
      break;
    case PCWQ_EVENT_RESCUE:
      rescued += event.count.value_or(0);
      break;
    case PCWQ_EVENT_OVERRUN:
      ++overruns;
      break;
    default:
      break;
  }
}

EventTally tally_of(const std::vector<Pool>& pools) {
  EventTally tally;
  for (const Pool& pool : pools) {
    tally.stalls += pool.counters.stalls;
    tally.rescued += pool.counters.rescued;
    tally.overruns += pool.counters.overruns;
  }
  return tally;
}

EventTally events_missed(const EventTally& before, const EventTally& now,
                         const EventTally& received) {
  const auto missed = [](std::uint64_t from, std::uint64_t to, std::uint64_t seen) {
    const std::uint64_t happened = to >= from ? to - from : 0;
    return happened > seen ? happened - seen : 0;
  };
  return {.stalls = missed(before.stalls, now.stalls, received.stalls),
          .rescued = missed(before.rescued, now.rescued, received.rescued),
          .overruns = missed(before.overruns, now.overruns, received.overruns)};
}

std::optional<Event> decode_event_message(std::span<const std::byte> msg) {
  // Checks the lengths of the headers before they are read.
  const nl::Attrs attrs = nl::Attrs::parse_genl(msg, PCWQ_A_MAX);
  if (nl::load<genlmsghdr>(msg.subspan(nl::header_len)).cmd != PCWQ_CMD_EVENT) {
    return std::nullopt;
  }
  const auto type = attrs.u32(PCWQ_A_EVENT_TYPE);
  if (!type) {
    throw nl::protocol_error("event lacks its type");
  }
  return Event{
      .type = *type,
      .queue = attrs.str(PCWQ_A_QUEUE_NAME),
      .cpu = attrs.u32(PCWQ_A_EVENT_CPU),
      .highpri = attrs.u32(PCWQ_A_EVENT_HIGHPRI),
      .count = attrs.u64(PCWQ_A_EVENT_COUNT),
      .stalled_ms = attrs.u64(PCWQ_A_EVENT_STALLED_MS),
      .func = attrs.str(PCWQ_A_EVENT_FUNC),
      .run_ms = attrs.u64(PCWQ_A_EVENT_RUN_MS),
  };
}

std::vector<Event> decode_event_datagram(std::span<const std::byte> datagram, int family) {
  std::vector<Event> events;
  std::size_t offset = 0;
  while (offset < datagram.size()) {
    const auto rest = datagram.subspan(offset);
    const auto hdr = nl::load<nlmsghdr>(rest);
    if (rest.size() < nl::header_len || hdr.nlmsg_len < nl::header_len ||
        hdr.nlmsg_len > rest.size()) {
      throw nl::protocol_error("truncated message");
    }
    if (hdr.nlmsg_type == family) {
      if (auto event = decode_event_message(rest.first(hdr.nlmsg_len))) {
        events.push_back(*std::move(event));
      }
    }
    offset += nl::align(hdr.nlmsg_len);
  }
  return events;
}

}  // namespace wqctl

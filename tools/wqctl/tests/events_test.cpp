// Decoding of the notifications the module sends on the "events" group, from hand-built messages.
#include "events.hpp"

#include <cerrno>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>

#include <gtest/gtest.h>

#include "errors.hpp"
#include "netlink_builders.hpp"
#include "pcwq_genl.h"

namespace wqctl {
namespace {

using test::errnum_of;
using test::ok;

constexpr int fake_family = 0x1d;

/// An event with what a rescue event has: a queue and a count.
Event queue_event(std::uint32_t type, std::optional<std::string> queue,
                  std::optional<std::uint64_t> count) {
  return {.type = type,
          .queue = std::move(queue),
          .cpu = std::nullopt,
          .highpri = std::nullopt,
          .count = count,
          .stalled_ms = std::nullopt,
          .func = std::nullopt,
          .run_ms = std::nullopt};
}

/// A notification as the module multicasts it: no port, no sequence number.
test::MsgPtr notification(std::uint8_t cmd = PCWQ_CMD_EVENT, int family = fake_family) {
  test::MsgPtr msg{nlmsg_alloc()};
  EXPECT_NE(genlmsg_put(msg.get(), 0, 0, family, 0, 0, cmd, PCWQ_GENL_VERSION), nullptr);
  return msg;
}

/// The module's rescue event: the type, the queue's name and the count after a pad attribute
/// (nla_put_u64_64bit() adds one when the u64 would not be 8-byte aligned).
test::MsgPtr rescue(const char* queue, std::uint64_t rescued) {
  auto msg = notification();
  ok(nla_put_u32(msg.get(), PCWQ_A_EVENT_TYPE, PCWQ_EVENT_RESCUE));
  ok(nla_put_string(msg.get(), PCWQ_A_QUEUE_NAME, queue));
  ok(nla_put(msg.get(), PCWQ_A_PAD, 0, nullptr));
  ok(nla_put_u64(msg.get(), PCWQ_A_EVENT_COUNT, rescued));
  return msg;
}

TEST(DecodeEventMessage, Rescue) {
  const auto msg = rescue("q1", 1ULL << 40U);
  EXPECT_EQ(decode_event_message(test::bytes_of(msg.get())),
            (queue_event(PCWQ_EVENT_RESCUE, "q1", 1ULL << 40U)));
}

TEST(DecodeEventMessage, UnknownTypeIsKeptWithWhatIsKnown) {
  const auto msg = notification();
  ok(nla_put_u32(msg.get(), PCWQ_A_EVENT_TYPE, 77));
  ok(nla_put_string(msg.get(), PCWQ_A_MAX + 1, "future"));
  ok(nla_put_string(msg.get(), PCWQ_A_QUEUE_NAME, "events_q"));
  ok(nla_put_u64(msg.get(), PCWQ_A_EVENT_COUNT, 5));
  ok(nla_put_u32(msg.get(), PCWQ_A_MAX + 2, 1));
  EXPECT_EQ(decode_event_message(test::bytes_of(msg.get())), (queue_event(77, "events_q", 5)));
}

TEST(DecodeEventMessage, PoolAttributesOfAStall) {
  const auto msg = notification();
  ok(nla_put_u32(msg.get(), PCWQ_A_EVENT_TYPE, PCWQ_EVENT_STALL));
  ok(nla_put_u32(msg.get(), PCWQ_A_EVENT_CPU, 3));
  ok(nla_put_u32(msg.get(), PCWQ_A_EVENT_HIGHPRI, 1));
  ok(nla_put_u64(msg.get(), PCWQ_A_EVENT_COUNT, 12));
  ok(nla_put(msg.get(), PCWQ_A_PAD, 0, nullptr));
  ok(nla_put_u64(msg.get(), PCWQ_A_EVENT_STALLED_MS, 31000));
  EXPECT_EQ(decode_event_message(test::bytes_of(msg.get())), (Event{.type = PCWQ_EVENT_STALL,
                                                                    .queue = std::nullopt,
                                                                    .cpu = 3,
                                                                    .highpri = 1,
                                                                    .count = 12,
                                                                    .stalled_ms = 31000,
                                                                    .func = std::nullopt,
                                                                    .run_ms = std::nullopt}));
}

/// The module's overrun event: queue, handler, run time (after a pad) and CPU.
TEST(DecodeEventMessage, Overrun) {
  const auto msg = notification();
  ok(nla_put_u32(msg.get(), PCWQ_A_EVENT_TYPE, PCWQ_EVENT_OVERRUN));
  ok(nla_put_string(msg.get(), PCWQ_A_QUEUE_NAME, "slow"));
  ok(nla_put_string(msg.get(), PCWQ_A_EVENT_FUNC, "load_fn [pcwq]"));
  ok(nla_put(msg.get(), PCWQ_A_PAD, 0, nullptr));
  ok(nla_put_u64(msg.get(), PCWQ_A_EVENT_RUN_MS, 1ULL << 33U));
  ok(nla_put_u32(msg.get(), PCWQ_A_EVENT_CPU, 2));
  Event expected = queue_event(PCWQ_EVENT_OVERRUN, "slow", std::nullopt);
  expected.cpu = 2;
  expected.func = "load_fn [pcwq]";
  expected.run_ms = 1ULL << 33U;
  EXPECT_EQ(decode_event_message(test::bytes_of(msg.get())), expected);
}

TEST(DecodeEventMessage, ShortRunTimeIsAProtocolError) {
  const auto msg = notification();
  ok(nla_put_u32(msg.get(), PCWQ_A_EVENT_TYPE, PCWQ_EVENT_OVERRUN));
  ok(nla_put_u32(msg.get(), PCWQ_A_EVENT_RUN_MS, 250));  // u32, not u64
  EXPECT_EQ(errnum_of([&] { decode_event_message(test::bytes_of(msg.get())); }), EPROTO);
}

TEST(DecodeEventMessage, MissingQueueAndCount) {
  const auto msg = notification();
  ok(nla_put_u32(msg.get(), PCWQ_A_EVENT_TYPE, PCWQ_EVENT_RESCUE));
  EXPECT_EQ(decode_event_message(test::bytes_of(msg.get())),
            (queue_event(PCWQ_EVENT_RESCUE, std::nullopt, std::nullopt)));

  const auto only_count = notification();
  ok(nla_put_u32(only_count.get(), PCWQ_A_EVENT_TYPE, 2));
  ok(nla_put_u64(only_count.get(), PCWQ_A_EVENT_COUNT, 0));
  EXPECT_EQ(decode_event_message(test::bytes_of(only_count.get())),
            (queue_event(2, std::nullopt, 0)));
}

TEST(DecodeEventMessage, MissingTypeIsAProtocolError) {
  const auto msg = notification();
  ok(nla_put_string(msg.get(), PCWQ_A_QUEUE_NAME, "q1"));
  ok(nla_put_u64(msg.get(), PCWQ_A_EVENT_COUNT, 3));
  EXPECT_EQ(errnum_of([&] { decode_event_message(test::bytes_of(msg.get())); }), EPROTO);
}

TEST(DecodeEventMessage, OtherCommandsAreNotEvents) {
  const auto msg = notification(PCWQ_CMD_QUEUE_GET);
  ok(nla_put_u32(msg.get(), PCWQ_A_EVENT_TYPE, PCWQ_EVENT_RESCUE));
  EXPECT_EQ(decode_event_message(test::bytes_of(msg.get())), std::nullopt);
}

TEST(DecodeEventMessage, ShortAttributesAreProtocolErrors) {
  const auto short_count = notification();
  ok(nla_put_u32(short_count.get(), PCWQ_A_EVENT_TYPE, PCWQ_EVENT_RESCUE));
  ok(nla_put_u32(short_count.get(), PCWQ_A_EVENT_COUNT, 3));  // u32, not u64
  EXPECT_EQ(errnum_of([&] { decode_event_message(test::bytes_of(short_count.get())); }), EPROTO);

  const auto short_type = notification();
  const std::uint16_t half = PCWQ_EVENT_RESCUE;
  ok(nla_put(short_type.get(), PCWQ_A_EVENT_TYPE, sizeof(half), &half));
  EXPECT_EQ(errnum_of([&] { decode_event_message(test::bytes_of(short_type.get())); }), EPROTO);
}

TEST(DecodeEventMessage, TruncatedMessageIsAProtocolError) {
  const auto msg = rescue("q1", 3);
  const auto bytes = test::bytes_of(msg.get());
  // Cut in the last attribute, then in the genetlink header.
  EXPECT_EQ(errnum_of([&] { decode_event_message(bytes.first(bytes.size() - 4)); }), EPROTO);
  EXPECT_EQ(errnum_of([&] { decode_event_message(bytes.first(18)); }), EPROTO);
  EXPECT_EQ(errnum_of([&] { decode_event_message({}); }), EPROTO);
}

TEST(DecodeEventMessage, AttributeRunningPastTheMessageIsLeftOut) {
  const auto msg = notification();
  ok(nla_put_u32(msg.get(), PCWQ_A_EVENT_TYPE, PCWQ_EVENT_RESCUE));
  ok(nla_put_u64(msg.get(), PCWQ_A_EVENT_COUNT, 3));
  const auto whole = test::bytes_of(msg.get());
  nl::Bytes bytes{whole.begin(), whole.end()};
  // The count's nla_len claims 4 bytes more than the message has: nla_parse() stops before it.
  bytes[bytes.size() - 12] = std::byte{16};
  EXPECT_EQ(decode_event_message(bytes),
            (queue_event(PCWQ_EVENT_RESCUE, std::nullopt, std::nullopt)));
}

TEST(DecodeEventDatagram, EventsInOrderOthersSkipped) {
  const auto first = rescue("a", 1);
  const auto other_family = rescue("not-ours", 2);
  nlmsg_hdr(other_family.get())->nlmsg_type = fake_family + 1;
  const auto not_an_event = notification(PCWQ_CMD_STATUS_GET);
  const auto second = rescue("b", 3);
  const nl::Bytes datagram =
      test::datagram({first.get(), other_family.get(), not_an_event.get(), second.get()});
  EXPECT_EQ(decode_event_datagram(datagram, fake_family),
            (std::vector<Event>{queue_event(PCWQ_EVENT_RESCUE, "a", 1),
                                queue_event(PCWQ_EVENT_RESCUE, "b", 3)}));
}

TEST(DecodeEventDatagram, ControlMessagesAreSkipped) {
  test::MsgPtr noop{nlmsg_alloc_simple(NLMSG_NOOP, 0)};
  const auto event = rescue("q", 9);
  EXPECT_EQ(decode_event_datagram(test::datagram({noop.get(), event.get()}), fake_family),
            (std::vector<Event>{queue_event(PCWQ_EVENT_RESCUE, "q", 9)}));
  EXPECT_TRUE(decode_event_datagram({}, fake_family).empty());
}

TEST(DecodeEventDatagram, TruncatedDatagramIsAProtocolError) {
  const auto first = rescue("a", 1);
  const auto second = rescue("b", 2);
  const nl::Bytes datagram = test::datagram({first.get(), second.get()});
  const auto bytes = std::span<const std::byte>{datagram};
  EXPECT_EQ(errnum_of([&] { decode_event_datagram(bytes.first(bytes.size() - 4), fake_family); }),
            EPROTO);
  EXPECT_EQ(errnum_of([&] {
              decode_event_datagram(bytes.first(test::bytes_of(first.get()).size() + 8),
                                    fake_family);
            }),
            EPROTO);
}

TEST(DecodeEventDatagram, MalformedEventIsAProtocolError) {
  const auto good = rescue("a", 1);
  const auto typeless = notification();
  ok(nla_put_string(typeless.get(), PCWQ_A_QUEUE_NAME, "b"));
  EXPECT_EQ(errnum_of([&] {
              decode_event_datagram(test::datagram({good.get(), typeless.get()}), fake_family);
            }),
            EPROTO);
}

TEST(EventTally, StallsCountOneRescuesTheirItems) {
  const auto event = [](std::uint32_t type, std::optional<std::uint64_t> count) {
    Event result;
    result.type = type;
    result.count = count;
    return result;
  };
  EventTally tally;
  tally.add(event(PCWQ_EVENT_STALL, 9));
  tally.add(event(PCWQ_EVENT_RESCUE, 12));
  tally.add(event(PCWQ_EVENT_RESCUE, std::nullopt));
  tally.add(event(PCWQ_EVENT_OVERRUN, std::nullopt));
  tally.add(event(PCWQ_EVENT_OVERRUN, 5));
  tally.add(event(99, 1000));
  EXPECT_EQ(tally, (EventTally{.stalls = 1, .rescued = 12, .overruns = 2}));
}

TEST(EventTally, OfPoolsSumsTheirCounters) {
  std::vector<Pool> pools(2);
  pools[0].counters.stalls = 2;
  pools[0].counters.rescued = 5;
  pools[1].counters.stalls = 1;
  pools[1].counters.rescued = 7;
  pools[1].counters.mayday = 100;
  pools[0].counters.overruns = 4;
  pools[1].counters.overruns = 1;
  EXPECT_EQ(tally_of(pools), (EventTally{.stalls = 3, .rescued = 12, .overruns = 5}));
}

TEST(EventsMissed, WhatTheCountersSayAndTheEventsDoNot) {
  EXPECT_EQ(events_missed({.stalls = 1, .rescued = 10}, {.stalls = 4, .rescued = 30},
                          {.stalls = 1, .rescued = 5}),
            (EventTally{.stalls = 2, .rescued = 15}));
  EXPECT_EQ(events_missed({.overruns = 3}, {.overruns = 10}, {.overruns = 4}),
            (EventTally{.overruns = 3}));
  EXPECT_EQ(events_missed({.overruns = 10}, {.overruns = 2}, {}), EventTally{});
  // Everything reported, or more (events of counts read before the first reading).
  EXPECT_EQ(events_missed({.stalls = 1, .rescued = 10}, {.stalls = 2, .rescued = 12},
                          {.stalls = 3, .rescued = 5}),
            (EventTally{.stalls = 0, .rescued = 0}));
  // A reset in between: counters went backwards.
  EXPECT_EQ(events_missed({.stalls = 5, .rescued = 50}, {.stalls = 1, .rescued = 2}, {}),
            (EventTally{.stalls = 0, .rescued = 0}));
}

}  // namespace
}  // namespace wqctl

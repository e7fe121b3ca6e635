#include "event_output.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "pcwq_genl.h"

namespace wqctl {
namespace {

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

Event rescue() { return queue_event(PCWQ_EVENT_RESCUE, "q1", 3); }

/// A type this wqctl does not know.
Event future() { return queue_event(9, "q2", 18446744073709551615ULL); }

TEST(EventOutput, RescueText) {
  EXPECT_EQ(render_event(rescue(), Format::text), "rescue queue=q1 rescued=3\n");
}

TEST(EventOutput, RescueJson) {
  EXPECT_EQ(render_event(rescue(), Format::json), R"({"event":"rescue","queue":"q1","rescued":3})"
                                                  "\n");
}

TEST(EventOutput, UnknownTypeText) {
  EXPECT_EQ(render_event(future(), Format::text),
            "event type=9 queue=q2 count=18446744073709551615\n");
}

TEST(EventOutput, UnknownTypeJson) {
  EXPECT_EQ(render_event(future(), Format::json),
            R"({"event":"unknown","type":9,"queue":"q2","count":18446744073709551615})"
            "\n");
}

TEST(EventOutput, Stall) {
  const Event stall{.type = PCWQ_EVENT_STALL,
                    .queue = std::nullopt,
                    .cpu = 3,
                    .highpri = 0,
                    .count = 12,
                    .stalled_ms = 31000,
                    .func = std::nullopt,
                    .run_ms = std::nullopt};
  EXPECT_EQ(render_event(stall, Format::text),
            "stall cpu=3 highpri=false waiting=12 stalled_ms=31000\n");
  EXPECT_EQ(render_event(stall, Format::json),
            R"({"event":"stall","cpu":3,"highpri":false,"waiting":12,"stalled_ms":31000})"
            "\n");
}

TEST(EventOutput, EveryAttributeOfAnUnknownType) {
  const Event future_stall{.type = 99,
                           .queue = "q",
                           .cpu = 3,
                           .highpri = 1,
                           .count = 12,
                           .stalled_ms = 31000,
                           .func = std::nullopt,
                           .run_ms = std::nullopt};
  EXPECT_EQ(render_event(future_stall, Format::text),
            "event type=99 queue=q cpu=3 highpri=true count=12 stalled_ms=31000\n");
  EXPECT_EQ(render_event(future_stall, Format::json),
            R"({"event":"unknown","type":99,"queue":"q","cpu":3,"highpri":true,"count":12,)"
            R"("stalled_ms":31000})"
            "\n");
}

TEST(EventOutput, RescueWithPoolAttributes) {
  const Event rescue_on_cpu{.type = PCWQ_EVENT_RESCUE,
                            .queue = "q1",
                            .cpu = 1,
                            .highpri = std::nullopt,
                            .count = 3,
                            .stalled_ms = std::nullopt,
                            .func = std::nullopt,
                            .run_ms = std::nullopt};
  EXPECT_EQ(render_event(rescue_on_cpu, Format::text), "rescue queue=q1 cpu=1 rescued=3\n");
  EXPECT_EQ(render_event(rescue_on_cpu, Format::json),
            R"({"event":"rescue","queue":"q1","cpu":1,"rescued":3})"
            "\n");
}

TEST(EventOutput, WhatIsMissingIsLeftOut) {
  const Event bare_rescue = queue_event(PCWQ_EVENT_RESCUE, std::nullopt, std::nullopt);
  EXPECT_EQ(render_event(bare_rescue, Format::text), "rescue\n");
  EXPECT_EQ(render_event(bare_rescue, Format::json), "{\"event\":\"rescue\"}\n");

  const Event count_only = queue_event(PCWQ_EVENT_RESCUE, std::nullopt, 0);
  EXPECT_EQ(render_event(count_only, Format::text), "rescue rescued=0\n");
  EXPECT_EQ(render_event(count_only, Format::json), "{\"event\":\"rescue\",\"rescued\":0}\n");

  const Event bare_unknown = queue_event(0, "q", std::nullopt);
  EXPECT_EQ(render_event(bare_unknown, Format::text), "event type=0 queue=q\n");
  EXPECT_EQ(render_event(bare_unknown, Format::json),
            "{\"event\":\"unknown\",\"type\":0,\"queue\":\"q\"}\n");
}

TEST(EventOutput, PrettyJson) {
  EXPECT_EQ(render_event(rescue(), Format::json_pretty),
            "{\n"
            "  \"event\": \"rescue\",\n"
            "  \"queue\": \"q1\",\n"
            "  \"rescued\": 3\n"
            "}\n");
}

TEST(EventOutput, NamesThatAreNotUtf8) {
  const Event odd = queue_event(PCWQ_EVENT_RESCUE, "q\xff", 1);
  EXPECT_EQ(render_event(odd, Format::json),
            "{\"event\":\"rescue\",\"queue\":\"q\xef\xbf\xbd\",\"rescued\":1}\n");
}

TEST(EventOutput, Lost) {
  const EventTally missed{.stalls = 2, .rescued = 14, .overruns = 3};
  EXPECT_EQ(render_events_lost(missed, Format::text),
            "# events lost: socket buffer overflow; not reported: 2 stall(s), up to 14 rescued "
            "item(s), 3 overrun(s)\n");
  EXPECT_EQ(render_events_lost(missed, Format::json),
            "{\"event\":\"lost\",\"stalls\":2,\"rescued\":14,\"overruns\":3}\n");
}

Event overrun() {
  Event event = queue_event(PCWQ_EVENT_OVERRUN, "slow", std::nullopt);
  event.func = "load_fn [pcwq]";
  event.run_ms = 250;
  event.cpu = 1;
  return event;
}

TEST(EventOutput, OverrunText) {
  EXPECT_EQ(render_event(overrun(), Format::text),
            "overrun queue=slow func=load_fn [pcwq] run_ms=250 cpu=1\n");
}

TEST(EventOutput, OverrunJson) {
  EXPECT_EQ(render_event(overrun(), Format::json),
            R"({"event":"overrun","queue":"slow","func":"load_fn [pcwq]","run_ms":250,"cpu":1})"
            "\n");
}

TEST(EventOutput, OverrunOfABuiltInHandler) {
  Event event = overrun();
  event.func = "my_handler";
  event.run_ms = 18446744073709551615ULL;
  EXPECT_EQ(render_event(event, Format::json),
            R"({"event":"overrun","queue":"slow","func":"my_handler",)"
            R"("run_ms":18446744073709551615,"cpu":1})"
            "\n");
}

}  // namespace
}  // namespace wqctl

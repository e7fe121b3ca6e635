#include "output.hpp"

#include <cerrno>

#include <gtest/gtest.h>

#include "pcwq_genl.h"

namespace wqctl {
namespace {

Status status() { return {.version = "0.1.0", .online_cpus = 4, .possible_cpus = 8}; }

Config config() {
  const auto key = [](std::string_view name) { return find_config_key(name); };
  return {{key("watchdog_thresh"), 30},    {key("panic_on_stall"), 0},
          {key("panic_on_stall_time"), 0}, {key("rescuer_mode"), PCWQ_RESCUER_ONE},
          {key("rescuer_batch"), 16},      {key("mayday_timeout_ms"), 10},
          {key("worker_idle_secs"), 300},  {key("inject_worker_fail"), 0}};
}

TEST(StatusOutput, Text) {
  EXPECT_EQ(render(to_record(status()), Format::text, Layout::key_value),
            "module:        pcwq\n"
            "version:       0.1.0\n"
            "online_cpus:   4\n"
            "possible_cpus: 8\n");
}

TEST(StatusOutput, Json) {
  EXPECT_EQ(render(to_record(status()), Format::json, Layout::key_value),
            R"({"module":"pcwq","version":"0.1.0","online_cpus":4,"possible_cpus":8})"
            "\n");
}

TEST(StatusOutput, PrettyJson) {
  EXPECT_EQ(render(to_record(status()), Format::json_pretty, Layout::key_value),
            "{\n"
            "  \"module\": \"pcwq\",\n"
            "  \"version\": \"0.1.0\",\n"
            "  \"online_cpus\": 4,\n"
            "  \"possible_cpus\": 8\n"
            "}\n");
}

TEST(StatusOutput, JsonEscapesAndSurvivesBadUtf8) {
  const Status odd{.version = "1\"\xff", .online_cpus = 1, .possible_cpus = 1};
  EXPECT_EQ(render(to_record(odd), Format::json, Layout::key_value),
            "{\"module\":\"pcwq\",\"version\":\"1\\\"\xef\xbf\xbd\",\"online_cpus\":1,"
            "\"possible_cpus\":1}\n");
}

TEST(StatusOutput, TextOfAFieldCanDifferFromItsValue) {
  const Record record{{"thresh", std::uint32_t{30}, "30 s"}, {"big", std::uint64_t{1} << 40}};
  EXPECT_EQ(render(record, Format::text, Layout::key_value),
            "thresh: 30 s\n"
            "big:    1099511627776\n");
  EXPECT_EQ(render(record, Format::json, Layout::key_value),
            "{\"thresh\":30,\"big\":1099511627776}\n");
}

TEST(ConfigOutput, Text) {
  EXPECT_EQ(render(to_record(config()), Format::text, Layout::table),
            "watchdog_thresh      30\n"
            "panic_on_stall       0\n"
            "panic_on_stall_time  0\n"
            "rescuer_mode         one\n"
            "rescuer_batch        16\n"
            "mayday_timeout_ms    10\n"
            "worker_idle_secs     300\n"
            "inject_worker_fail   0\n");
}

TEST(ConfigOutput, Json) {
  EXPECT_EQ(render(to_record(config()), Format::json, Layout::table),
            R"({"watchdog_thresh":30,"panic_on_stall":0,"panic_on_stall_time":0,)"
            R"("rescuer_mode":"one","rescuer_batch":16,"mayday_timeout_ms":10,)"
            R"("worker_idle_secs":300,"inject_worker_fail":0})"
            "\n");
}

TEST(ConfigOutput, EnumValueUnknownToThisWqctlStaysANumber) {
  const Config newer{{find_config_key("rescuer_mode"), 5}};
  EXPECT_EQ(render(to_record(newer), Format::json, Layout::table), "{\"rescuer_mode\":5}\n");
  EXPECT_EQ(render(to_record(newer), Format::text, Layout::table), "rescuer_mode  5\n");
}

TEST(ConfigOutput, EmptyConfig) {
  EXPECT_EQ(render(to_record(Config{}), Format::json, Layout::table), "{}\n");
  EXPECT_EQ(render(to_record(Config{}), Format::text, Layout::table), "");
}

TEST(Describe, PermissionErrorExplainedByTheKernelGetsNoHint) {
  EXPECT_EQ(describe(OpError("Operation not permitted", EPERM, "queue was not created with wqctl")),
            "Operation not permitted: queue was not created with wqctl");
}

TEST(Describe, LibnlErrorWithoutErrno) {
  EXPECT_EQ(describe(OpError("Object not found", 0)), "Object not found");
}

}  // namespace
}  // namespace wqctl

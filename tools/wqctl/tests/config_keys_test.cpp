#include "config_keys.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "errors.hpp"
#include "pcwq_genl.h"

namespace wqctl {
namespace {

Config parse(const std::vector<std::string>& args) { return parse_assignments(args); }

std::string usage_error(const std::vector<std::string>& args) {
  try {
    parse(args);
  } catch (const UsageError& error) {
    return error.what();
  }
  return "no error";
}

const ConfigKey& key(std::string_view name) {
  const ConfigKey* found = find_config_key(name);
  EXPECT_NE(found, nullptr) << name;
  return *found;
}

TEST(ConfigKeys, TableNamesEveryModuleParameter) {
  std::vector<std::string_view> names;
  for (const ConfigKey& k : config_keys()) {
    names.push_back(k.name);
  }
  EXPECT_EQ(names,
            (std::vector<std::string_view>{
                "watchdog_thresh", "panic_on_stall", "panic_on_stall_time", "rescuer_mode",
                "rescuer_batch", "mayday_timeout_ms", "worker_idle_secs", "inject_worker_fail"}));
  EXPECT_EQ(find_config_key_by_attr(PCWQ_A_RESCUER_BATCH), &key("rescuer_batch"));
  EXPECT_EQ(find_config_key_by_attr(PCWQ_A_INJECT_WORKER_FAIL), &key("inject_worker_fail"));
  EXPECT_FALSE(key("inject_worker_fail").is_enum());
  EXPECT_EQ(find_config_key_by_attr(PCWQ_A_VERSION), nullptr);
}

TEST(ConfigKeys, EnumValueNames) {
  EXPECT_EQ(key("rescuer_mode").value_name(PCWQ_RESCUER_ONE), "one");
  EXPECT_EQ(key("rescuer_mode").value_name(PCWQ_RESCUER_BATCH), "batch");
  EXPECT_EQ(key("rescuer_mode").value_name(7), std::nullopt);
  EXPECT_EQ(key("rescuer_batch").value_name(0), std::nullopt);
}

TEST(ParseAssignments, NumbersAndEnumsInGivenOrder) {
  const Config config =
      parse({"rescuer_mode=batch", "watchdog_thresh=0", "mayday_timeout_ms=4294967295"});
  EXPECT_EQ(config, (Config{{&key("rescuer_mode"), PCWQ_RESCUER_BATCH},
                            {&key("watchdog_thresh"), 0},
                            {&key("mayday_timeout_ms"), 4294967295U}}));
  EXPECT_EQ(parse({"rescuer_mode=one"}), (Config{{&key("rescuer_mode"), PCWQ_RESCUER_ONE}}));
}

TEST(ParseAssignments, InjectWorkerFailIsANumber) {
  // The kernel checks the range (0..1).
  EXPECT_EQ(parse({"inject_worker_fail=1"}), (Config{{&key("inject_worker_fail"), 1}}));
  EXPECT_EQ(parse({"inject_worker_fail=2"}), (Config{{&key("inject_worker_fail"), 2}}));
  EXPECT_EQ(usage_error({"inject_worker_fail=yes"}),
            "invalid inject_worker_fail 'yes': expected a non-negative decimal integer");
}

TEST(ParseAssignments, LeadingZerosAreDecimal) {
  EXPECT_EQ(parse({"rescuer_batch=010"}), (Config{{&key("rescuer_batch"), 10}}));
}

TEST(ParseAssignments, NeedsAtLeastOne) {
  EXPECT_EQ(usage_error({}), "expected at least one KEY=VALUE");
}

TEST(ParseAssignments, UnknownKeyListsKnownOnes) {
  EXPECT_EQ(usage_error({"nosuchkey=1"}),
            "unknown key 'nosuchkey' (known keys: watchdog_thresh, panic_on_stall, "
            "panic_on_stall_time, rescuer_mode, rescuer_batch, mayday_timeout_ms, "
            "worker_idle_secs, inject_worker_fail)");
}

TEST(ParseAssignments, KeyGivenTwice) {
  EXPECT_EQ(usage_error({"watchdog_thresh=1", "rescuer_batch=2", "watchdog_thresh=1"}),
            "key 'watchdog_thresh' given more than once");
}

TEST(ParseAssignments, Malformed) {
  EXPECT_EQ(usage_error({"watchdog_thresh"}),
            "malformed setting 'watchdog_thresh': expected KEY=VALUE");
  EXPECT_TRUE(usage_error({"=5"}).starts_with("unknown key '' (known keys: "));
}

TEST(ParseAssignments, BadNumbers) {
  for (const std::string value : {"", "abc", "12abc", "-1", "+1", " 1", "1 ", "0x10", "1.5"}) {
    EXPECT_EQ(usage_error({"watchdog_thresh=" + value}),
              "invalid watchdog_thresh '" + value + "': expected a non-negative decimal integer")
        << value;
  }
}

TEST(ParseAssignments, NumberOverflowingU32) {
  EXPECT_EQ(usage_error({"panic_on_stall=4294967296"}),
            "invalid panic_on_stall '4294967296': does not fit in 32 bits");
  EXPECT_EQ(usage_error({"panic_on_stall=99999999999999999999999"}),
            "invalid panic_on_stall '99999999999999999999999': does not fit in 32 bits");
}

TEST(ParseAssignments, BadEnumNames) {
  for (const std::string value : {"", "0", "1", "ONE", "batches"}) {
    EXPECT_EQ(usage_error({"rescuer_mode=" + value}),
              "invalid rescuer_mode '" + value + "': expected one of one, batch")
        << value;
  }
}

}  // namespace
}  // namespace wqctl

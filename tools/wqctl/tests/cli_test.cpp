#include "cli.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "cli_args.hpp"
#include "errors.hpp"
#include "pcwq_genl.h"
#include "queue_commands.hpp"
#include "run_wqctl.hpp"

namespace wqctl {
namespace {

using test::Result;
using test::run_wqctl;

/// A usage error: exit status 2, nothing on stdout, the message and a usage line on stderr.
void expect_usage_error(const std::vector<std::string>& args, const std::string& message) {
  const Result result = run_wqctl(args);
  EXPECT_EQ(result.status, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(result.err.starts_with("wqctl: ")) << result.err;
  EXPECT_NE(result.err.find(message), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("\nUsage: wqctl"), std::string::npos) << result.err;
}

TEST(Cli, NoCommand) { expect_usage_error({}, "subcommand"); }

TEST(Cli, UnknownCommand) { expect_usage_error({"frobnicate"}, "frobnicate"); }

TEST(Cli, UnknownOption) { expect_usage_error({"--bogus", "status"}, "--bogus"); }

TEST(Cli, ExtraArgument) { expect_usage_error({"status", "now"}, "now"); }

TEST(Cli, ConfigWithoutGetOrSet) { expect_usage_error({"config"}, "subcommand"); }

TEST(Cli, UnknownConfigCommand) {
  expect_usage_error({"config", "frob"}, "wqctl: unknown command 'frob'\nUsage: wqctl config ");
}

TEST(Cli, ConfigSetWithoutSettings) {
  expect_usage_error({"config", "set"}, "SETTING");
  expect_usage_error({"-j", "config", "set"}, "Usage: wqctl config set");
}

TEST(Cli, ConfigSetRejectsBeforeTouchingNetlink) {
  expect_usage_error({"config", "set", "nosuchkey=1"},
                     "wqctl: config set: unknown key 'nosuchkey'");
  expect_usage_error({"config", "set", "watchdog_thresh"}, "malformed setting");
  expect_usage_error({"config", "set", "watchdog_thresh=ten"}, "non-negative decimal integer");
  expect_usage_error({"config", "set", "watchdog_thresh=-1"}, "non-negative decimal integer");
  expect_usage_error({"config", "set", "rescuer_batch=4294967296"}, "does not fit in 32 bits");
  expect_usage_error({"config", "set", "rescuer_mode=fast"}, "expected one of one, batch");
  expect_usage_error({"config", "set", "rescuer_batch=1", "rescuer_batch=2"},
                     "given more than once");
}

/// A command line wqctl accepts: it gets as far as netlink (where this host has no module).
void expect_accepted(const std::vector<std::string>& args) {
  const Result result = run_wqctl(args);
  EXPECT_NE(result.status, 2) << result.err;
  EXPECT_EQ(result.err.find("Usage:"), std::string::npos) << result.err;
}

TEST(Cli, QueueWithoutSubcommand) {
  expect_usage_error({"queue"}, "subcommand");
  expect_usage_error({"queue", "frob"}, "wqctl: unknown command 'frob'\nUsage: wqctl queue ");
}

TEST(Cli, QueueNamesAreRequiredAndChecked) {
  for (const char* command : {"load", "flush", "drain", "unplug"}) {
    expect_usage_error({command}, "NAME is required");
    expect_usage_error({command, ""}, "expected 1 to 31 letters");
    expect_usage_error({command, std::string(32, 'q')}, "expected 1 to 31 letters");
    expect_usage_error({command, "q1", "q2"}, "q2");
  }
  for (const char* command : {"add", "set", "del"}) {
    expect_usage_error({"queue", command}, "NAME is required");
    expect_usage_error({"queue", command, ""}, "expected 1 to 31 letters");
    expect_usage_error({"queue", command, std::string(32, 'q')}, "expected 1 to 31 letters");
  }
  expect_usage_error({"queue", "list", "q1"}, "q1");
  for (const char* name : {".q", "q/1", "q 1", "q\n", "q\xc3\xa9", "_q"}) {
    expect_usage_error({"queue", "add", name}, "expected 1 to 31 letters");
  }
  expect_usage_error({"queue", "add", "--", "-q"}, "expected 1 to 31 letters");
}

TEST(Cli, QueueNameCharacters) {
  for (const char* name : {"q", "Q9", "9", "net:rx-0", "a.b_c", "x-"}) {
    EXPECT_TRUE(valid_queue_name(name)) << name;
  }
  EXPECT_TRUE(valid_queue_name(std::string(31, 'q')));
  EXPECT_FALSE(valid_queue_name(std::string(32, 'q')));
  for (const char* name : {"", "-q", ":q", "q/", "q q", "q\t", "q\x7f", "q\xff", "q%"}) {
    EXPECT_FALSE(valid_queue_name(name)) << name;
  }
}

TEST(Cli, NumbersAreDecimalU32) {
  const std::vector<std::vector<std::string>> options{{"queue", "add", "q1", "--max-active"},
                                                      {"queue", "add", "q1", "--capacity"},
                                                      {"queue", "set", "q1", "--capacity"},
                                                      {"load", "q1", "--count"},
                                                      {"load", "q1", "--cpu"},
                                                      {"load", "q1", "--spin-us"},
                                                      {"load", "q1", "--sleep-ms"},
                                                      {"load", "q1", "--delay-ms"},
                                                      {"stats", "--cpu"},
                                                      {"monitor", "--count"},
                                                      {"monitor", "--timeout"}};
  for (const auto& option : options) {
    for (const char* bad : {"-1", "0x10", "1e3", "+5", " 5", "4294967296", "ten", ""}) {
      std::vector<std::string> args = option;
      args.emplace_back(bad);
      expect_usage_error(args, "expected a decimal integer from 0 to 4294967295");
    }
    expect_usage_error(option, "required");  // no value at all
  }
  expect_usage_error({"load", "q1", "--count", "1", "--count", "2"}, "--count");
}

TEST(Cli, QueueLimitsAreRangeChecked) {
  const std::vector<std::pair<std::string, std::string>> limits{{"--rate", "1000000"},
                                                                {"--burst", "1000000"},
                                                                {"--max-wait-ms", "3600000"},
                                                                {"--work-timeout-ms", "3600000"}};
  for (const char* command : {"add", "set"}) {
    for (const auto& [option, max] : limits) {
      const std::string expected = "expected a decimal integer from 0 to " + max;
      const std::string above = std::to_string(std::stoul(max) + 1);
      for (const std::string& bad : {above, std::string("4294967296"), std::string("-1"),
                                     std::string("0x10"), std::string("")}) {
        expect_usage_error({"queue", command, "q1", option, bad}, expected);
      }
      expect_usage_error({"queue", command, "q1", option}, "required");
      expect_usage_error({"queue", command, "q1", option, "1", option, "2"}, option);
    }
  }
}

TEST(Cli, QueueAddBurstNeedsARate) {
  expect_usage_error({"queue", "add", "q1", "--burst", "10"},
                     "wqctl: queue add: --burst needs a --rate above 0");
  expect_usage_error({"queue", "add", "q1", "--burst", "0"}, "--burst needs a --rate above 0");
  expect_usage_error({"queue", "add", "q1", "--rate", "0", "--burst", "10"},
                     "--burst needs a --rate above 0");
  expect_usage_error({"-j", "queue", "add", "q1", "--max-wait-ms", "5", "--burst", "1"},
                     "Usage: wqctl queue add");
}

TEST(Cli, QueueSetNeedsSomethingToSet) {
  expect_usage_error({"queue", "set", "q1"},
                     "wqctl: queue set: nothing to set: give one or more of --capacity, --rate, "
                     "--burst, --max-wait-ms and --work-timeout-ms");
  expect_usage_error({"queue", "set", "q1", "--rate", "0", "--burst", "5"},
                     "--burst needs a --rate above 0");
  expect_usage_error({"queue", "set", "q1", "--max-active", "4"}, "--max-active");
  expect_usage_error({"queue", "set", "q1", "--steal"}, "--steal");
  expect_usage_error({"queue", "set", "q1", "--no-yield"}, "--no-yield");
  expect_usage_error({"queue", "set", "q1", "--rescuer"}, "--rescuer");
}

QueueArgs queue_args(const std::vector<std::string>& options) {
  QueueArgs args;
  args.name = "q1";
  for (std::size_t i = 0; i + 1 < options.size(); i += 2) {
    const std::optional<std::uint32_t> value = parse_decimal_u32(options[i + 1]);
    if (options[i] == "--capacity") {
      args.capacity = value;
    } else if (options[i] == "--rate") {
      args.rate = value;
    } else if (options[i] == "--burst") {
      args.burst = value;
    } else if (options[i] == "--max-wait-ms") {
      args.max_wait_ms = value;
    } else if (options[i] == "--work-timeout-ms") {
      args.work_timeout_ms = value;
    } else if (options[i] == "--cpus") {
      args.cpus = options[i + 1];
    }
  }
  return args;
}

TEST(QueueCommands, SpecOfQueueAdd) {
  QueueArgs args = queue_args({"--rate", "100", "--burst", "1000000", "--max-wait-ms", "0"});
  args.steal = true;
  args.highpri = true;
  args.max_active = 8;
  const QueueSpec spec = queue_spec(args);
  EXPECT_EQ(spec.name, "q1");
  EXPECT_EQ(spec.flags, std::uint32_t{PCWQ_QUEUE_F_STEAL | PCWQ_QUEUE_F_HIGHPRI});
  EXPECT_EQ(spec.max_active, 8U);
  EXPECT_EQ(spec.capacity, std::nullopt);
  EXPECT_EQ(spec.rate, 100U);
  EXPECT_EQ(spec.burst, 1000000U);
  EXPECT_EQ(spec.max_wait_ms, 0U);
  EXPECT_EQ(spec.work_timeout_ms, std::nullopt);
  EXPECT_EQ(spec.cpus, std::nullopt);
  EXPECT_EQ(queue_spec(queue_args({"--work-timeout-ms", "200"})).work_timeout_ms, 200U);
  EXPECT_EQ(queue_spec(queue_args({"--work-timeout-ms", "0"})).work_timeout_ms, 0U);
  EXPECT_EQ(queue_spec(queue_args({"--cpus", "0-1,3"})).cpus, "0-1,3");

  const QueueSpec plain = queue_spec(queue_args({}));
  EXPECT_EQ(plain.flags, 0U);
  EXPECT_FALSE(plain.rate || plain.burst || plain.max_wait_ms || plain.work_timeout_ms ||
               plain.cpus);
  EXPECT_THROW(queue_spec(queue_args({"--burst", "1"})), UsageError);
}

TEST(QueueCommands, NoYieldSetsItsFlagOnly) {
  QueueArgs args = queue_args({});
  args.no_yield = true;
  EXPECT_EQ(queue_spec(args).flags, std::uint32_t{PCWQ_QUEUE_F_NO_YIELD});
  args.rescuer = true;
  args.steal = true;
  EXPECT_EQ(queue_spec(args).flags,
            std::uint32_t{PCWQ_QUEUE_F_NO_YIELD | PCWQ_QUEUE_F_RESCUER | PCWQ_QUEUE_F_STEAL});
}

TEST(Cli, QueueAddNoYieldIsAFlag) {
  expect_accepted({"queue", "add", "q1", "--no-yield"});
  expect_accepted({"-j", "queue", "add", "q1", "--no-yield", "--steal", "--highpri"});
  expect_usage_error({"queue", "add", "q1", "--no-yield", "x"}, "x");
  expect_usage_error({"load", "q1", "--no-yield"}, "--no-yield");
}

TEST(CpuList, ValidLists) {
  for (const char* text :
       {"0", "7", "0-3", "0-0", "0-3,6", "1,0", "3,3", "0-1,2-3,10-12", "4294967295", "007"}) {
    EXPECT_TRUE(valid_cpu_list(text)) << text;
  }
  std::string longest = "0";
  while (longest.size() + 2 <= max_queue_cpus_len) {
    longest += ",0";
  }
  EXPECT_TRUE(valid_cpu_list(longest));
  EXPECT_FALSE(valid_cpu_list(longest + ",1"));
}

TEST(CpuList, InvalidLists) {
  for (const char* text : {"",     "x",  "all", ",",     "0,",      ",0",         "0,,1", "-",
                           "1-",   "-1", "3-1", "1-2-3", "0x1",     "+1",         " 1",   "1 ",
                           "1, 2", "N",  "0-N", "1:2",   "0-3:1/2", "4294967296", "1;2",  "1.5"}) {
    EXPECT_FALSE(valid_cpu_list(text)) << text;
  }
}

TEST(Cli, QueueAddCpusIsACheckedList) {
  expect_usage_error({"queue", "add", "q1", "--cpus", "x"}, "invalid CPU list 'x'");
  expect_usage_error({"queue", "add", "q1", "--cpus", "3-1"}, "expected CPUs and ranges");
  expect_usage_error({"queue", "add", "q1", "--cpus", ""}, "invalid CPU list");
  expect_usage_error({"queue", "add", "q1", "--cpus"}, "--cpus");
  expect_usage_error({"queue", "set", "q1", "--cpus", "0"}, "--cpus");
  expect_usage_error({"load", "q1", "--cpus", "0"}, "--cpus");
}

TEST(QueueCommands, LimitsOfQueueSet) {
  const QueueLimits limits = queue_limits(queue_args({"--capacity", "0", "--max-wait-ms", "9"}));
  EXPECT_EQ(limits.name, "q1");
  EXPECT_EQ(limits.capacity, 0U);
  EXPECT_EQ(limits.rate, std::nullopt);
  EXPECT_EQ(limits.burst, std::nullopt);
  EXPECT_EQ(limits.max_wait_ms, 9U);
  EXPECT_EQ(limits.work_timeout_ms, std::nullopt);
  // The work timeout alone is something to set, 0 (off) included.
  const QueueLimits timeout = queue_limits(queue_args({"--work-timeout-ms", "0"}));
  EXPECT_EQ(timeout.work_timeout_ms, 0U);
  EXPECT_FALSE(timeout.capacity || timeout.rate || timeout.burst || timeout.max_wait_ms);
  EXPECT_EQ(queue_limits(queue_args({"--work-timeout-ms", "3600000"})).work_timeout_ms, 3600000U);
  // A burst alone keeps the queue's rate: the module decides.
  EXPECT_EQ(queue_limits(queue_args({"--burst", "7"})).burst, 7U);
  EXPECT_EQ(queue_limits(queue_args({"--rate", "0"})).rate, 0U);
  EXPECT_EQ(queue_limits(queue_args({"--rate", "0", "--burst", "0"})).burst, 0U);
  EXPECT_THROW(queue_limits(queue_args({})), UsageError);
  EXPECT_THROW(queue_limits(queue_args({"--rate", "0", "--burst", "1"})), UsageError);
}

TEST(Cli, OptionsOfOtherCommandsAreRejected) {
  expect_usage_error({"queue", "add", "q1", "--count", "1"}, "--count");
  expect_usage_error({"load", "q1", "--plug"}, "--plug");
  expect_usage_error({"drain", "q1", "--highpri"}, "--highpri");
  expect_usage_error({"stats", "--queue", std::string(32, 'q')}, "expected 1 to 31 letters");
  expect_usage_error({"stats", "--cpu", "0", "reset"}, "do not apply");
  expect_usage_error({"stats", "reset", "--queue", "q1"}, "do not apply");
  expect_usage_error({"monitor", "q1"}, "q1");
  expect_usage_error({"monitor", "--cpu", "0"}, "--cpu");
}

TEST(Cli, ValidCommandLinesReachNetlink) {
  expect_accepted({"queue", "add", std::string(31, 'q'), "--rescuer", "--highpri", "--max-active",
                   "512", "--capacity", "0"});
  expect_accepted({"queue", "add", "q1", "--steal", "--rate", "1000000", "--burst", "1000000",
                   "--max-wait-ms", "3600000"});
  expect_accepted({"queue", "add", "q1", "--rate", "0", "--max-wait-ms", "0"});
  expect_accepted({"queue", "add", "q1", "--steal", "--cpus", "0-1"});
  expect_accepted({"queue", "add", "q1", "--cpus", "0,2-3,007,4294967295"});
  expect_accepted({"queue", "set", "q1", "--capacity", "0"});
  expect_accepted({"-j", "queue", "set", "q1", "--rate", "5", "--burst", "0", "--max-wait-ms",
                   "3600000", "--capacity", "4294967295"});
  expect_accepted({"queue", "set", "q1", "--burst", "10"});
  expect_accepted({"queue", "del", "q1"});
  expect_accepted({"queue", "list"});
  expect_accepted({"-j", "load", "q1", "--count", "4294967295", "--cpu", "0", "--spin-us", "007",
                   "--sleep-ms", "1", "--delay-ms", "2"});
  expect_accepted({"flush", "q1"});
  expect_accepted({"drain", "q1", "--plug", "-p"});
  expect_accepted({"unplug", "q1"});
  expect_accepted({"stats", "--cpu", "1", "--queue", "q1"});
  expect_accepted({"stats", "reset"});
  // Bounded, should this host have the module.
  expect_accepted({"monitor", "--count", "1", "--timeout", "1"});
  expect_accepted({"-j", "monitor", "--timeout", "1"});
}

TEST(Cli, UsageLineNamesTheCommand) {
  const Result result = run_wqctl({"config", "set", "nosuchkey=1"});
  EXPECT_NE(result.err.find("\nUsage: wqctl config set [OPTIONS] SETTING...\n"), std::string::npos)
      << result.err;
}

TEST(Cli, Help) {
  const Result result = run_wqctl({"--help"});
  EXPECT_EQ(result.status, 0);
  EXPECT_NE(result.out.find("Usage: wqctl"), std::string::npos) << result.out;
  EXPECT_EQ(result.err, "");
}

TEST(Cli, QueueAddHelpNamesNoYield) {
  const Result result = run_wqctl({"queue", "add", "--help"});
  EXPECT_EQ(result.status, 0);
  EXPECT_NE(result.out.find("--no-yield"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("back to back"), std::string::npos) << result.out;
}

TEST(Cli, Version) {
  for (const char* flag : {"-V", "--version"}) {
    const Result result = run_wqctl({flag});
    EXPECT_EQ(result.status, 0);
    // A second line names the module's version when it is loaded.
    EXPECT_TRUE(result.out.starts_with("wqctl " + std::string(version()) + "\n")) << result.out;
    EXPECT_EQ(result.err, "");
  }
  EXPECT_FALSE(version().empty());
}

}  // namespace
}  // namespace wqctl

#include "cli.hpp"

#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace wqctl {
namespace {

struct Result {
  int status;
  std::string out;
  std::string err;
};

Result run_wqctl(std::vector<std::string> args) {
  args.insert(args.begin(), "wqctl");
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  std::ostringstream out;
  std::ostringstream err;
  const int status = run(static_cast<int>(args.size()), argv.data(), out, err);
  return {status, out.str(), err.str()};
}

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

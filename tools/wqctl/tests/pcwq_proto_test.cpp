#include "pcwq_proto.hpp"

#include <cstdint>
#include <cstring>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <gtest/gtest.h>

#include "netlink_builders.hpp"
#include "pcwq_genl.h"

namespace wqctl {
namespace {

constexpr int fake_family = 0x1d;

/// A reply as the module sends it: genl header, then attributes added by the test.
test::MsgPtr reply(std::uint8_t cmd) {
  test::MsgPtr msg{nlmsg_alloc()};
  EXPECT_NE(genlmsg_put(msg.get(), 0, 1, fake_family, 0, 0, cmd, PCWQ_GENL_VERSION), nullptr);
  return msg;
}

const ConfigKey& key(std::string_view name) { return *find_config_key(name); }

int errnum_of_decode_status(nl_msg* msg) {
  try {
    decode_status(nl::Attrs::parse_genl(msg, PCWQ_A_MAX));
  } catch (const OpError& error) {
    return error.errnum();
  }
  return 0;
}

TEST(DecodeStatus, AllAttributes) {
  const auto msg = reply(PCWQ_CMD_STATUS_GET);
  ASSERT_EQ(nla_put_string(msg.get(), PCWQ_A_VERSION, "0.1.0"), 0);
  ASSERT_EQ(nla_put_u32(msg.get(), PCWQ_A_NR_ONLINE_CPUS, 4), 0);
  ASSERT_EQ(nla_put_u32(msg.get(), PCWQ_A_NR_POSSIBLE_CPUS, 8), 0);

  EXPECT_EQ(decode_status(nl::Attrs::parse_genl(msg.get(), PCWQ_A_MAX)),
            (Status{.version = "0.1.0", .online_cpus = 4, .possible_cpus = 8}));
}

TEST(DecodeStatus, IgnoresAttributesFromNewerModules) {
  const auto msg = reply(PCWQ_CMD_STATUS_GET);
  ASSERT_EQ(nla_put_u64(msg.get(), PCWQ_A_MAX + 1, 1), 0);
  ASSERT_EQ(nla_put_string(msg.get(), PCWQ_A_VERSION, "0.2.0"), 0);
  ASSERT_EQ(nla_put_u32(msg.get(), PCWQ_A_NR_ONLINE_CPUS, 1), 0);
  ASSERT_EQ(nla_put_u32(msg.get(), PCWQ_A_NR_POSSIBLE_CPUS, 2), 0);
  ASSERT_EQ(nla_put_string(msg.get(), PCWQ_A_MAX + 7, "future"), 0);

  EXPECT_EQ(decode_status(nl::Attrs::parse_genl(msg.get(), PCWQ_A_MAX)),
            (Status{.version = "0.2.0", .online_cpus = 1, .possible_cpus = 2}));
}

TEST(DecodeStatus, MissingAttributeIsAProtocolError) {
  const auto msg = reply(PCWQ_CMD_STATUS_GET);
  ASSERT_EQ(nla_put_string(msg.get(), PCWQ_A_VERSION, "0.1.0"), 0);
  ASSERT_EQ(nla_put_u32(msg.get(), PCWQ_A_NR_ONLINE_CPUS, 4), 0);
  EXPECT_EQ(errnum_of_decode_status(msg.get()), EPROTO);
}

TEST(DecodeStatus, ShortU32IsAProtocolError) {
  const auto msg = reply(PCWQ_CMD_STATUS_GET);
  const std::uint16_t half = 4;
  ASSERT_EQ(nla_put_string(msg.get(), PCWQ_A_VERSION, "0.1.0"), 0);
  ASSERT_EQ(nla_put(msg.get(), PCWQ_A_NR_ONLINE_CPUS, sizeof(half), &half), 0);
  ASSERT_EQ(nla_put_u32(msg.get(), PCWQ_A_NR_POSSIBLE_CPUS, 8), 0);
  EXPECT_EQ(errnum_of_decode_status(msg.get()), EPROTO);
}

TEST(DecodeConfig, EveryKeyInTableOrder) {
  const auto msg = reply(PCWQ_CMD_CONFIG_GET);
  ASSERT_EQ(nla_put_u32(msg.get(), PCWQ_A_MAYDAY_TIMEOUT_MS, 10), 0);
  ASSERT_EQ(nla_put_u32(msg.get(), PCWQ_A_RESCUER_BATCH, 16), 0);
  ASSERT_EQ(nla_put_u32(msg.get(), PCWQ_A_RESCUER_MODE, PCWQ_RESCUER_BATCH), 0);
  ASSERT_EQ(nla_put_u32(msg.get(), PCWQ_A_PANIC_ON_STALL_TIME, 0), 0);
  ASSERT_EQ(nla_put_u32(msg.get(), PCWQ_A_PANIC_ON_STALL, 3), 0);
  ASSERT_EQ(nla_put_u32(msg.get(), PCWQ_A_WATCHDOG_THRESH, 30), 0);
  ASSERT_EQ(nla_put_u32(msg.get(), PCWQ_A_INJECT_WORKER_FAIL, 1), 0);
  ASSERT_EQ(nla_put_u32(msg.get(), PCWQ_A_WORKER_IDLE_SECS, 300), 0);

  EXPECT_EQ(decode_config(nl::Attrs::parse_genl(msg.get(), PCWQ_A_MAX)),
            (Config{{&key("watchdog_thresh"), 30},
                    {&key("panic_on_stall"), 3},
                    {&key("panic_on_stall_time"), 0},
                    {&key("rescuer_mode"), PCWQ_RESCUER_BATCH},
                    {&key("rescuer_batch"), 16},
                    {&key("mayday_timeout_ms"), 10},
                    {&key("worker_idle_secs"), 300},
                    {&key("inject_worker_fail"), 1}}));
}

TEST(DecodeConfig, KeysAnOlderModuleLacksAreLeftOut) {
  const auto msg = reply(PCWQ_CMD_CONFIG_GET);
  ASSERT_EQ(nla_put_u32(msg.get(), PCWQ_A_WATCHDOG_THRESH, 30), 0);
  ASSERT_EQ(nla_put_u32(msg.get(), PCWQ_A_MAX + 1, 5), 0);

  EXPECT_EQ(decode_config(nl::Attrs::parse_genl(msg.get(), PCWQ_A_MAX)),
            (Config{{&key("watchdog_thresh"), 30}}));
}

TEST(EncodeConfig, RequestHeaderAndAttributes) {
  nl::Message msg{fake_family, PCWQ_CMD_CONFIG_SET, PCWQ_GENL_VERSION};
  encode_config(msg, {{&key("watchdog_thresh"), 60}, {&key("rescuer_mode"), PCWQ_RESCUER_BATCH}});

  const nlmsghdr* hdr = nlmsg_hdr(msg.get());
  EXPECT_EQ(hdr->nlmsg_type, fake_family);
  EXPECT_EQ(hdr->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
  const auto* genl = static_cast<const genlmsghdr*>(nlmsg_data(hdr));
  EXPECT_EQ(genl->cmd, PCWQ_CMD_CONFIG_SET);
  EXPECT_EQ(genl->version, PCWQ_GENL_VERSION);

  const auto attrs = nl::Attrs::parse_genl(msg.get(), PCWQ_A_MAX);
  EXPECT_EQ(attrs.u32(PCWQ_A_WATCHDOG_THRESH), 60U);
  EXPECT_EQ(attrs.u32(PCWQ_A_RESCUER_MODE), std::uint32_t{PCWQ_RESCUER_BATCH});
  EXPECT_EQ(attrs.u32(PCWQ_A_RESCUER_BATCH), std::nullopt);
}

TEST(EncodeConfig, RemembersAttributeOffsets) {
  nl::Message msg{fake_family, PCWQ_CMD_CONFIG_SET, PCWQ_GENL_VERSION};
  encode_config(msg, {{&key("panic_on_stall"), 1}, {&key("rescuer_batch"), 2}});

  // nlmsghdr (16) + genlmsghdr (4), then 8 bytes per u32 attribute.
  EXPECT_EQ(msg.attr_at(20), PCWQ_A_PANIC_ON_STALL);
  EXPECT_EQ(msg.attr_at(28), PCWQ_A_RESCUER_BATCH);
  EXPECT_EQ(msg.attr_at(24), std::nullopt);
  EXPECT_EQ(msg.attr_at(0), std::nullopt);

  const auto bytes = test::bytes_of(msg.get());
  nlattr second{};
  std::memcpy(&second, bytes.subspan(28).data(), sizeof(second));
  EXPECT_EQ(second.nla_type, PCWQ_A_RESCUER_BATCH);
}

TEST(AttrName, ConfigAttributesAreNamedByKey) {
  EXPECT_EQ(attr_name(PCWQ_A_MAYDAY_TIMEOUT_MS), "mayday_timeout_ms");
  EXPECT_EQ(attr_name(PCWQ_A_INJECT_WORKER_FAIL), "inject_worker_fail");
  EXPECT_EQ(attr_name(PCWQ_A_UNSPEC), std::nullopt);
}

}  // namespace
}  // namespace wqctl

#include <cerrno>
#include <optional>
#include <span>
#include <string>

#include <linux/netlink.h>

#include <gtest/gtest.h>

#include "netlink.hpp"
#include "netlink_builders.hpp"
#include "output.hpp"
#include "pcwq_genl.h"
#include "pcwq_proto.hpp"

namespace wqctl {
namespace {

using test::Ack;
using test::error_reply;
using test::header_len;

/// A CONFIG_SET request: watchdog_thresh at offset 20, rescuer_batch at offset 28.
nl::Message config_set_request() {
  nl::Message msg{0x1d, PCWQ_CMD_CONFIG_SET, PCWQ_GENL_VERSION};
  encode_config(
      msg, {{find_config_key("watchdog_thresh"), 99999}, {find_config_key("rescuer_batch"), 0}});
  return msg;
}

std::string describe_reply(const Ack& ack) {
  const nl::Message request = config_set_request();
  const auto reply = error_reply(request, ack);
  return describe(nl::kernel_error(nl::parse_ext_ack(test::bytes_of(reply.get())), request));
}

int errnum_of_parse(std::span<const std::byte> bytes) {
  try {
    nl::parse_ext_ack(bytes);
  } catch (const OpError& error) {
    return error.errnum();
  }
  return 0;
}

TEST(ParseExtAck, ErrorWithoutTlvs) {
  const nl::Message request = config_set_request();
  const auto reply = error_reply(
      request, {.error = EINVAL, .capped = false, .message = nullptr, .offset = std::nullopt});
  const nl::ExtAck ack = nl::parse_ext_ack(test::bytes_of(reply.get()));
  EXPECT_EQ(ack.error, EINVAL);
  EXPECT_EQ(ack.message, "");
  EXPECT_EQ(ack.offset, std::nullopt);
}

TEST(ParseExtAck, MessageAndOffsetAfterEchoedRequest) {
  const nl::Message request = config_set_request();
  const auto reply = error_reply(
      request, {.error = ERANGE, .capped = false, .message = "integer out of range", .offset = 28});
  const nl::ExtAck ack = nl::parse_ext_ack(test::bytes_of(reply.get()));
  EXPECT_EQ(ack.error, ERANGE);
  EXPECT_EQ(ack.message, "integer out of range");
  EXPECT_EQ(ack.offset, 28U);
}

TEST(ParseExtAck, MessageAndOffsetWhenCapped) {
  const nl::Message request = config_set_request();
  const auto reply = error_reply(
      request, {.error = ERANGE, .capped = true, .message = "integer out of range", .offset = 20});
  const nl::ExtAck ack = nl::parse_ext_ack(test::bytes_of(reply.get()));
  EXPECT_EQ(ack.error, ERANGE);
  EXPECT_EQ(ack.message, "integer out of range");
  EXPECT_EQ(ack.offset, 20U);
}

TEST(ParseExtAck, TruncatedIsAProtocolError) {
  const nl::Message request = config_set_request();
  const auto reply = error_reply(request, {.error = ERANGE,
                                           .capped = false,
                                           .message = "integer out of range",
                                           .offset = std::nullopt});
  const auto bytes = test::bytes_of(reply.get());
  EXPECT_EQ(errnum_of_parse(bytes.first(bytes.size() - 4)), EPROTO);
  EXPECT_EQ(errnum_of_parse(bytes.first(header_len + 2)), EPROTO);
  EXPECT_EQ(errnum_of_parse({}), EPROTO);
}

TEST(KernelError, OffsetNamesTheKeySent) {
  EXPECT_EQ(
      describe_reply(
          {.error = ERANGE, .capped = false, .message = "integer out of range", .offset = 20}),
      "Numerical result out of range: integer out of range (watchdog_thresh)");
  EXPECT_EQ(describe_reply(
                {.error = ERANGE, .capped = true, .message = "integer out of range", .offset = 28}),
            "Numerical result out of range: integer out of range (rescuer_batch)");
}

TEST(KernelError, OffsetWithoutMessage) {
  EXPECT_EQ(describe_reply({.error = ERANGE, .capped = false, .message = nullptr, .offset = 28}),
            "Numerical result out of range (rescuer_batch)");
}

TEST(KernelError, OffsetOfNoAttributeSent) {
  EXPECT_EQ(describe_reply(
                {.error = EINVAL, .capped = false, .message = "bad header", .offset = header_len}),
            "Invalid argument: bad header");
}

TEST(KernelError, MessageOnly) {
  EXPECT_EQ(describe_reply({.error = EINVAL,
                            .capped = false,
                            .message = "no configuration attribute given",
                            .offset = std::nullopt}),
            "Invalid argument: no configuration attribute given");
}

TEST(KernelError, PermissionErrorsGetAHint) {
  EXPECT_EQ(
      describe_reply({.error = EPERM, .capped = false, .message = nullptr, .offset = std::nullopt}),
      "Operation not permitted: changing pcwq needs CAP_NET_ADMIN (run as root)");
  EXPECT_EQ(describe_reply(
                {.error = EACCES, .capped = false, .message = nullptr, .offset = std::nullopt}),
            "Permission denied: changing pcwq needs CAP_NET_ADMIN (run as root)");
}

}  // namespace
}  // namespace wqctl

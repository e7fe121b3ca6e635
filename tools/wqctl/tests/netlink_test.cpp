// Socket against the kernel's own generic netlink controller ("nlctrl"), which every Linux kernel
// has: request/reply, ACKs, family resolution and extended ACKs, without the pcwq module.
#include "netlink.hpp"

#include <algorithm>
#include <cerrno>
#include <optional>
#include <string>
#include <vector>

#include <linux/genetlink.h>

#include <gtest/gtest.h>

namespace wqctl::nl {
namespace {

class KernelSocket : public testing::Test {
 protected:
  void SetUp() override {
    try {
      sock_.emplace();
    } catch (const OpError& error) {
      GTEST_SKIP() << "no generic netlink here: " << error.what();
    }
  }
  Socket& sock() { return *sock_; }

 private:
  std::optional<Socket> sock_;
};

/// A GETFAMILY request that fails nlctrl's policy: a "name" without its NUL, after an attribute
/// nlctrl accepts.
Message bad_request() {
  Message request{GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1};
  request.put_u32(CTRL_ATTR_OP, 1);
  request.put_u32(CTRL_ATTR_FAMILY_NAME, 0x41414141);
  return request;
}

void expect_rejected(Socket& sock, Message& request) {
  try {
    sock.transact(request, {});
    ADD_FAILURE() << "the kernel accepted a bad request";
  } catch (const OpError& error) {
    EXPECT_EQ(error.errnum(), EINVAL) << error.what();
    EXPECT_NE(error.ext_msg(), "");
    EXPECT_EQ(error.attr(), CTRL_ATTR_FAMILY_NAME);
  }
}

TEST_F(KernelSocket, ResolvesFamilies) {
  EXPECT_EQ(sock().resolve_family("nlctrl"), GENL_ID_CTRL);
  EXPECT_EQ(sock().resolve_family("wqctl-no-such-family"), std::nullopt);
}

TEST_F(KernelSocket, ResolvesAndJoinsMulticastGroups) {
  const std::optional<int> notify = sock().resolve_group("nlctrl", "notify");
  ASSERT_TRUE(notify);
  EXPECT_GT(*notify, 0);
  EXPECT_EQ(sock().resolve_group("nlctrl", "wqctl-no-such-group"), std::nullopt);
  EXPECT_EQ(sock().resolve_group("wqctl-no-such-family", "notify"), std::nullopt);
  // Joining needs no privilege, and requests keep working on the socket.
  sock().join_group(*notify);
  EXPECT_GE(sock().fd(), 0);
  EXPECT_EQ(sock().resolve_family("nlctrl"), GENL_ID_CTRL);
}

TEST_F(KernelSocket, RequestWithReply) {
  Message request{GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1};
  request.put_u32(CTRL_ATTR_FAMILY_ID, GENL_ID_CTRL);  // a u16 attribute: the kernel reads 2 bytes
  std::optional<std::string> name;
  sock().transact(request, [&](nl_msg* reply) {
    name = Attrs::parse_genl(reply, CTRL_ATTR_MAX).str(CTRL_ATTR_FAMILY_NAME);
  });
  EXPECT_EQ(name, "nlctrl");
}

TEST_F(KernelSocket, KernelErrorNamesTheAttributeSent) {
  Message request = bad_request();
  expect_rejected(sock(), request);
}

TEST_F(KernelSocket, UsableAgainAfterAnErrorAndRequestsCanBeResent) {
  Message request = bad_request();
  expect_rejected(sock(), request);
  expect_rejected(sock(), request);
  EXPECT_EQ(sock().resolve_family("nlctrl"), GENL_ID_CTRL);
}

/// Names of the families in nlctrl's dump.
std::vector<std::string> family_names(Socket& sock) {
  Message request{GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, Message::Kind::dump};
  std::vector<std::string> names;
  for (const Bytes& msg : sock.dump(request)) {
    names.push_back(Attrs::parse_genl(msg, CTRL_ATTR_MAX).str(CTRL_ATTR_FAMILY_NAME).value_or(""));
  }
  return names;
}

TEST_F(KernelSocket, DumpsAndStaysUsable) {
  const std::vector<std::string> names = family_names(sock());
  EXPECT_NE(std::ranges::find(names, "nlctrl"), names.end());
  // Requests of either kind keep working afterwards.
  EXPECT_EQ(sock().resolve_family("nlctrl"), GENL_ID_CTRL);
  Message request = bad_request();
  expect_rejected(sock(), request);
  EXPECT_EQ(family_names(sock()), names);
}

TEST_F(KernelSocket, DumpThatFailsToStart) {
  // A policy dump must name its family.
  Message request{GENL_ID_CTRL, CTRL_CMD_GETPOLICY, 1, Message::Kind::dump};
  try {
    sock().dump(request);
    ADD_FAILURE() << "the kernel dumped policies of no family";
  } catch (const OpError& error) {
    EXPECT_NE(error.errnum(), 0) << error.what();
  }
  EXPECT_FALSE(family_names(sock()).empty());
}

}  // namespace
}  // namespace wqctl::nl

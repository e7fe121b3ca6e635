// Hand-built netlink messages for the tests.
#pragma once

#include <cstddef>
#include <memory>
#include <span>

#include <netlink/msg.h>

namespace wqctl::test {

struct MsgFree {
  void operator()(nl_msg* msg) const { nlmsg_free(msg); }
};
using MsgPtr = std::unique_ptr<nl_msg, MsgFree>;

/// The whole message, from its nlmsghdr to nlmsg_len.
inline std::span<const std::byte> bytes_of(nl_msg* msg) {
  const nlmsghdr* hdr = nlmsg_hdr(msg);
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): viewing a message as bytes
  return {reinterpret_cast<const std::byte*>(hdr), hdr->nlmsg_len};
}

}  // namespace wqctl::test

// Hand-built netlink messages for the tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>

#include <gtest/gtest.h>

#include "errors.hpp"
#include "netlink.hpp"

namespace wqctl::test {

constexpr std::size_t header_len = 16;  // NLMSG_HDRLEN

struct MsgFree {
  void operator()(nl_msg* msg) const { nlmsg_free(msg); }
};
using MsgPtr = std::unique_ptr<nl_msg, MsgFree>;

/// Checks what nla_put*() returns.
inline void ok(int err) { EXPECT_EQ(err, 0) << nl_geterror(err); }

/// The errno of the OpError that decode() throws, or 0 if it throws none.
template <typename Decode>
int errnum_of(Decode decode) {
  try {
    decode();
  } catch (const OpError& error) {
    return error.errnum();
  }
  return 0;
}

/// The whole message, from its nlmsghdr to nlmsg_len.
inline std::span<const std::byte> bytes_of(nl_msg* msg) {
  const nlmsghdr* hdr = nlmsg_hdr(msg);
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): viewing a message as bytes
  return {reinterpret_cast<const std::byte*>(hdr), hdr->nlmsg_len};
}

/// Messages one after the other, each 4-byte aligned, as the kernel packs them in a datagram.
inline nl::Bytes datagram(std::initializer_list<nl_msg*> msgs) {
  nl::Bytes bytes;
  for (nl_msg* msg : msgs) {
    const auto one = bytes_of(msg);
    bytes.insert(bytes.end(), one.begin(), one.end());
    bytes.resize(NLMSG_ALIGN(bytes.size()));
  }
  return bytes;
}

inline void append(nl_msg* msg, std::span<const std::byte> data) {
  std::vector<std::byte> copy(data.begin(), data.end());  // nlmsg_append() wants it non-const
  ASSERT_EQ(nlmsg_append(msg, copy.data(), copy.size(), NLMSG_ALIGNTO), 0);
}

/// What the kernel's extended ACK holds.
struct Ack {
  int error = 0;
  bool capped = false;
  const char* message = nullptr;
  std::optional<std::uint32_t> offset;
};

inline void append_tlvs(nl_msg* msg, const Ack& ack) {
  if (ack.message != nullptr) {
    ASSERT_EQ(nla_put_string(msg, NLMSGERR_ATTR_MSG, ack.message), 0);
  }
  if (ack.offset) {
    ASSERT_EQ(nla_put_u32(msg, NLMSGERR_ATTR_OFFS, *ack.offset), 0);
  }
}

/// The NLMSG_ERROR the kernel answers request with, extended ACK included.
inline MsgPtr error_reply(const nl::Message& request, const Ack& ack) {
  const bool tlvs = ack.message != nullptr || ack.offset;
  MsgPtr msg{nlmsg_alloc_simple(NLMSG_ERROR,
                                (ack.capped ? NLM_F_CAPPED : 0) | (tlvs ? NLM_F_ACK_TLVS : 0))};

  const auto req = bytes_of(request.get());
  nlmsgerr err{.error = -ack.error, .msg = {}};
  std::memcpy(&err.msg, req.data(), sizeof(err.msg));
  nlmsg_hdr(msg.get())->nlmsg_seq = err.msg.nlmsg_seq;
  append(msg.get(), std::as_bytes(std::span{&err, 1}));
  if (!ack.capped) {
    append(msg.get(), req.subspan(header_len));
  }
  append_tlvs(msg.get(), ack);
  return msg;
}

}  // namespace wqctl::test

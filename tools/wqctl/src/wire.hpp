// Netlink at the byte level: alignment, header sizes and unaligned loads, for the code that
// walks messages itself.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <span>

#include <linux/genetlink.h>
#include <linux/netlink.h>

namespace wqctl::nl {

/// len rounded up to netlink's 4-byte alignment (that of messages and of attributes).
constexpr std::size_t align(std::size_t len) {
  constexpr std::size_t alignment = NLMSG_ALIGNTO;
  return (len + alignment - 1) & ~(alignment - 1);
}

constexpr std::size_t header_len = align(sizeof(nlmsghdr));
/// Where the attributes of a generic netlink message start.
constexpr std::size_t genl_attrs_offset = header_len + align(sizeof(genlmsghdr));
constexpr std::size_t attr_header_len = align(sizeof(nlattr));

/// A T copied out of bytes, zero-filled where bytes is too short.
template <typename T>
T load(std::span<const std::byte> bytes) {
  T value{};
  if (!bytes.empty()) {
    std::memcpy(&value, bytes.data(), std::min(sizeof(T), bytes.size()));
  }
  return value;
}

}  // namespace wqctl::nl

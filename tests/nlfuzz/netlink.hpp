// Raw generic netlink for the fuzzer, without libnl: a socket, writing messages byte by byte
// (so that they can be wrong on purpose) and walking replies strictly.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <linux/genetlink.h>
#include <linux/netlink.h>

namespace nlfuzz {

using Bytes = std::vector<std::byte>;
using ByteView = std::span<const std::byte>;

/// len rounded up to netlink's 4-byte alignment (that of messages and of attributes).
constexpr std::size_t align4(std::size_t len) { return (len + 3U) & ~std::size_t{3}; }

constexpr std::size_t nlmsg_hdrlen = align4(sizeof(nlmsghdr));
constexpr std::size_t genl_hdrlen = align4(sizeof(genlmsghdr));
constexpr std::size_t nla_hdrlen = align4(sizeof(nlattr));
/// Where the attributes of a generic netlink message start.
constexpr std::size_t genl_attrs_offset = nlmsg_hdrlen + genl_hdrlen;
/// The type bits of nla_type, without NLA_F_NESTED and NLA_F_NET_BYTEORDER.
constexpr std::uint16_t nla_type_bits = 0x3fff;
constexpr std::uint16_t nla_f_nested = 0x8000;
constexpr std::uint16_t nla_f_net_byteorder = 0x4000;

/// A T copied out of bytes, zero-filled where bytes is too short.
template <typename T>
T load(ByteView bytes) {
  T value{};
  if (!bytes.empty()) {
    std::memcpy(&value, bytes.data(), std::min(sizeof(T), bytes.size()));
  }
  return value;
}

/// value's bytes appended to out.
template <typename T>
void append(Bytes& out, const T& value) {
  const std::size_t at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(&out.at(at), &value, sizeof(T));
}

/// value's bytes written over out from offset at (which must have room).
template <typename T>
void store(Bytes& out, std::size_t at, const T& value) {
  std::memcpy(&out.at(at), &value, sizeof(T));
}

inline void append_bytes(Bytes& out, ByteView bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

/// The bytes of a string, with its NUL when nul is set.
Bytes string_bytes(std::string_view text, bool nul);
/// The bytes of a u32.
Bytes u32_bytes(std::uint32_t value);

/// Appends one attribute: header (nla_len = 4 + payload unless len is given), payload and,
/// when pad is set, zeros up to the next 4-byte boundary.
void append_attr(Bytes& out, std::uint16_t type, ByteView payload,
                 std::optional<std::uint16_t> len = std::nullopt, bool pad = true);

/// A generic netlink message: nlmsghdr with nlmsg_len = the whole size, genlmsghdr, attrs.
Bytes genl_message(std::uint16_t family, std::uint16_t flags, std::uint32_t seq, std::uint8_t cmd,
                   std::uint8_t version, ByteView attrs);

/// A message as received, from a datagram that outlives it.
struct Message {
  nlmsghdr hdr{};
  ByteView whole;    ///< from the nlmsghdr to nlmsg_len
  ByteView payload;  ///< after the nlmsghdr
};

/// The messages of a datagram; nullopt, with why, when a length is inconsistent (a message
/// shorter than its header or running past the datagram, or bytes left after the last one).
std::optional<std::vector<Message>> split_messages(ByteView datagram, std::string& why);

/// One attribute of a stream.
struct Attr {
  std::uint16_t type = 0;  ///< nla_type as sent, flags included
  ByteView data;           ///< the payload, nla_len - 4 bytes
  std::size_t offset = 0;  ///< of the header, from the start of the stream

  [[nodiscard]] std::uint16_t kind() const { return type & nla_type_bits; }
  [[nodiscard]] bool nested() const { return (type & nla_f_nested) != 0; }
};

/// The attributes of a stream that they must fill exactly, each padded to 4 bytes (the last
/// one's padding may be missing); nullopt, with why, otherwise.
std::optional<std::vector<Attr>> split_attrs(ByteView stream, std::string& why);

/// Bytes as hex, 32 to a line, each line indented; at most max bytes, then "...".
std::string hex(ByteView bytes, std::size_t max = 512, std::string_view indent = "    ");

/// A string attribute's text: up to its first NUL, unprintable bytes as \xNN.
std::string printable(ByteView bytes);

/// A raw AF_NETLINK / NETLINK_GENERIC socket; closes on destruction.
class Socket {
 public:
  Socket() = default;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  Socket(Socket&& other) noexcept;
  Socket& operator=(Socket&& other) noexcept;
  ~Socket();

  /// A new socket with NETLINK_EXT_ACK on and NETLINK_CAP_ACK as asked; nullopt with errno.
  static std::optional<Socket> open(bool cap_ack, int& err);

  [[nodiscard]] bool valid() const { return fd_ >= 0; }
  [[nodiscard]] bool cap_ack() const { return cap_ack_; }
  /// Sends one datagram to the kernel: 0 or errno.
  [[nodiscard]] int send(ByteView datagram) const;
  /// Waits up to timeout_ms for a datagram and reads it into buf (resized to it): 0, ETIMEDOUT
  /// or errno (ENOBUFS when the socket overflowed).  truncated is set when it was cut.
  [[nodiscard]] int receive(Bytes& buf, int timeout_ms, bool& truncated) const;
  /// setsockopt(SOL_NETLINK, option, value): 0 or errno.
  [[nodiscard]] int set_option(int option, int value) const;

 private:
  explicit Socket(int fd, bool cap_ack) : fd_(fd), cap_ack_(cap_ack) {}
  int fd_ = -1;
  bool cap_ack_ = false;
};

/// What CTRL_CMD_GETFAMILY says about a family.
struct Family {
  std::uint16_t id = 0;
  std::uint32_t version = 0;
  std::uint32_t hdrsize = 0;
  std::uint32_t maxattr = 0;
  std::map<std::string, std::uint32_t> groups;      ///< multicast group ids by name
  std::map<std::uint32_t, std::uint32_t> op_flags;  ///< CTRL_ATTR_OP_FLAGS by command
};

/// Resolves a family by name; nullopt, with why, when it is missing or the reply is malformed.
std::optional<Family> resolve_family(const Socket& sock, std::string_view name, std::uint32_t seq,
                                     std::string& why);

}  // namespace nlfuzz

// Generic netlink over libnl: RAII socket and message, request/reply with
// extended ACK decoding.  Knows nothing about pcwq.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <netlink/msg.h>
#include <netlink/socket.h>

#include "errors.hpp"

namespace wqctl::nl {

/// Failure of a libnl call (err is a libnl error code, either sign).
OpError libnl_error(int err);
/// A malformed message from the kernel.
OpError protocol_error(const std::string& detail);

/// What an NLMSG_ERROR message says.
struct ExtAck {
  int error = 0;                        ///< positive errno, 0 for an ACK
  std::string message;                  ///< NLMSGERR_ATTR_MSG, empty when absent
  std::optional<std::uint32_t> offset;  ///< NLMSGERR_ATTR_OFFS: from the request's nlmsghdr
};

/// Decodes an NLMSG_ERROR message; buf holds the message from its nlmsghdr on.
/// Throws OpError (EPROTO) when it is truncated.
ExtAck parse_ext_ack(std::span<const std::byte> buf);

/// A netlink message, or a datagram of them, as received.
using Bytes = std::vector<std::byte>;

/// Attributes of one message, indexed by type; types above the given maximum are ignored so
/// that newer kernels can add attributes.  A view: the message must outlive it.
class Attrs {
 public:
  /// The attributes of a generic netlink message (after its genlmsghdr).
  static Attrs parse_genl(nl_msg* msg, int max_type);
  /// The same from the message's bytes, from its nlmsghdr on.  Throws OpError (EPROTO) when
  /// the message is truncated.
  static Attrs parse_genl(std::span<const std::byte> msg, int max_type);
  /// A bare attribute stream, 4-byte aligned.
  static Attrs parse_stream(std::span<const std::byte> stream, int max_type);

  /// Value of a u32 attribute, nullopt when absent; throws OpError (EPROTO) when too short.
  [[nodiscard]] std::optional<std::uint32_t> u32(int type) const;
  /// Value of a u64 attribute, nullopt when absent; throws OpError (EPROTO) when too short.
  [[nodiscard]] std::optional<std::uint64_t> u64(int type) const;
  /// Payload of an attribute, nullopt when absent.
  [[nodiscard]] std::optional<std::span<const std::byte>> bytes(int type) const;
  /// Value of a string attribute (up to its NUL), nullopt when absent.
  [[nodiscard]] std::optional<std::string> str(int type) const;
  /// The attributes nested in attribute type (its last occurrence), nullopt when absent.
  [[nodiscard]] std::optional<Attrs> nested(int type, int max_type) const;
  /// The attributes nested in every occurrence of attribute type, in message order.
  [[nodiscard]] std::vector<Attrs> nested_all(int type, int max_type) const;

 private:
  Attrs(std::span<const std::byte> stream, int max_type);
  [[nodiscard]] const nlattr* find(int type) const;

  std::span<const std::byte> stream_;
  std::vector<nlattr*> table_;
};

/// A generic netlink request (NLM_F_REQUEST | NLM_F_ACK, and NLM_F_DUMP for a dump) being
/// built.
///
/// Remembers where each attribute went so that NLMSGERR_ATTR_OFFS can be mapped back to it.
class Message {
 public:
  enum class Kind {
    request,  ///< answered by an ACK, after the reply if there is one
    dump,     ///< answered by a series of messages up to NLMSG_DONE
  };

  Message(int family, std::uint8_t cmd, std::uint8_t version, Kind kind = Kind::request);

  void put_u32(int type, std::uint32_t value);
  /// A NUL-terminated string.
  void put_string(int type, const std::string& value);
  /// A flag: an attribute without payload.
  void put_flag(int type);
  /// Type of the attribute this message holds at offset bytes from its nlmsghdr.
  [[nodiscard]] std::optional<int> attr_at(std::uint32_t offset) const;
  [[nodiscard]] nl_msg* get() const { return msg_.get(); }

 private:
  /// Offset from the nlmsghdr at which the next attribute goes.
  [[nodiscard]] std::uint32_t end_offset() const;

  struct Free {
    void operator()(nl_msg* msg) const { nlmsg_free(msg); }
  };
  std::unique_ptr<nl_msg, Free> msg_;
  std::vector<std::pair<std::uint32_t, int>> attrs_;  ///< offset, type
};

/// The kernel's error answer to request, as an OpError naming the attribute it blamed.
OpError kernel_error(const ExtAck& ack, const Message& request);

/// A generic netlink socket that asks for extended ACKs.
///
/// Each request only takes the answers that carry its sequence number: what is left of an
/// earlier exchange that failed half-way is skipped.
class Socket {
 public:
  /// Called with each reply message; an exception thrown here ends the request with it.
  using ReplyHandler = std::function<void(nl_msg*)>;

  Socket();

  /// Numeric id of a generic netlink family, nullopt when no such family is registered.
  std::optional<int> resolve_family(const char* name);
  /// Numeric id of multicast group group of family family, nullopt when the family is not
  /// registered or has no such group.
  std::optional<int> resolve_group(const char* family, const char* group);
  /// Receives, from now on, the messages the kernel sends to multicast group group (an id from
  /// resolve_group()).
  /// Throws OpError (EPERM) when the group is closed to this user.
  void join_group(int group);
  /// The socket's file descriptor, for poll().
  [[nodiscard]] int fd() const;
  /// The next datagram, waiting for it; nullopt once after the kernel dropped messages for this
  /// socket because its receive buffer was full (ENOBUFS).  Throws OpError on other errors.
  std::optional<Bytes> receive_unless_overrun();

  /// Sends request and handles its replies until the kernel's ACK.  Throws OpError when the
  /// kernel reports an error.  The same request may be sent again (a retry).
  void transact(Message& request, const ReplyHandler& on_reply);

  /// Sends a dump request and returns the messages of the dump, NLMSG_DONE excluded; see
  /// run_dump() in dump.hpp.
  std::vector<Bytes> dump(Message& request);

 private:
  /// Sends request with a fresh sequence number, which it returns.
  std::uint32_t send(Message& request);
  /// The next datagram from the kernel.
  Bytes receive();
  /// Puts the next datagram in datagram and returns its length, or returns nl_recv()'s error.
  int receive_into(Bytes& datagram);
  struct Free {
    void operator()(nl_sock* sock) const { nl_socket_free(sock); }
  };
  void enable_option(int option);

  std::unique_ptr<nl_sock, Free> sock_;
};

}  // namespace wqctl::nl

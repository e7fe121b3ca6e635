// Netlink dumps: the messages answering one NLM_F_DUMP request, collected up to NLMSG_DONE and
// restarted when the kernel flags them as inconsistent (NLM_F_DUMP_INTR).  Works on bytes, so
// that the tests can play the kernel's part.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "netlink.hpp"

namespace wqctl::nl {

/// How often run_dump() sends a dump that keeps being interrupted before it gives up.
constexpr int max_dump_attempts = 5;

/// What an NLMSG_DONE message says: the dump's error (0 when it succeeded) and, when the kernel
/// attached an extended ACK, its message.  buf holds the message from its nlmsghdr on.  Throws
/// OpError (EPROTO) when it is truncated.
ExtAck parse_done(std::span<const std::byte> buf);

/// The answer to one dump request, taken datagram by datagram.
class DumpReader {
 public:
  /// request is what was sent (for error messages), seq the sequence number it was sent with.
  DumpReader(const Message& request, std::uint32_t seq) : request_(&request), seq_(seq) {}

  /// Takes the messages of one datagram; those of other requests are skipped.  Returns true
  /// once the dump is complete.  Throws OpError when the kernel reports an error (NLMSG_ERROR,
  /// or an error in NLMSG_DONE) and on malformed datagrams.
  bool feed(std::span<const std::byte> datagram);

  /// Whether a message was flagged NLM_F_DUMP_INTR: the dump is inconsistent.
  [[nodiscard]] bool interrupted() const { return interrupted_; }
  /// The messages of the dump so far, in order, each from its nlmsghdr on.
  [[nodiscard]] std::vector<Bytes> take_messages() { return std::move(messages_); }

 private:
  /// Takes one message; returns true when it ends the dump.
  bool take(std::span<const std::byte> msg);

  const Message* request_;
  std::uint32_t seq_;
  bool interrupted_ = false;
  std::vector<Bytes> messages_;
};

/// Transport of a dump: a Socket, or a script in the tests.
struct DumpIo {
  std::function<std::uint32_t(Message&)> send;  ///< sends request, returns its sequence number
  std::function<Bytes()> receive;               ///< the next datagram
};

/// Sends request and collects the dump that answers it.  A dump flagged NLM_F_DUMP_INTR is read
/// to its end and sent again, up to attempts times in all; then it throws OpError.
std::vector<Bytes> run_dump(Message& request, const DumpIo& io, int attempts = max_dump_attempts);

}  // namespace wqctl::nl

// Sending a request and taking in everything the kernel answers, checking that each message
// is well formed: lengths, sequence numbers, the genl header, the extended ACK, the echoed
// request, and the attributes of pcwq's replies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "generator.hpp"
#include "netlink.hpp"

namespace nlfuzz {

/// What the kernel answered to one request.
struct Outcome {
  enum class End {
    nothing,  ///< no message for the request (waited 0 ms when none was expected)
    error,    ///< NLMSG_ERROR: error is the errno (negative) or 0 for an ACK
    done,     ///< NLMSG_DONE of a dump: error is the errno it carries, or 0
    reply,    ///< a single data message, no ACK asked
    timeout,  ///< an answer was due and none came in time
    lost,     ///< the socket failed (ENOBUFS...): unknown
  };
  End end = End::nothing;
  int error = 0;
  std::vector<Bytes> data;                  ///< the attributes of each data message
  std::string ext_msg;                      ///< NLMSGERR_ATTR_MSG
  std::optional<std::uint32_t> ext_offset;  ///< NLMSGERR_ATTR_OFFS
  Bytes first;                              ///< the first message of the answer, for reports
  std::vector<std::string> problems;        ///< malformed messages, each a failure
  int socket_error = 0;                     ///< errno of a lost exchange

  [[nodiscard]] std::string describe() const;
};

/// A socket to the pcwq family that sends requests and collects their answers.
class Channel {
 public:
  /// Opens the socket; throws std::runtime_error when it cannot.
  Channel(std::uint16_t family, bool cap_ack);

  /// Replaces the socket with a fresh one (after ENOBUFS, or to change NETLINK_CAP_ACK).
  void reopen(bool cap_ack);
  /// Sends req and reads its answer, waiting up to timeout_ms for each message that is due.
  Outcome exchange(const Request& req, int timeout_ms);

  [[nodiscard]] const Socket& socket() const { return sock_; }
  /// Messages of earlier requests met on the way (validated, then dropped).
  [[nodiscard]] std::uint64_t stale() const { return stale_; }

 private:
  void take(const Message& msg, const Request& req, bool silent, Outcome& out);

  std::uint16_t family_;
  Socket sock_;
  Bytes buf_;
  std::uint64_t stale_ = 0;
};

/// The problems of the attributes of a pcwq reply to cmd (empty when they are well formed):
/// lengths and types of the known attributes, nests, required attributes.  Unknown
/// attributes are allowed (newer kernels).  For a STATS_GET of one CPU, cpu is that CPU.
std::vector<std::string> check_reply_attrs(std::uint8_t cmd, ByteView attrs,
                                           std::optional<std::uint32_t> cpu);

}  // namespace nlfuzz

// Requests for the pcwq family: valid reads, and requests that the kernel must refuse, built
// as a valid-looking base plus defects from a list whose refusal the kernel guarantees.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "netlink.hpp"

namespace nlfuzz {

/// xoshiro256** seeded through splitmix64: the same seed gives the same requests.
class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  std::uint64_t next();
  /// Uniform in [0, n); 0 when n is 0.
  std::uint32_t below(std::uint32_t n);
  /// Uniform in [lo, hi].
  std::uint32_t between(std::uint32_t lo, std::uint32_t hi);
  /// True with the given chance in percent.
  bool percent(std::uint32_t chance);
  Bytes bytes(std::size_t n);
  template <typename T>
  const T& pick(std::span<const T> items) {
    return items[below(static_cast<std::uint32_t>(items.size()))];
  }

 private:
  std::array<std::uint64_t, 4> s_{};
};

/// What the kernel must answer.
enum class Expect {
  reply,     ///< a valid read: well-formed data, no error
  error,     ///< NLMSG_ERROR with a negative errno: the request carries a defect
  eperm,     ///< exactly -EPERM: a valid change sent without CAP_NET_ADMIN
  any,       ///< an error or well-formed data
  none,      ///< nothing: framing that netlink_rcv_skb drops without a word
  ack_only,  ///< not a request (no NLM_F_REQUEST): an ACK of 0 when NLM_F_ACK is set, else nothing
};

std::string_view expect_name(Expect expect);

struct Request {
  Bytes bytes;  ///< exactly what is sent
  std::uint32_t seq = 0;
  std::uint8_t cmd = 0;
  std::uint16_t flags = 0;  ///< nlmsg_flags as sent
  Expect expect = Expect::any;
  bool admin = false;  ///< a command that changes state
  bool dump = false;   ///< NLM_F_DUMP is set: data comes as a multipart answer ending in DONE
  /// The CPU a valid STATS_GET asks for: the answer must be about that CPU only.
  std::optional<std::uint32_t> stats_cpu;
  std::string kind;
  std::vector<std::string> defects;  ///< why the kernel must refuse it
  std::vector<std::string> noise;    ///< other perturbations, none of them relied upon

  [[nodiscard]] bool ack() const { return (flags & NLM_F_ACK) != 0; }
  [[nodiscard]] std::string describe() const;
};

/// The kernel state the generator aims at.
struct Target {
  std::uint16_t family = 0;
  std::uint32_t cpus = 1;           ///< online CPUs (valid CPU numbers are below)
  std::vector<std::string> queues;  ///< names of existing queues
  /// Root phase: every request to a command that changes state carries a defect.  Without
  /// privileges some are sent valid and must get -EPERM.
  bool privileged = true;
};

/// The name of a command of the pcwq family ("CMD_<n>" when unknown).
std::string command_name(std::uint8_t cmd);
/// Whether a pcwq command changes state (and carries GENL_ADMIN_PERM).
bool is_admin_command(std::uint8_t cmd);
/// Whether a pcwq command is a dump (dumpit only).
bool is_dump_command(std::uint8_t cmd);

class Generator {
 public:
  Generator(std::uint64_t seed, Target target);

  /// The next request of the random mix.
  Request next(std::uint32_t seq);

  /// A valid read of cmd (STATUS_GET, CONFIG_GET, QUEUE_GET, STATS_GET), for STATS_GET
  /// optionally for one CPU.
  [[nodiscard]] Request valid_read(std::uint8_t cmd, std::uint32_t seq, bool ack,
                                   std::optional<std::uint32_t> cpu = std::nullopt) const;
  /// A fully valid request to a command that changes state, on queue name where it takes one:
  /// what an unprivileged user must be refused with -EPERM.
  [[nodiscard]] Request valid_admin(std::uint8_t cmd, std::uint32_t seq,
                                    const std::string& queue) const;
  /// A QUEUE_ADD-like request of cmd (one taking a name) with name, followed by an attribute
  /// of an unknown type: always refused, and the extended ACK's offset tells whether the name
  /// or the unknown attribute was the first thing refused.  Returns the name's offset too.
  [[nodiscard]] Request name_probe(std::uint8_t cmd, std::uint32_t seq, std::string_view name,
                                   std::uint32_t& name_offset) const;

  Target& target() { return target_; }

 private:
  Rng rng_;
  Target target_;
};

}  // namespace nlfuzz

// The pcwq generic netlink family: plain structs for its messages, their
// encoding and decoding, and a client issuing its commands.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config_keys.hpp"
#include "netlink.hpp"
#include "queue_proto.hpp"

namespace wqctl {

/// Reply to PCWQ_CMD_STATUS_GET.
struct Status {
  std::string version;
  std::uint32_t online_cpus = 0;
  std::uint32_t possible_cpus = 0;

  friend bool operator==(const Status&, const Status&) = default;
};

/// Decodes a STATUS_GET reply.  Throws OpError (EPROTO) when an attribute is missing.
Status decode_status(const nl::Attrs& attrs);
/// Decodes a CONFIG_GET reply: every key present, in config_keys() order.
Config decode_config(const nl::Attrs& attrs);
/// Adds the attributes of a CONFIG_SET request.
void encode_config(nl::Message& msg, const Config& config);

/// Name a user knows a PCWQ_A_* attribute by, for error messages: a configuration key or a
/// command line option.
std::optional<std::string_view> attr_name(int attr);

/// A connection to the pcwq module.
class Client {
 public:
  /// Throws ModuleNotLoaded when the family is not registered.
  Client();

  Status status();
  Config config();
  /// Changes the given keys, all or nothing.  Needs CAP_NET_ADMIN.
  void set_config(const Config& config);

  // Queues.  Every change needs CAP_NET_ADMIN; names are those of queues created by wqctl.
  void add_queue(const QueueSpec& spec);
  /// Changes the limits of a queue, all or nothing.
  void set_queue(const QueueLimits& limits);
  void delete_queue(const std::string& name);
  /// Every queue of the module, its own included.
  std::vector<Queue> queues();
  LoadResult load(const LoadSpec& spec);
  /// Returns once the load sent to the queue so far has run.
  void flush(const std::string& name);
  /// Waits until the queue is empty, and plugs it first when asked to; returns whether it had
  /// to wait.
  bool drain(const std::string& name, bool plug);
  void unplug(const std::string& name);

  /// Pools and queues with their counters; only those of one CPU when cpu is given.
  Stats stats(std::optional<std::uint32_t> cpu);
  /// Zeroes every counter.  Needs CAP_NET_ADMIN.
  void reset_stats();

 private:
  [[nodiscard]] nl::Message request(std::uint8_t cmd) const;
  [[nodiscard]] nl::Message dump_request(std::uint8_t cmd) const;
  /// Sends a request that is answered by an ACK alone.
  void execute(nl::Message& msg);
  template <typename Reply>
  Reply query(std::uint8_t cmd, Reply (*decode)(const nl::Attrs&));

  nl::Socket sock_;
  int family_;
};

}  // namespace wqctl

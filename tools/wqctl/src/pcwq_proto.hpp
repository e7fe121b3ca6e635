// The pcwq generic netlink family: plain structs for its messages, their
// encoding and decoding, and a client issuing its commands.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config_keys.hpp"
#include "netlink.hpp"

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

/// Name a user knows a PCWQ_A_* attribute by, for error messages.
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

 private:
  [[nodiscard]] nl::Message request(std::uint8_t cmd) const;
  template <typename Reply>
  Reply query(std::uint8_t cmd, Reply (*decode)(const nl::Attrs&));

  nl::Socket sock_;
  int family_;
};

}  // namespace wqctl

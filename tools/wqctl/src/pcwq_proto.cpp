#include "pcwq_proto.hpp"

#include <utility>

#include "errors.hpp"
#include "pcwq_genl.h"

namespace wqctl {
namespace {

template <typename T>
T required(std::optional<T> value, const char* missing) {
  if (!value) {
    throw nl::protocol_error(missing);
  }
  return *std::move(value);
}

int resolve_pcwq(nl::Socket& sock) {
  const std::optional<int> family = sock.resolve_family(PCWQ_GENL_NAME);
  if (!family) {
    throw ModuleNotLoaded();
  }
  return *family;
}

}  // namespace

Status decode_status(const nl::Attrs& attrs) {
  return {
      .version = required(attrs.str(PCWQ_A_VERSION), "reply lacks the version"),
      .online_cpus = required(attrs.u32(PCWQ_A_NR_ONLINE_CPUS), "reply lacks the online CPUs"),
      .possible_cpus =
          required(attrs.u32(PCWQ_A_NR_POSSIBLE_CPUS), "reply lacks the possible CPUs"),
  };
}

Config decode_config(const nl::Attrs& attrs) {
  Config config;
  for (const ConfigKey& key : config_keys()) {
    if (const auto value = attrs.u32(key.attr)) {
      config.push_back({&key, *value});
    }
  }
  return config;
}

void encode_config(nl::Message& msg, const Config& config) {
  for (const Setting& setting : config) {
    msg.put_u32(setting.key->attr, setting.value);
  }
}

std::optional<std::string_view> attr_name(int attr) {
  if (const ConfigKey* key = find_config_key_by_attr(attr)) {
    return key->name;
  }
  return std::nullopt;
}

Client::Client() : family_(resolve_pcwq(sock_)) {}

nl::Message Client::request(std::uint8_t cmd) const { return {family_, cmd, PCWQ_GENL_VERSION}; }

template <typename Reply>
Reply Client::query(std::uint8_t cmd, Reply (*decode)(const nl::Attrs&)) {
  std::optional<Reply> reply;
  nl::Message msg = request(cmd);
  sock_.transact(
      msg, [&](nl_msg* answer) { reply = decode(nl::Attrs::parse_genl(answer, PCWQ_A_MAX)); });
  return required(std::move(reply), "no reply from the module");
}

Status Client::status() { return query(PCWQ_CMD_STATUS_GET, decode_status); }

Config Client::config() { return query(PCWQ_CMD_CONFIG_GET, decode_config); }

void Client::set_config(const Config& config) {
  nl::Message msg = request(PCWQ_CMD_CONFIG_SET);
  encode_config(msg, config);
  sock_.transact(msg, {});
}

}  // namespace wqctl

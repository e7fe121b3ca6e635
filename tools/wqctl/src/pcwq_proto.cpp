#include "pcwq_proto.hpp"

#include <algorithm>
#include <array>
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

struct AttrName {
  int attr;
  std::string_view name;
};

/// Request attributes that stand for a command line option.
constexpr std::array option_attrs{
    AttrName{PCWQ_A_QUEUE_FLAGS, "flags"},
    AttrName{PCWQ_A_QUEUE_MAX_ACTIVE, "--max-active"},
    AttrName{PCWQ_A_QUEUE_CAPACITY, "--capacity"},
    AttrName{PCWQ_A_QUEUE_RATE, "--rate"},
    AttrName{PCWQ_A_QUEUE_BURST, "--burst"},
    AttrName{PCWQ_A_QUEUE_MAX_WAIT_MS, "--max-wait-ms"},
    AttrName{PCWQ_A_QUEUE_WORK_TIMEOUT_MS, "--work-timeout-ms"},
    AttrName{PCWQ_A_QUEUE_CPUS, "--cpus"},
    AttrName{PCWQ_A_LOAD_COUNT, "--count"},
    AttrName{PCWQ_A_LOAD_CPU, "--cpu"},
    AttrName{PCWQ_A_LOAD_SPIN_US, "--spin-us"},
    AttrName{PCWQ_A_LOAD_SLEEP_MS, "--sleep-ms"},
    AttrName{PCWQ_A_LOAD_DELAY_MS, "--delay-ms"},
    AttrName{PCWQ_A_PLUG, "--plug"},
    AttrName{PCWQ_A_STATS_CPU, "--cpu"},
};

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
  const auto* found = std::ranges::find(option_attrs, attr, &AttrName::attr);
  if (found != option_attrs.end()) {
    return found->name;
  }
  return std::nullopt;
}

Client::Client() : family_(resolve_pcwq(sock_)) {}

nl::Message Client::request(std::uint8_t cmd) const { return {family_, cmd, PCWQ_GENL_VERSION}; }

nl::Message Client::dump_request(std::uint8_t cmd) const {
  return {family_, cmd, PCWQ_GENL_VERSION, nl::Message::Kind::dump};
}

void Client::execute(nl::Message& msg) { sock_.transact(msg, {}); }

template <typename Reply>
Reply Client::query(std::uint8_t cmd, Reply (*decode)(const nl::Attrs&)) {
  std::optional<Reply> reply;
  nl::Message msg = request(cmd);
  sock_.transact(
      msg, [&](nl_msg* answer) { reply = decode(nl::Attrs::parse_genl(answer, PCWQ_A_MAX)); });
  return required(reply, "no reply from the module");
}

Status Client::status() { return query(PCWQ_CMD_STATUS_GET, decode_status); }

Config Client::config() { return query(PCWQ_CMD_CONFIG_GET, decode_config); }

void Client::set_config(const Config& config) {
  nl::Message msg = request(PCWQ_CMD_CONFIG_SET);
  encode_config(msg, config);
  execute(msg);
}

void Client::add_queue(const QueueSpec& spec) {
  nl::Message msg = request(PCWQ_CMD_QUEUE_ADD);
  encode_queue_add(msg, spec);
  execute(msg);
}

void Client::set_queue(const QueueLimits& limits) {
  nl::Message msg = request(PCWQ_CMD_QUEUE_SET);
  encode_queue_set(msg, limits);
  execute(msg);
}

void Client::delete_queue(const std::string& name) {
  nl::Message msg = request(PCWQ_CMD_QUEUE_DEL);
  encode_queue_name(msg, name);
  execute(msg);
}

std::vector<Queue> Client::queues() {
  nl::Message msg = dump_request(PCWQ_CMD_QUEUE_GET);
  std::vector<Queue> queues;
  for (const nl::Bytes& answer : sock_.dump(msg)) {
    if (auto queue = decode_queue_message(answer)) {
      queues.push_back(*std::move(queue));
    }
  }
  return queues;
}

LoadResult Client::load(const LoadSpec& spec) {
  std::optional<LoadResult> reply;
  nl::Message msg = request(PCWQ_CMD_LOAD);
  encode_load(msg, spec);
  sock_.transact(
      msg, [&](nl_msg* answer) { reply = decode_load(nl::Attrs::parse_genl(answer, PCWQ_A_MAX)); });
  return required(reply, "no reply from the module");
}

void Client::flush(const std::string& name) {
  nl::Message msg = request(PCWQ_CMD_FLUSH);
  encode_queue_name(msg, name);
  execute(msg);
}

bool Client::drain(const std::string& name, bool plug) {
  std::optional<bool> waited;
  nl::Message msg = request(PCWQ_CMD_DRAIN);
  encode_drain(msg, name, plug);
  sock_.transact(msg, [&](nl_msg* answer) {
    waited = decode_drain(nl::Attrs::parse_genl(answer, PCWQ_A_MAX));
  });
  return required(waited, "no reply from the module");
}

void Client::unplug(const std::string& name) {
  nl::Message msg = request(PCWQ_CMD_UNPLUG);
  encode_queue_name(msg, name);
  execute(msg);
}

Stats Client::stats(std::optional<std::uint32_t> cpu) {
  nl::Message msg = dump_request(PCWQ_CMD_STATS_GET);
  encode_stats_get(msg, cpu);
  Stats stats;
  for (const nl::Bytes& answer : sock_.dump(msg)) {
    decode_stats_message(answer, stats);
  }
  return stats;
}

void Client::reset_stats() {
  nl::Message msg = request(PCWQ_CMD_STATS_RESET);
  execute(msg);
}

}  // namespace wqctl

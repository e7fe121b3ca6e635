#include "replies.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <map>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "pcwq_genl.h"

namespace nlfuzz {

namespace {

// The shape of pcwq's replies (module/genl.c, nl_queue.c, nl_stats.c).
enum class Field : std::uint8_t { u32, u64, string, nest, buckets, any };

struct Schema;

struct FieldSpec {
  std::uint16_t type = 0;
  Field kind = Field::any;
  const Schema* nested = nullptr;
  bool required = true;
  bool repeated = false;
};

struct Schema {
  std::string_view name;
  std::span<const FieldSpec> fields;
};

constexpr FieldSpec u32_field(std::uint16_t type) { return {type, Field::u32}; }
constexpr FieldSpec u64_field(std::uint16_t type) { return {type, Field::u64}; }
/// An attribute added after the first modules: type-checked when present, not required.
constexpr FieldSpec optional_field(std::uint16_t type, Field kind, const Schema* nested = nullptr) {
  return {type, kind, nested, false};
}

constexpr std::array counter_fields{
    FieldSpec{PCWQ_COUNTER_A_PAD, Field::any, nullptr, false, true},
    u64_field(PCWQ_COUNTER_A_SUBMITTED),
    u64_field(PCWQ_COUNTER_A_COMPLETED),
    u64_field(PCWQ_COUNTER_A_CANCELLED),
    u64_field(PCWQ_COUNTER_A_REJECTED),
    u64_field(PCWQ_COUNTER_A_UNSCHEDULED),
    u64_field(PCWQ_COUNTER_A_MAYDAY),
    u64_field(PCWQ_COUNTER_A_RESCUED),
    u64_field(PCWQ_COUNTER_A_STALLS),
    optional_field(PCWQ_COUNTER_A_THROTTLED, Field::u64),
    optional_field(PCWQ_COUNTER_A_STOLEN, Field::u64),
    optional_field(PCWQ_COUNTER_A_AGED, Field::u64),
    optional_field(PCWQ_COUNTER_A_OVERRUNS, Field::u64),
};
constexpr Schema counters{"counters", counter_fields};

constexpr std::array hist_fields{
    FieldSpec{PCWQ_HIST_A_PAD, Field::any, nullptr, false, true},
    FieldSpec{PCWQ_HIST_A_BUCKETS, Field::buckets},
    u64_field(PCWQ_HIST_A_SUM_NS),
    u64_field(PCWQ_HIST_A_MAX_NS),
};
constexpr Schema hist{"histogram", hist_fields};

// The four averages come together.
constexpr std::array load_avg_fields{
    u32_field(PCWQ_LOAD_A_AVG10),
    u32_field(PCWQ_LOAD_A_AVG1),
    u32_field(PCWQ_LOAD_A_AVG5),
    u32_field(PCWQ_LOAD_A_AVG15),
};
constexpr Schema load_avg{"load", load_avg_fields};

constexpr std::array qcpu_fields{
    u32_field(PCWQ_QCPU_A_CPU),
    u32_field(PCWQ_QCPU_A_ACTIVE),
    u32_field(PCWQ_QCPU_A_INACTIVE),
    FieldSpec{PCWQ_QCPU_A_COUNTERS, Field::nest, &counters},
};
constexpr Schema qcpu{"queue CPU", qcpu_fields};

constexpr std::array queue_fields{
    FieldSpec{PCWQ_QUEUE_A_NAME, Field::string},
    u32_field(PCWQ_QUEUE_A_FLAGS),
    u32_field(PCWQ_QUEUE_A_MAX_ACTIVE),
    u32_field(PCWQ_QUEUE_A_CAPACITY),
    u32_field(PCWQ_QUEUE_A_PENDING),
    u32_field(PCWQ_QUEUE_A_INFLIGHT),
    FieldSpec{PCWQ_QUEUE_A_COUNTERS, Field::nest, &counters},
    FieldSpec{PCWQ_QUEUE_A_CPU, Field::nest, &qcpu, false, true},
    FieldSpec{PCWQ_QUEUE_A_WAIT, Field::nest, &hist},
    FieldSpec{PCWQ_QUEUE_A_RUN, Field::nest, &hist},
    optional_field(PCWQ_QUEUE_A_RATE, Field::u32),
    optional_field(PCWQ_QUEUE_A_BURST, Field::u32),
    optional_field(PCWQ_QUEUE_A_MAX_WAIT_MS, Field::u32),
    optional_field(PCWQ_QUEUE_A_LOAD, Field::nest, &load_avg),
    optional_field(PCWQ_QUEUE_A_CPUS, Field::string),
    optional_field(PCWQ_QUEUE_A_WORK_TIMEOUT_MS, Field::u32),
};
constexpr Schema queue{"queue", queue_fields};

constexpr std::array pool_fields{
    u32_field(PCWQ_POOL_A_CPU),
    u32_field(PCWQ_POOL_A_HIGHPRI),
    u32_field(PCWQ_POOL_A_ONLINE),
    u32_field(PCWQ_POOL_A_WORKERS),
    u32_field(PCWQ_POOL_A_IDLE),
    u32_field(PCWQ_POOL_A_PENDING),
    FieldSpec{PCWQ_POOL_A_COUNTERS, Field::nest, &counters},
    FieldSpec{PCWQ_POOL_A_WAIT, Field::nest, &hist},
    FieldSpec{PCWQ_POOL_A_RUN, Field::nest, &hist},
    optional_field(PCWQ_POOL_A_LOAD, Field::nest, &load_avg),
};
constexpr Schema pool{"pool", pool_fields};

constexpr std::array status_fields{
    FieldSpec{PCWQ_A_VERSION, Field::string},
    u32_field(PCWQ_A_NR_ONLINE_CPUS),
    u32_field(PCWQ_A_NR_POSSIBLE_CPUS),
};
constexpr std::array config_fields{
    u32_field(PCWQ_A_WATCHDOG_THRESH),     u32_field(PCWQ_A_PANIC_ON_STALL),
    u32_field(PCWQ_A_PANIC_ON_STALL_TIME), u32_field(PCWQ_A_RESCUER_MODE),
    u32_field(PCWQ_A_RESCUER_BATCH),       u32_field(PCWQ_A_MAYDAY_TIMEOUT_MS),
    u32_field(PCWQ_A_WORKER_IDLE_SECS),    u32_field(PCWQ_A_INJECT_WORKER_FAIL),
};
constexpr std::array queue_get_fields{FieldSpec{PCWQ_A_QUEUE, Field::nest, &queue}};
// Exactly one of the two: checked apart.
constexpr std::array stats_get_fields{
    FieldSpec{PCWQ_A_POOL, Field::nest, &pool, false},
    FieldSpec{PCWQ_A_QUEUE, Field::nest, &queue, false},
};
constexpr std::array load_fields{u32_field(PCWQ_A_LOAD_ACCEPTED), u32_field(PCWQ_A_LOAD_REFUSED)};
constexpr std::array drain_fields{u32_field(PCWQ_A_DRAIN_WAITED)};

const Schema* reply_schema(std::uint8_t cmd) {
  static constexpr std::array<std::pair<std::uint8_t, Schema>, 6> schemas{{
      {PCWQ_CMD_STATUS_GET, Schema{"STATUS_GET reply", status_fields}},
      {PCWQ_CMD_CONFIG_GET, Schema{"CONFIG_GET reply", config_fields}},
      {PCWQ_CMD_QUEUE_GET, Schema{"QUEUE_GET message", queue_get_fields}},
      {PCWQ_CMD_STATS_GET, Schema{"STATS_GET message", stats_get_fields}},
      {PCWQ_CMD_LOAD, Schema{"LOAD reply", load_fields}},
      {PCWQ_CMD_DRAIN, Schema{"DRAIN reply", drain_fields}},
  }};
  const auto* it = std::find_if(schemas.begin(), schemas.end(),
                                [cmd](const auto& entry) { return entry.first == cmd; });
  return it == schemas.end() ? nullptr : &it->second;
}

std::string field_problem(const Attr& a, const FieldSpec& f) {
  const std::size_t len = a.data.size();
  if (f.kind != Field::nest && f.kind != Field::any && a.nested()) {
    return "has NLA_F_NESTED";
  }
  switch (f.kind) {
    case Field::u32:
      return len == 4 ? "" : "is a u32 of " + std::to_string(len) + " bytes";
    case Field::u64:
      return len == 8 ? "" : "is a u64 of " + std::to_string(len) + " bytes";
    case Field::buckets:
      return len == PCWQ_HIST_BUCKETS * sizeof(std::uint64_t)
                 ? ""
                 : "has " + std::to_string(len) + " bytes of buckets";
    case Field::string: {
      const auto nul = std::find(a.data.begin(), a.data.end(), std::byte{0});
      if (len == 0 || nul != a.data.end() - 1) {
        return "is not a NUL-terminated string";
      }
      return "";
    }
    case Field::nest:
      return a.nested() ? "" : "is a nest without NLA_F_NESTED";
    case Field::any:
      break;
  }
  return "";
}

struct Pending {
  std::vector<Attr> attrs;
  const Schema* schema = nullptr;
  std::string path;
};

/// Checks one level; nests to check are added to work.
void check_level(const Pending& item, std::vector<Pending>& work,
                 std::vector<std::string>& problems) {
  std::map<std::uint16_t, int> seen;
  for (const Attr& a : item.attrs) {
    const auto f = std::find_if(item.schema->fields.begin(), item.schema->fields.end(),
                                [&a](const FieldSpec& fs) { return fs.type == a.kind(); });
    if (f == item.schema->fields.end()) {
      continue;
    }
    const std::string where = item.path + " attribute " + std::to_string(a.kind());
    if (++seen[a.kind()] > 1 && !f->repeated) {
      problems.push_back(where + " appears twice");
    }
    if (std::string p = field_problem(a, *f); !p.empty()) {
      problems.push_back(where + " " += p);
      continue;
    }
    if (f->kind == Field::nest) {
      std::string why;
      auto inner = split_attrs(a.data, why);
      if (!inner) {
        problems.push_back(where + ": " += why);
        continue;
      }
      Pending next;
      next.attrs = std::move(*inner);
      next.schema = f->nested;
      next.path = item.path + "/" + std::string(f->nested->name);
      work.push_back(std::move(next));
    }
  }
  for (const FieldSpec& f : item.schema->fields) {
    if (f.required && seen[f.type] == 0) {
      problems.push_back(item.path + " lacks attribute " + std::to_string(f.type));
    }
  }
}

std::optional<std::uint32_t> u32_of(const std::vector<Attr>& attrs, std::uint16_t type) {
  for (const Attr& a : attrs) {
    if (a.kind() == type && a.data.size() == 4) {
      return load<std::uint32_t>(a.data);
    }
  }
  return std::nullopt;
}

/// A STATS_GET message for one CPU: its pool, or the queue's per-CPU entries, are that CPU's.
void check_cpu_filter(const std::vector<Attr>& top, std::uint32_t cpu,
                      std::vector<std::string>& problems) {
  std::string why;
  for (const Attr& a : top) {
    const auto inner = split_attrs(a.data, why);
    if (!inner) {
      continue;
    }
    if (a.kind() == PCWQ_A_POOL) {
      const auto got = u32_of(*inner, PCWQ_POOL_A_CPU);
      if (got && *got != cpu) {
        problems.push_back("STATS_GET for CPU " + std::to_string(cpu) +
                           " returned the pool of CPU " + std::to_string(*got));
      }
      continue;
    }
    if (a.kind() != PCWQ_A_QUEUE) {
      continue;
    }
    for (const Attr& q : *inner) {
      if (q.kind() != PCWQ_QUEUE_A_CPU) {
        continue;
      }
      const auto entry = split_attrs(q.data, why);
      const auto got = entry ? u32_of(*entry, PCWQ_QCPU_A_CPU) : std::nullopt;
      if (got && *got != cpu) {
        problems.push_back("STATS_GET for CPU " + std::to_string(cpu) +
                           " returned a queue entry of CPU " + std::to_string(*got));
      }
    }
  }
}

/// The extended ACK attributes after an error code (NLM_F_ACK_TLVS).
void take_tlvs(ByteView tlvs, std::uint32_t request_len, Outcome& out) {
  std::string why;
  const auto attrs = split_attrs(tlvs, why);
  if (!attrs) {
    out.problems.push_back("extended ACK: " + why);
    return;
  }
  for (const Attr& a : *attrs) {
    switch (a.kind()) {
      case NLMSGERR_ATTR_MSG:
        if (a.data.empty() || a.data.back() != std::byte{0}) {
          out.problems.emplace_back("NLMSGERR_ATTR_MSG is not NUL-terminated");
        }
        out.ext_msg = printable(a.data);
        break;
      case NLMSGERR_ATTR_OFFS:
        if (a.data.size() != 4) {
          out.problems.emplace_back("NLMSGERR_ATTR_OFFS is not a u32");
          break;
        }
        out.ext_offset = load<std::uint32_t>(a.data);
        if (*out.ext_offset >= request_len) {
          out.problems.push_back("NLMSGERR_ATTR_OFFS " + std::to_string(*out.ext_offset) +
                                 " beyond the request's " + std::to_string(request_len) + " bytes");
        }
        break;
      case NLMSGERR_ATTR_POLICY:
        if (!split_attrs(a.data, why)) {
          out.problems.push_back("NLMSGERR_ATTR_POLICY: " + why);
        }
        break;
      default:
        break;
    }
  }
}

void take_error(const Message& msg, const Request& req, Outcome& out) {
  out.end = Outcome::End::error;
  constexpr std::size_t errmsg_len = sizeof(nlmsgerr);
  if (msg.payload.size() < errmsg_len) {
    out.problems.push_back("NLMSG_ERROR of " + std::to_string(msg.payload.size()) + " bytes");
    return;
  }
  out.error = load<int>(msg.payload);
  if (out.error > 0 || out.error < -4095) {
    out.problems.push_back("NLMSG_ERROR with error " + std::to_string(out.error));
  }
  const ByteView echoed_hdr = msg.payload.subspan(sizeof(int), nlmsg_hdrlen);
  const ByteView sent = req.bytes;
  if (sent.size() >= nlmsg_hdrlen &&
      !std::equal(echoed_hdr.begin(), echoed_hdr.end(), sent.begin())) {
    out.problems.emplace_back("NLMSG_ERROR echoes another header than the request's");
  }
  const auto inner = load<nlmsghdr>(echoed_hdr);
  std::size_t at = errmsg_len;
  if ((msg.hdr.nlmsg_flags & NLM_F_CAPPED) == 0) {
    if (out.error == 0) {
      out.problems.emplace_back("an ACK of 0 that is not capped");
    }
    const std::size_t echo_len = inner.nlmsg_len - nlmsg_hdrlen;
    if (msg.payload.size() < at + echo_len || sent.size() < nlmsg_hdrlen + echo_len) {
      out.problems.emplace_back("NLMSG_ERROR shorter than the request it echoes");
      return;
    }
    const ByteView echo = msg.payload.subspan(at, echo_len);
    if (!std::equal(echo.begin(), echo.end(), sent.begin() + nlmsg_hdrlen)) {
      out.problems.emplace_back("NLMSG_ERROR echoes other bytes than the request's");
    }
    at += align4(echo_len);
  }
  if ((msg.hdr.nlmsg_flags & NLM_F_ACK_TLVS) != 0) {
    take_tlvs(msg.payload.subspan(std::min(at, msg.payload.size())), inner.nlmsg_len, out);
  } else if (msg.payload.size() != at) {
    out.problems.push_back("NLMSG_ERROR has " + std::to_string(msg.payload.size() - at) +
                           " bytes after its error without NLM_F_ACK_TLVS");
  }
}

void take_done(const Message& msg, const Request& req, Outcome& out) {
  out.end = Outcome::End::done;
  if (!req.dump) {
    out.problems.emplace_back("NLMSG_DONE answers a request without NLM_F_DUMP");
  }
  if ((msg.hdr.nlmsg_flags & NLM_F_MULTI) == 0) {
    out.problems.emplace_back("NLMSG_DONE without NLM_F_MULTI");
  }
  if (msg.payload.size() < sizeof(int)) {
    out.problems.push_back("NLMSG_DONE of " + std::to_string(msg.payload.size()) + " bytes");
    return;
  }
  out.error = load<int>(msg.payload);
  if (out.error > 0 || out.error < -4095) {
    out.problems.push_back("NLMSG_DONE with error " + std::to_string(out.error));
  }
  const std::size_t at = sizeof(int);
  if ((msg.hdr.nlmsg_flags & NLM_F_ACK_TLVS) != 0) {
    take_tlvs(msg.payload.subspan(at), static_cast<std::uint32_t>(req.bytes.size()), out);
  } else if (msg.payload.size() != at) {
    out.problems.push_back("NLMSG_DONE has " + std::to_string(msg.payload.size() - at) +
                           " bytes after its error without NLM_F_ACK_TLVS");
  }
}

void take_data(const Message& msg, const Request& req, Outcome& out) {
  if (msg.payload.size() < genl_hdrlen) {
    out.problems.push_back("data message of " + std::to_string(msg.payload.size()) + " bytes");
    out.end = Outcome::End::reply;
    return;
  }
  const auto genl = load<genlmsghdr>(msg.payload);
  if (genl.cmd != req.cmd || genl.version != PCWQ_GENL_VERSION || genl.reserved != 0) {
    out.problems.push_back("reply genl header cmd " + std::to_string(genl.cmd) + " version " +
                           std::to_string(genl.version) + " reserved " +
                           std::to_string(genl.reserved) + " to a request of cmd " +
                           std::to_string(req.cmd));
  }
  const bool multi = (msg.hdr.nlmsg_flags & NLM_F_MULTI) != 0;
  if (multi != req.dump) {
    out.problems.emplace_back(multi ? "a multipart reply to a request without NLM_F_DUMP"
                                    : "a single reply to a dump request");
  }
  const ByteView attrs = msg.payload.subspan(genl_hdrlen);
  for (std::string& p : check_reply_attrs(genl.cmd, attrs, req.stats_cpu)) {
    out.problems.push_back(std::move(p));
  }
  out.data.emplace_back(attrs.begin(), attrs.end());
  if (!multi && !req.ack()) {
    out.end = Outcome::End::reply;
  }
}

}  // namespace

std::vector<std::string> check_reply_attrs(std::uint8_t cmd, ByteView attrs,
                                           std::optional<std::uint32_t> cpu) {
  std::vector<std::string> problems;
  std::string why;
  auto top = split_attrs(attrs, why);
  if (!top) {
    problems.push_back("reply attributes: " + why);
    return problems;
  }
  const Schema* schema = reply_schema(cmd);
  if (schema == nullptr) {
    return problems;
  }
  if (cmd == PCWQ_CMD_STATS_GET) {
    const auto n = std::count_if(top->begin(), top->end(), [](const Attr& a) {
      return a.kind() == PCWQ_A_POOL || a.kind() == PCWQ_A_QUEUE;
    });
    if (n != 1) {
      problems.push_back("STATS_GET message with " + std::to_string(n) + " pools and queues");
    }
    if (cpu) {
      check_cpu_filter(*top, *cpu, problems);
    }
  }
  std::vector<Pending> work(1);
  work.front().attrs = std::move(*top);
  work.front().schema = schema;
  work.front().path = std::string(schema->name);
  while (!work.empty()) {
    const Pending item = std::move(work.back());
    work.pop_back();
    check_level(item, work, problems);
  }
  return problems;
}

std::string Outcome::describe() const {
  std::ostringstream out;
  switch (end) {
    case End::nothing:
      out << "no answer";
      break;
    case End::error:
      out << (error == 0 ? "ACK" : "error " + std::to_string(error));
      break;
    case End::done:
      out << "NLMSG_DONE " << error;
      break;
    case End::reply:
      out << "a reply";
      break;
    case End::timeout:
      out << "no answer in time";
      break;
    case End::lost:
      out << "socket error " << socket_error;
      break;
  }
  if (error < 0) {
    out << " (" << std::strerror(-error) << ")";
  }
  out << ", " << data.size() << " data messages";
  if (!ext_msg.empty()) {
    out << ", extack \"" << ext_msg << "\"";
  }
  if (ext_offset) {
    out << " at offset " << *ext_offset;
  }
  return out.str();
}

Channel::Channel(std::uint16_t family, bool cap_ack) : family_(family) { reopen(cap_ack); }

void Channel::reopen(bool cap_ack) {
  int err = 0;
  auto sock = Socket::open(cap_ack, err);
  if (!sock) {
    throw std::runtime_error(std::string("netlink socket: ") + std::strerror(err));
  }
  sock_ = std::move(*sock);
}

Outcome Channel::exchange(const Request& req, int timeout_ms) {
  Outcome out;
  if (const int err = sock_.send(req.bytes); err != 0) {
    if (req.bytes.empty() && err == ENODATA && req.expect == Expect::none) {
      return out;  // Linux refuses an empty datagram in netlink_sendmsg(): nothing to answer
    }
    out.end = Outcome::End::lost;
    out.socket_error = err;
    out.problems.push_back(std::string("send failed: ") + std::strerror(err));
    return out;
  }
  // The kernel handles a message inside send(): whatever it answers is queued by now, except
  // the later parts of a dump, which come as they are read.
  const bool silent = req.expect == Expect::none || (req.expect == Expect::ack_only && !req.ack());
  while (out.end == Outcome::End::nothing) {
    bool truncated = false;
    const int err = sock_.receive(buf_, silent ? 0 : timeout_ms, truncated);
    if (err == ETIMEDOUT) {
      if (!silent) {
        out.end = Outcome::End::timeout;
      }
      return out;
    }
    if (err != 0) {
      out.end = Outcome::End::lost;
      out.socket_error = err;
      return out;
    }
    if (truncated) {
      out.problems.push_back("a datagram of more than " + std::to_string(buf_.size()) + " bytes");
    }
    std::string why;
    const auto msgs = split_messages(buf_, why);
    if (!msgs) {
      out.problems.push_back("malformed datagram: " + why + "\n" + hex(buf_));
      continue;
    }
    for (const Message& msg : *msgs) {
      take(msg, req, silent, out);
    }
  }
  return out;
}

void Channel::take(const Message& msg, const Request& req, bool silent, Outcome& out) {
  if (msg.hdr.nlmsg_seq < req.seq) {
    // An answer to an earlier request that came late: checked for form, then dropped.
    ++stale_;
    std::string why;
    if (msg.hdr.nlmsg_type == family_ &&
        (msg.payload.size() < genl_hdrlen || !split_attrs(msg.payload.subspan(genl_hdrlen), why))) {
      out.problems.push_back("late message of seq " + std::to_string(msg.hdr.nlmsg_seq) +
                             " is malformed: " + why);
    }
    return;
  }
  if (msg.hdr.nlmsg_seq > req.seq || out.end != Outcome::End::nothing) {
    out.problems.push_back("message of type " + std::to_string(msg.hdr.nlmsg_type) + " with seq " +
                           std::to_string(msg.hdr.nlmsg_seq) + " after the answer to seq " +
                           std::to_string(req.seq) + " ended");
    return;
  }
  if (out.first.empty()) {
    out.first.assign(msg.whole.begin(), msg.whole.end());
  }
  if (silent) {
    out.problems.push_back("an answer (type " + std::to_string(msg.hdr.nlmsg_type) +
                           ") to a message the kernel must not answer");
  }
  if (msg.hdr.nlmsg_type == NLMSG_ERROR) {
    take_error(msg, req, out);
  } else if (msg.hdr.nlmsg_type == NLMSG_DONE) {
    take_done(msg, req, out);
  } else if (msg.hdr.nlmsg_type == family_) {
    take_data(msg, req, out);
  } else {
    out.problems.push_back("message of unexpected type " + std::to_string(msg.hdr.nlmsg_type));
  }
}

}  // namespace nlfuzz

#include "generator.hpp"

#include <algorithm>
#include <bit>
#include <climits>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "pcwq_genl.h"

namespace nlfuzz {

// The tables below mirror module/genl.c: a new command or attribute needs a look at them,
// or "not in the op's policy" could become a valid request that changes state.
static_assert(PCWQ_CMD_MAX == PCWQ_CMD_QUEUE_SET, "new pcwq command: update the fuzzer's tables");
static_assert(PCWQ_A_MAX == PCWQ_A_EVENT_RUN_MS, "new pcwq attribute: update the fuzzer's tables");

/*
 * Why the kernel must refuse every defect below (Linux 6.1 to 7.0).
 *
 * The family registers struct genl_ops with a policy and maxattr PCWQ_A_MAX on every op,
 * resv_start_op 0 and no GENL_DONT_VALIDATE_* flag.  So genl_family_rcv_msg() parses each
 * request, doit and dump alike (genl_start), with NL_VALIDATE_STRICT, before any handler
 * runs:
 *  - unknown_type: nla_type 0 or above PCWQ_A_MAX (flag bits aside): NL_VALIDATE_MAXTYPE,
 *    "Unknown attribute type", -EINVAL.
 *  - not_in_policy: a pcwq attribute the op's policy leaves out is NLA_UNSPEC there:
 *    NL_VALIDATE_UNSPEC, "Unsupported attribute", -EINVAL.  This covers attributes of one
 *    command sent to another and reply-only attributes.
 *  - u32_length: NLA_U32 takes exactly 4 bytes under NL_VALIDATE_STRICT_ATTRS, -EINVAL.
 *  - out_of_range: NLA_POLICY_FULL_RANGE / _MAX (-ERANGE) and NLA_POLICY_MASK (-EINVAL):
 *    the configuration ranges of module/params.c, load count 1..100000, spin <= 1000000 us,
 *    sleep <= 60000 ms, delay <= 3600000 ms, max_active <= PCWQ_MAX_ACTIVE (512), queue
 *    flags within RESCUER|HIGHPRI|STEAL|NO_YIELD, and of QUEUE_ADD and QUEUE_SET: rate and
 *    burst <= 1000000, max_wait_ms and work_timeout_ms <= 3600000.
 *  - bad_string: the name is NLA_NUL_STRING with len 31: a NUL must come within the first
 *    32 bytes and an empty payload has none, -EINVAL.  (A NUL early with bytes after it is
 *    accepted, so it is never used as a defect.)
 *  - bad_cpus: QUEUE_ADD's CPU list, NLA_NUL_STRING with len PCWQ_QUEUE_CPUS_MAX_LEN: without
 *    a NUL in the first 1024 bytes the policy refuses it, -EINVAL.  A NUL-terminated list the
 *    policy passes to the handler, which parses it (cpulist_parse()) before it creates anything
 *    and refuses, -EINVAL: a malformed one, one with a CPU beyond any kernel's NR_CPUS (8192)
 *    or an empty one.  Every other CPU list in the request is dropped, so that no valid list
 *    can stand in for it (the last attribute of a type counts).
 *  - flag_payload: NLA_FLAG (DRAIN's PLUG) with a payload, -ERANGE.
 *  - nested_flag: NLA_F_NESTED on an attribute the policy does not type as nested:
 *    NL_VALIDATE_NESTED, "NLA_F_NESTED not expected", -EINVAL.
 *  - short_attr, trailing, overrun, cut: an attribute with nla_len < 4, 1..3 bytes after the
 *    last attribute, or a last attribute whose nla_len runs past nlmsg_len: the attribute
 *    walk stops early, "bytes leftover after parsing attributes", NL_VALIDATE_TRAILING,
 *    -EINVAL.
 *  - short_genl: nlmsg_len shorter than the genl header: genl_family_rcv_msg(), -EINVAL.
 *  - reserved_byte, reserved_flags: genl_header_check() for commands >= resv_start_op (all):
 *    genlmsghdr.reserved must be 0 and nlmsg_flags may hold only REQUEST, ACK, ECHO and the
 *    DUMP pair, -EINVAL.
 *  - dump_on_doit / doit_on_dump: NLM_F_DUMP on an op without dumpit, or its absence on one
 *    without doit: genl_get_cmd(), -EOPNOTSUPP.
 * What is deliberately NOT counted as a defect, because a kernel may accept it: a queue name
 * with characters outside [A-Za-z0-9_.:-] or an empty one (a validate function being added),
 * a CPU number at or above the number of CPUs (checked by the handler or a newer policy),
 * a wrong genl version, NLA_F_NET_BYTEORDER, duplicated attributes, NLM_F_ECHO.  They are
 * used as noise on requests that carry a counted defect.
 *
 * Framing that netlink_rcv_skb() drops without any answer (nlmsg_len below NLMSG_HDRLEN or
 * above the bytes sent, a datagram shorter than a header) reaches no handler either; such
 * messages are sent for every command, changing ones included, and must get no answer.
 */

namespace {

enum class Kind : std::uint8_t { u32, cpu, name, flag, cpus };

/// One attribute of an op's policy.
struct Spec {
  std::uint16_t type = 0;
  Kind kind = Kind::u32;
  std::uint32_t min = 0;
  std::uint32_t max = UINT32_MAX;
  std::uint32_t mask = 0;  ///< NLA_POLICY_MASK: the bits allowed
  bool checked = false;    ///< the policy enforces min..max or mask
};

constexpr Spec u32_range(std::uint16_t type, std::uint32_t min, std::uint32_t max) {
  return {type, Kind::u32, min, max, 0, true};
}

/// PCWQ_MAX_ACTIVE of module/include/pcwq.h.
constexpr std::uint32_t max_active_limit = 512;

constexpr Spec name_spec{PCWQ_A_QUEUE_NAME, Kind::name};

/// The rate limit and aging of a queue, in QUEUE_ADD and QUEUE_SET.
constexpr Spec rate_spec = u32_range(PCWQ_A_QUEUE_RATE, 0, 1000000);
constexpr Spec burst_spec = u32_range(PCWQ_A_QUEUE_BURST, 0, 1000000);
constexpr Spec max_wait_spec = u32_range(PCWQ_A_QUEUE_MAX_WAIT_MS, 0, 3600000);
constexpr Spec work_timeout_spec = u32_range(PCWQ_A_QUEUE_WORK_TIMEOUT_MS, 0, 3600000);
constexpr Spec capacity_spec{PCWQ_A_QUEUE_CAPACITY, Kind::u32};
/// A CPU list (QUEUE_ADD): a string the handler parses.
constexpr Spec cpus_spec{PCWQ_A_QUEUE_CPUS, Kind::cpus};

// The ranges of module/params.c.
constexpr std::array config_set_attrs{
    u32_range(PCWQ_A_WATCHDOG_THRESH, 0, 3600),
    u32_range(PCWQ_A_PANIC_ON_STALL, 0, 1000),
    u32_range(PCWQ_A_PANIC_ON_STALL_TIME, 0, 86400),
    u32_range(PCWQ_A_RESCUER_MODE, 0, PCWQ_RESCUER_BATCH),
    u32_range(PCWQ_A_RESCUER_BATCH, 1, 1024),
    u32_range(PCWQ_A_MAYDAY_TIMEOUT_MS, 1, 10000),
    u32_range(PCWQ_A_WORKER_IDLE_SECS, 1, 3600),
    u32_range(PCWQ_A_INJECT_WORKER_FAIL, 0, 1),
};
constexpr std::array queue_add_attrs{
    name_spec,
    Spec{PCWQ_A_QUEUE_FLAGS, Kind::u32, 0, UINT32_MAX,
         PCWQ_QUEUE_F_RESCUER | PCWQ_QUEUE_F_HIGHPRI | PCWQ_QUEUE_F_STEAL | PCWQ_QUEUE_F_NO_YIELD,
         true},
    u32_range(PCWQ_A_QUEUE_MAX_ACTIVE, 0, max_active_limit),
    capacity_spec,
    rate_spec,
    burst_spec,
    max_wait_spec,
    work_timeout_spec,
    cpus_spec,
};
// A valid QUEUE_SET on an existing queue changes it: the base is sent only with defects
// (root phase) or without privileges (-EPERM), like every other change.
constexpr std::array queue_set_attrs{name_spec,  capacity_spec, rate_spec,
                                     burst_spec, max_wait_spec, work_timeout_spec};
constexpr std::array name_attrs{name_spec};
constexpr std::array load_attrs{
    name_spec,
    u32_range(PCWQ_A_LOAD_COUNT, 1, 100000),
    Spec{PCWQ_A_LOAD_CPU, Kind::cpu},
    u32_range(PCWQ_A_LOAD_SPIN_US, 0, 1000000),
    u32_range(PCWQ_A_LOAD_SLEEP_MS, 0, 60000),
    u32_range(PCWQ_A_LOAD_DELAY_MS, 0, 3600000),
};
constexpr std::array drain_attrs{name_spec, Spec{PCWQ_A_PLUG, Kind::flag}};
constexpr std::array stats_attrs{Spec{PCWQ_A_STATS_CPU, Kind::cpu}};

struct OpSpec {
  std::uint8_t cmd = 0;
  std::string_view name;
  bool admin = false;
  bool dump = false;  ///< dumpit only
  std::span<const Spec> attrs;
};

constexpr std::array ops{
    OpSpec{PCWQ_CMD_STATUS_GET, "STATUS_GET", false, false, {}},
    OpSpec{PCWQ_CMD_CONFIG_GET, "CONFIG_GET", false, false, {}},
    OpSpec{PCWQ_CMD_CONFIG_SET, "CONFIG_SET", true, false, config_set_attrs},
    OpSpec{PCWQ_CMD_QUEUE_ADD, "QUEUE_ADD", true, false, queue_add_attrs},
    OpSpec{PCWQ_CMD_QUEUE_DEL, "QUEUE_DEL", true, false, name_attrs},
    OpSpec{PCWQ_CMD_QUEUE_GET, "QUEUE_GET", false, true, {}},
    OpSpec{PCWQ_CMD_LOAD, "LOAD", true, false, load_attrs},
    OpSpec{PCWQ_CMD_FLUSH, "FLUSH", true, false, name_attrs},
    OpSpec{PCWQ_CMD_DRAIN, "DRAIN", true, false, drain_attrs},
    OpSpec{PCWQ_CMD_UNPLUG, "UNPLUG", true, false, name_attrs},
    OpSpec{PCWQ_CMD_STATS_GET, "STATS_GET", false, true, stats_attrs},
    OpSpec{PCWQ_CMD_STATS_RESET, "STATS_RESET", true, false, {}},
    OpSpec{PCWQ_CMD_QUEUE_SET, "QUEUE_SET", true, false, queue_set_attrs},
};

const OpSpec* find_op(std::uint8_t cmd) {
  const auto* it =
      std::find_if(ops.begin(), ops.end(), [cmd](const OpSpec& op) { return op.cmd == cmd; });
  return it == ops.end() ? nullptr : &*it;
}

const Spec* find_spec(const OpSpec& op, std::uint16_t type) {
  const auto it = std::find_if(op.attrs.begin(), op.attrs.end(),
                               [type](const Spec& s) { return s.type == type; });
  return it == op.attrs.end() ? nullptr : &*it;
}

enum class Defect : std::uint8_t {
  unknown_type,
  not_in_policy,
  u32_length,
  out_of_range,
  bad_string,
  bad_cpus,
  flag_payload,
  nested_flag,
  dump_on_doit,
  doit_on_dump,
  reserved_byte,
  reserved_flags,
  short_attr,
  trailing,
  overrun,
  cut,
  short_genl,
};

constexpr std::array all_defects{
    Defect::unknown_type, Defect::not_in_policy, Defect::u32_length,    Defect::out_of_range,
    Defect::bad_string,   Defect::bad_cpus,      Defect::flag_payload,  Defect::nested_flag,
    Defect::dump_on_doit, Defect::doit_on_dump,  Defect::reserved_byte, Defect::reserved_flags,
    Defect::short_attr,   Defect::trailing,      Defect::overrun,       Defect::cut,
    Defect::short_genl,
};

bool is_tail(Defect d) {
  return d == Defect::trailing || d == Defect::overrun || d == Defect::cut ||
         d == Defect::short_genl;
}

/// One attribute as it will be written, right or wrong.
struct Piece {
  std::uint16_t type = 0;
  Bytes payload;
  std::optional<std::uint16_t> len;  ///< nla_len when not 4 + the payload
  bool pad = true;
  bool garbage = false;  ///< the payload is written as is, without a header
  bool defect = false;   ///< carries a counted defect: noise leaves it alone
};

/// A well-formed attribute.
Piece sound(std::uint16_t type, Bytes payload) {
  Piece p;
  p.type = type;
  p.payload = std::move(payload);
  return p;
}

/// An attribute that carries a counted defect.
Piece spoilt(std::uint16_t type, Bytes payload) {
  Piece p = sound(type, std::move(payload));
  p.defect = true;
  return p;
}

/// How the message ends.
enum class Tail : std::uint8_t { none, trailing, overrun, cut, short_genl };

/// A request being built.
struct Draft {
  const OpSpec* op = nullptr;  ///< nullptr for an unknown command
  std::uint8_t cmd = 0;
  std::uint8_t version = PCWQ_GENL_VERSION;
  std::uint16_t reserved = 0;
  std::uint16_t flags = NLM_F_REQUEST;
  std::uint32_t pid = 0;
  std::vector<Piece> attrs;
  Tail tail = Tail::none;
  Expect expect = Expect::any;
  std::optional<std::uint32_t> stats_cpu;  ///< of a valid STATS_GET, before any noise
  std::string kind;
  std::vector<std::string> defects;
  std::vector<std::string> noise;
};

std::string hex_value(std::uint32_t value) {
  std::ostringstream out;
  out << "0x" << std::hex << value;
  return out.str();
}

constexpr std::string_view name_chars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-";
constexpr std::size_t alnum_count = 62;

/// Names outside [A-Za-z0-9_.:-] (first char alnum), 0..31 bytes so that the NUL string
/// policy itself accepts them.
constexpr std::array<std::string_view, 20> bad_char_names{
    "",        "a/b",  "a b",   "x\n",  "\xc3\xa9t\xc3\xa9",
    "-x",      ".x",   "_x",    ":x",   "a\tb",
    "caf\xe9", "\xc0", "q\xff", "\x7f", "a*b",
    "../x",    "a\\b", "%s%n",  "a\rb", "\x01"};

/// CPU lists the module's handler refuses as malformed (cpulist_parse() fails): never "N"
/// (the last CPU), nor blanks, which it accepts.
constexpr std::array<std::string_view, 12> malformed_cpu_lists{
    "x", "abc", "1-", "-1", "3-1", "0x1", "1;2", "a-b", "1.5", "0-", "1-2-3", "#"};

/// The longest CPU list the policy takes, PCWQ_QUEUE_CPUS_MAX_LEN.
constexpr std::uint32_t cpus_max_len = PCWQ_QUEUE_CPUS_MAX_LEN;

/// The random side of the generator.
class Builder {
 public:
  Builder(Rng& rng, const Target& target) : rng_(rng), target_(target) {}

  Request next(std::uint32_t seq) {
    const std::uint32_t r = rng_.below(100);
    if (r < 18) {
      return finish(valid_read_draft(pick_read()), seq);
    }
    if (r < 30) {
      return finish(fuzzed_read(), seq);
    }
    if (r < 35) {
      return finish(unknown_command(), seq);
    }
    if (r < 40) {
      return dropped(seq);
    }
    if (r < 43) {
      return finish(not_a_request(), seq);
    }
    return finish(admin(), seq);
  }

 private:
  Rng& rng_;
  const Target& target_;

  std::uint8_t pick_read() {
    static constexpr std::array<std::uint8_t, 4> reads{PCWQ_CMD_STATUS_GET, PCWQ_CMD_CONFIG_GET,
                                                       PCWQ_CMD_QUEUE_GET, PCWQ_CMD_STATS_GET};
    return rng_.pick(std::span<const std::uint8_t>(reads));
  }

  std::uint8_t pick_admin() {
    static constexpr std::array<std::uint8_t, 9> admins{
        PCWQ_CMD_CONFIG_SET, PCWQ_CMD_QUEUE_ADD,   PCWQ_CMD_QUEUE_DEL,
        PCWQ_CMD_LOAD,       PCWQ_CMD_FLUSH,       PCWQ_CMD_DRAIN,
        PCWQ_CMD_UNPLUG,     PCWQ_CMD_STATS_RESET, PCWQ_CMD_QUEUE_SET};
    return rng_.pick(std::span<const std::uint8_t>(admins));
  }

  std::string valid_name() {
    if (!target_.queues.empty() && rng_.percent(50)) {
      return rng_.pick(std::span<const std::string>(target_.queues));
    }
    if (rng_.percent(50)) {
      return "fz" + std::to_string(rng_.below(10));
    }
    const std::uint32_t len = rng_.between(1, 31);
    std::string name(1, name_chars.at(rng_.below(alnum_count)));
    while (name.size() < len) {
      name += name_chars.at(rng_.below(static_cast<std::uint32_t>(name_chars.size())));
    }
    return name;
  }

  std::uint32_t valid_u32(const Spec& s) {
    if (s.kind == Kind::cpu) {
      return rng_.below(target_.cpus);
    }
    if (s.mask != 0) {
      return static_cast<std::uint32_t>(rng_.next()) & s.mask;
    }
    if (s.checked && rng_.percent(50)) {
      return rng_.between(s.min, s.min + std::min<std::uint32_t>(10, s.max - s.min));
    }
    return rng_.between(s.min, s.max);
  }

  /// A CPU list of online CPUs: one CPU, or a range.
  std::string valid_cpu_list() {
    const std::uint32_t first = rng_.below(target_.cpus);
    if (rng_.percent(50)) {
      return std::to_string(first);
    }
    return std::to_string(first) + "-" + std::to_string(rng_.between(first, target_.cpus - 1));
  }

  Bytes valid_payload(const Spec& s) {
    switch (s.kind) {
      case Kind::name:
        return string_bytes(valid_name(), true);
      case Kind::cpus:
        return string_bytes(valid_cpu_list(), true);
      case Kind::flag:
        return {};
      case Kind::u32:
      case Kind::cpu:
        break;
    }
    return u32_bytes(valid_u32(s));
  }

  /// Attributes of random types and sizes, some malformed, nested up to 3 levels deep.
  Bytes nested_garbage() {
    Bytes inner = flat_garbage();
    const std::uint32_t levels = rng_.below(4);
    for (std::uint32_t i = 0; i < levels; ++i) {
      Bytes outer = flat_garbage();
      append_attr(outer, static_cast<std::uint16_t>(rng_.below(0x4000) | nla_f_nested), inner);
      if (rng_.percent(30)) {
        append_bytes(outer, flat_garbage());
      }
      inner = std::move(outer);
    }
    return inner;
  }

  Bytes flat_garbage() {
    Bytes out;
    const std::uint32_t n = rng_.below(5);
    for (std::uint32_t i = 0; i < n; ++i) {
      const Bytes payload = rng_.bytes(rng_.below(17));
      std::optional<std::uint16_t> len;
      if (rng_.percent(15)) {
        len = static_cast<std::uint16_t>(rng_.below(64));
      }
      append_attr(out, static_cast<std::uint16_t>(rng_.below(0x10000)), payload, len);
    }
    return out;
  }

  static void insert_at(std::vector<Piece>& attrs, std::size_t at, Piece piece) {
    attrs.insert(attrs.begin() + static_cast<std::ptrdiff_t>(std::min(at, attrs.size())),
                 std::move(piece));
  }

  void insert(Draft& d, Piece piece) {
    insert_at(d.attrs, rng_.below(static_cast<std::uint32_t>(d.attrs.size() + 1)),
              std::move(piece));
  }

  /// An attribute of type, not yet carrying a defect, to spoil; nullptr when there is none.
  Piece* sound_piece(Draft& d, std::uint16_t type) {
    std::vector<Piece*> found;
    for (Piece& p : d.attrs) {
      if (!p.garbage && !p.defect && (p.type & nla_type_bits) == type) {
        found.push_back(&p);
      }
    }
    return found.empty() ? nullptr : found.at(rng_.below(static_cast<std::uint32_t>(found.size())));
  }

  /// Spoils an existing attribute of the type, or adds a spoilt one.
  void spoil(Draft& d, std::uint16_t type, Bytes payload) {
    Piece* p = sound_piece(d, type);
    if (p != nullptr && rng_.percent(70)) {
      p->type = type;
      p->payload = std::move(payload);
      p->len.reset();
      p->defect = true;
      return;
    }
    insert(d, spoilt(type, std::move(payload)));
  }

  /// The base of a request: the op's attributes with valid values, each present or not
  /// (the name usually present).
  Draft base(std::uint8_t cmd) {
    Draft d;
    d.cmd = cmd;
    d.op = find_op(cmd);
    if (d.op == nullptr) {
      return d;
    }
    if (d.op->dump) {
      d.flags |= NLM_F_DUMP;
    }
    for (const Spec& s : d.op->attrs) {
      if (rng_.percent(s.kind == Kind::name ? 90 : 50)) {
        d.attrs.push_back(sound(s.type, valid_payload(s)));
      }
    }
    if (d.op->cmd == PCWQ_CMD_CONFIG_SET && d.attrs.empty()) {
      d.attrs.push_back(sound(PCWQ_A_WATCHDOG_THRESH, u32_bytes(rng_.between(0, 3600))));
    }
    return d;
  }

  Draft valid_read_draft(std::uint8_t cmd) {
    Draft d;
    d.cmd = cmd;
    d.op = find_op(cmd);
    d.kind = "valid read";
    d.expect = Expect::reply;
    if (is_dump_command(cmd)) {
      d.flags |= NLM_F_DUMP;
    }
    if (rng_.percent(50)) {
      d.flags |= NLM_F_ACK;
    }
    if (cmd == PCWQ_CMD_STATS_GET && rng_.percent(50)) {
      d.stats_cpu = rng_.below(target_.cpus);
      d.attrs.push_back(sound(PCWQ_A_STATS_CPU, u32_bytes(*d.stats_cpu)));
    }
    return d;
  }

  static bool applicable(Defect defect, const Draft& d) {
    const auto has = [&d](auto pred) {
      return std::any_of(d.op->attrs.begin(), d.op->attrs.end(), pred);
    };
    switch (defect) {
      case Defect::u32_length:
        return has([](const Spec& s) { return s.kind == Kind::u32 || s.kind == Kind::cpu; });
      case Defect::out_of_range:
        return has([](const Spec& s) { return s.checked; });
      case Defect::bad_string:
        return has([](const Spec& s) { return s.kind == Kind::name; });
      case Defect::bad_cpus:
        return has([](const Spec& s) { return s.kind == Kind::cpus; });
      case Defect::flag_payload:
        return has([](const Spec& s) { return s.kind == Kind::flag; });
      case Defect::nested_flag:
        return !d.op->attrs.empty();
      case Defect::dump_on_doit:
        return !d.op->dump;
      case Defect::doit_on_dump:
        return d.op->dump;
      default:
        return true;
    }
  }

  /// Adds n defects (at least one) that apply to the draft's op, at most one at the tail.
  void add_defects(Draft& d, std::uint32_t n) {
    std::vector<Defect> choice;
    for (const Defect defect : all_defects) {
      if (applicable(defect, d)) {
        choice.push_back(defect);
      }
    }
    bool tail = false;
    std::uint32_t added = 0;
    while (added < std::max<std::uint32_t>(n, 1) && !choice.empty()) {
      const std::size_t i = rng_.below(static_cast<std::uint32_t>(choice.size()));
      const Defect defect = choice.at(i);
      choice.erase(choice.begin() + static_cast<std::ptrdiff_t>(i));
      if (is_tail(defect) && tail) {
        continue;
      }
      tail = tail || is_tail(defect);
      apply(defect, d);
      ++added;
    }
  }

  const Spec& pick_spec(const Draft& d, bool (*pred)(const Spec&)) {
    std::vector<const Spec*> specs;
    for (const Spec& s : d.op->attrs) {
      if (pred(s)) {
        specs.push_back(&s);
      }
    }
    return *specs.at(rng_.below(static_cast<std::uint32_t>(specs.size())));
  }

  void apply(Defect defect, Draft& d) {
    switch (defect) {
      case Defect::unknown_type:
        return unknown_type(d);
      case Defect::not_in_policy:
        return not_in_policy(d);
      case Defect::u32_length:
        return u32_length(d);
      case Defect::out_of_range:
        return out_of_range(d);
      case Defect::bad_string:
        return bad_string(d);
      case Defect::bad_cpus:
        return bad_cpus(d);
      case Defect::flag_payload: {
        const std::uint32_t n = rng_.between(1, 8);
        spoil(d, PCWQ_A_PLUG, rng_.bytes(n));
        d.defects.push_back("PLUG flag with " + std::to_string(n) + " bytes of payload");
        return;
      }
      case Defect::nested_flag:
        return nested_flag(d);
      case Defect::dump_on_doit:
        d.flags |= NLM_F_DUMP;
        d.defects.emplace_back("NLM_F_DUMP on an op without dumpit");
        return;
      case Defect::doit_on_dump:
        d.flags &= static_cast<std::uint16_t>(~NLM_F_DUMP);
        d.defects.emplace_back("no NLM_F_DUMP on an op without doit");
        return;
      case Defect::reserved_byte:
        d.reserved = static_cast<std::uint16_t>(rng_.between(1, 0xffff));
        d.defects.push_back("genlmsghdr.reserved " + hex_value(d.reserved));
        return;
      case Defect::reserved_flags:
        return reserved_flags(d);
      case Defect::short_attr:
        return short_attr(d);
      case Defect::trailing:
        d.tail = Tail::trailing;
        return;
      case Defect::overrun:
        d.tail = Tail::overrun;
        return;
      case Defect::cut:
        d.tail = Tail::cut;
        return;
      case Defect::short_genl:
        d.tail = Tail::short_genl;
        return;
    }
  }

  void unknown_type(Draft& d) {
    const std::uint16_t base =
        rng_.percent(20) ? std::uint16_t{0}
                         : static_cast<std::uint16_t>(rng_.between(PCWQ_A_MAX + 1, nla_type_bits));
    static constexpr std::array<std::uint16_t, 5> flag_sets{0, 0, nla_f_nested, nla_f_net_byteorder,
                                                            nla_f_nested | nla_f_net_byteorder};
    const std::uint16_t type = base | rng_.pick(std::span<const std::uint16_t>(flag_sets));
    Bytes payload = (type & nla_f_nested) != 0 && rng_.percent(70) ? nested_garbage()
                                                                   : rng_.bytes(rng_.below(65));
    insert(d, spoilt(type, std::move(payload)));
    d.defects.push_back("unknown attribute type " + hex_value(type));
  }

  void not_in_policy(Draft& d) {
    std::vector<std::uint16_t> types;
    for (std::uint16_t t = 1; t <= PCWQ_A_MAX; ++t) {
      if (find_spec(*d.op, t) == nullptr) {
        types.push_back(t);
      }
    }
    std::uint16_t type = rng_.pick(std::span<const std::uint16_t>(types));
    Bytes payload;
    const std::uint32_t r = rng_.below(100);
    if (r < 55) {
      payload =
          u32_bytes(rng_.percent(50) ? rng_.below(8) : static_cast<std::uint32_t>(rng_.next()));
    } else if (r < 70) {
      payload = string_bytes(valid_name(), true);
    } else if (r < 80) {
      payload = {};
    } else if (r < 90) {
      type |= nla_f_nested;
      payload = nested_garbage();
    } else {
      payload = rng_.bytes(rng_.below(41));
    }
    insert(d, spoilt(type, std::move(payload)));
    d.defects.push_back("attribute " + std::to_string(type & nla_type_bits) + " not in the " +
                        std::string(d.op->name) + " policy");
  }

  void u32_length(Draft& d) {
    const Spec& s =
        pick_spec(d, [](const Spec& x) { return x.kind == Kind::u32 || x.kind == Kind::cpu; });
    static constexpr std::array<std::uint32_t, 10> lengths{0, 1, 2, 3, 5, 6, 7, 8, 12, 16};
    const std::uint32_t len = rng_.pick(std::span<const std::uint32_t>(lengths));
    Bytes payload = u32_bytes(valid_u32(s));
    payload.resize(len, std::byte{0});
    spoil(d, s.type, std::move(payload));
    d.defects.push_back("u32 attribute " + std::to_string(s.type) + " of " + std::to_string(len) +
                        " bytes");
  }

  std::uint32_t outside(const Spec& s) {
    if (s.mask != 0) {
      std::uint32_t bit = 0;
      do {
        bit = std::uint32_t{1} << rng_.below(32);
      } while ((bit & s.mask) != 0);
      return (static_cast<std::uint32_t>(rng_.next()) & s.mask) | bit;
    }
    if (s.min > 0 && rng_.percent(30)) {
      return rng_.below(s.min);
    }
    switch (rng_.below(4)) {
      case 0:
        return s.max + 1;
      case 1:
        return UINT32_MAX;
      case 2:
        return s.max + 1 + rng_.below(1000);
      default:
        return rng_.between(s.max + 1, UINT32_MAX);
    }
  }

  void out_of_range(Draft& d) {
    const Spec& s = pick_spec(d, [](const Spec& x) { return x.checked; });
    const std::uint32_t value = outside(s);
    spoil(d, s.type, u32_bytes(value));
    d.defects.push_back("attribute " + std::to_string(s.type) + " = " + std::to_string(value) +
                        " out of range");
  }

  Bytes name_chars_bytes(std::uint32_t n) {
    std::string text;
    for (std::uint32_t i = 0; i < n; ++i) {
      text += name_chars.at(rng_.below(static_cast<std::uint32_t>(name_chars.size())));
    }
    return string_bytes(text, false);
  }

  void bad_string(Draft& d) {
    Bytes payload;
    std::string what;
    switch (rng_.below(4)) {
      case 0: {
        const std::uint32_t n = rng_.between(1, 31);
        payload = name_chars_bytes(n);
        what = "name of " + std::to_string(n) + " bytes without NUL";
        break;
      }
      case 1: {
        const std::uint32_t n = rng_.between(32, 200);
        payload = name_chars_bytes(n);
        payload.push_back(std::byte{0});
        what = "name of " + std::to_string(n) + " bytes (over 31)";
        break;
      }
      case 2: {
        const std::uint32_t n = rng_.between(32, 300);
        payload = name_chars_bytes(n);
        what = "name of " + std::to_string(n) + " bytes without NUL";
        break;
      }
      default:
        what = "name with an empty payload";
        break;
    }
    spoil(d, PCWQ_A_QUEUE_NAME, std::move(payload));
    d.defects.push_back(what);
  }

  void bad_cpus(Draft& d) {
    Bytes payload;
    std::string what;
    switch (rng_.below(5)) {
      case 0: {
        const std::string_view text =
            rng_.pick(std::span<const std::string_view>(malformed_cpu_lists));
        payload = string_bytes(text, true);
        what = "malformed CPU list \"" + std::string(text) + "\"";
        break;
      }
      case 1: {
        // Beyond NR_CPUS of any kernel (at most 8192), so never a possible CPU.
        const std::uint32_t cpu = rng_.between(10000, 99999);
        const std::string text =
            rng_.percent(50) ? valid_cpu_list() + "," + std::to_string(cpu) : std::to_string(cpu);
        payload = string_bytes(text, true);
        what = "CPU list \"" + text + "\" with an impossible CPU";
        break;
      }
      case 2:
        payload = string_bytes("", true);
        what = "empty CPU list";
        break;
      case 3: {
        const std::uint32_t n = rng_.between(1, 40);
        payload = string_bytes(std::string(n, '1'), false);
        what = "CPU list of " + std::to_string(n) + " bytes without NUL";
        break;
      }
      default: {
        const std::uint32_t n = rng_.between(cpus_max_len + 1, cpus_max_len + 200);
        std::string text = "0";
        while (text.size() < n) {
          text += ",0";
        }
        text.resize(n);
        payload = string_bytes(text, true);
        what = "CPU list of " + std::to_string(n) + " bytes (over " + std::to_string(cpus_max_len) +
               ")";
        break;
      }
    }
    // No sound list may remain: the kernel takes the last one of a type.
    std::erase_if(d.attrs, [](const Piece& p) {
      return !p.garbage && !p.defect && (p.type & nla_type_bits) == PCWQ_A_QUEUE_CPUS;
    });
    insert(d, spoilt(PCWQ_A_QUEUE_CPUS, std::move(payload)));
    d.defects.push_back(what);
  }

  void nested_flag(Draft& d) {
    const Spec& s = pick_spec(d, [](const Spec&) { return true; });
    Piece* p = sound_piece(d, s.type);
    if (p != nullptr) {
      p->type = s.type | nla_f_nested;
      p->defect = true;
    } else {
      insert(d, spoilt(static_cast<std::uint16_t>(s.type | nla_f_nested), valid_payload(s)));
    }
    d.defects.push_back("NLA_F_NESTED on attribute " + std::to_string(s.type));
  }

  void reserved_flags(Draft& d) {
    // Not NLM_F_ROOT or NLM_F_MATCH alone: with the other they make NLM_F_DUMP.
    static constexpr std::array<std::uint16_t, 9> bits{
        NLM_F_MULTI,  NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED,
        NLM_F_ATOMIC, NLM_F_APPEND,    0x1000,
        0x2000,       0x4000,          0x8000};
    const std::uint16_t bit = rng_.pick(std::span<const std::uint16_t>(bits));
    d.flags |= bit;
    d.defects.push_back("reserved nlmsg_flags bit " + hex_value(bit));
  }

  void short_attr(Draft& d) {
    const auto len = static_cast<std::uint16_t>(rng_.below(4));
    Piece p = spoilt(static_cast<std::uint16_t>(rng_.below(0x10000)), rng_.bytes(rng_.below(9)));
    p.len = len;
    p.pad = rng_.percent(50);
    insert(d, std::move(p));
    d.defects.push_back("attribute with nla_len " + std::to_string(len));
  }

  Draft fuzzed_read() {
    Draft d = valid_read_draft(pick_read());
    d.kind = "fuzzed read";
    d.stats_cpu.reset();
    d.expect = Expect::reply;
    if (rng_.percent(60)) {
      add_defects(d, rng_.between(1, 2));
    }
    add_noise(d);
    return d;
  }

  Draft admin() {
    Draft d = base(pick_admin());
    d.kind = "change";
    if (target_.privileged || rng_.percent(70)) {
      add_defects(d, rng_.between(1, 3));
    } else {
      d.expect = Expect::eperm;
    }
    add_noise(d);
    return d;
  }

  Draft unknown_command() {
    std::uint8_t cmd = 0;
    switch (rng_.below(3)) {
      case 0:
        cmd = PCWQ_CMD_UNSPEC;
        break;
      case 1:
        cmd = PCWQ_CMD_EVENT;
        break;
      default:
        cmd = static_cast<std::uint8_t>(rng_.between(PCWQ_CMD_MAX + 1, 255));
        break;
    }
    Draft d = base(pick_admin());
    d.cmd = cmd;
    d.kind = "unknown command";
    d.defects.push_back("command " + std::to_string(cmd) + " has no op");
    if (rng_.percent(20)) {
      d.flags |= NLM_F_DUMP;
    }
    if (rng_.percent(30)) {
      insert(d, sound(static_cast<std::uint16_t>(rng_.below(0x10000)), nested_garbage()));
    }
    add_noise(d);
    return d;
  }

  Draft not_a_request() {
    Draft d = valid_read_draft(pick_read());
    d.kind = "not a request";
    d.flags = static_cast<std::uint16_t>(rng_.below(0x10000) & ~std::uint32_t{NLM_F_REQUEST});
    d.expect = Expect::ack_only;
    d.noise.push_back("nlmsg_flags " + hex_value(d.flags) + " without NLM_F_REQUEST");
    return d;
  }

  /// Framing netlink_rcv_skb() drops: any command, changing ones included.
  Request dropped(std::uint32_t seq) {
    const std::uint8_t cmd =
        rng_.percent(80) ? pick_admin() : static_cast<std::uint8_t>(rng_.below(256));
    Draft d = base(cmd);
    d.kind = "dropped framing";
    d.expect = Expect::none;
    Request req = finish(d, seq);
    const auto real = static_cast<std::uint32_t>(req.bytes.size());
    std::uint32_t len = 0;
    switch (rng_.below(3)) {
      case 0:
        len = rng_.percent(20) ? UINT32_MAX : real + rng_.between(1, 4096);
        store(req.bytes, 0, len);
        req.noise.push_back("nlmsg_len " + std::to_string(len) + " with " + std::to_string(real) +
                            " bytes sent");
        break;
      case 1:
        len = rng_.below(static_cast<std::uint32_t>(nlmsg_hdrlen));
        store(req.bytes, 0, len);
        req.noise.push_back("nlmsg_len " + std::to_string(len) + " below NLMSG_HDRLEN");
        break;
      default:
        req.bytes.resize(rng_.below(static_cast<std::uint32_t>(nlmsg_hdrlen)));
        req.noise.push_back("datagram of " + std::to_string(req.bytes.size()) + " bytes");
        break;
    }
    req.expect = Expect::none;
    req.defects.clear();
    return req;
  }

  /// Perturbations that are not relied upon; they never touch an attribute with a defect.
  void add_noise(Draft& d) {
    if (rng_.percent(25)) {
      d.version = static_cast<std::uint8_t>(rng_.below(256));
      d.noise.push_back("genl version " + std::to_string(d.version));
    }
    if (rng_.percent(50)) {
      d.flags ^= NLM_F_ACK;
    }
    if (rng_.percent(8)) {
      d.flags |= NLM_F_ECHO;
      d.noise.emplace_back("NLM_F_ECHO");
    }
    if (rng_.percent(8)) {
      d.pid = static_cast<std::uint32_t>(rng_.next());
      d.noise.push_back("nlmsg_pid " + hex_value(d.pid));
    }
    if (d.op != nullptr) {
      op_noise(d);
    }
    if (d.attrs.size() > 1 && rng_.percent(15)) {
      std::vector<Piece> shuffled;
      for (Piece& p : d.attrs) {
        insert_at(shuffled, rng_.below(static_cast<std::uint32_t>(shuffled.size() + 1)),
                  std::move(p));
      }
      d.attrs = std::move(shuffled);
      d.noise.emplace_back("attributes shuffled");
    }
    if (rng_.percent(3)) {
      oversize(d);
    }
  }

  void op_noise(Draft& d) {
    if (rng_.percent(10) && !d.attrs.empty()) {
      const Piece& p = d.attrs.at(rng_.below(static_cast<std::uint32_t>(d.attrs.size())));
      if (!p.defect && !p.garbage) {
        Piece copy = p;
        insert(d, std::move(copy));
        d.noise.push_back("attribute " + std::to_string(p.type & nla_type_bits) + " twice");
      }
    }
    if (find_spec(*d.op, PCWQ_A_QUEUE_NAME) != nullptr && rng_.percent(20)) {
      if (Piece* p = sound_piece(d, PCWQ_A_QUEUE_NAME); p != nullptr) {
        const std::string_view name = rng_.pick(std::span<const std::string_view>(bad_char_names));
        p->payload = string_bytes(name, true);
        d.noise.push_back("name \"" + printable(p->payload) + "\"");
      }
    }
    for (const std::uint16_t type :
         {std::uint16_t{PCWQ_A_LOAD_CPU}, std::uint16_t{PCWQ_A_STATS_CPU}}) {
      if (find_spec(*d.op, type) == nullptr || !rng_.percent(15)) {
        continue;
      }
      if (Piece* p = sound_piece(d, type); p != nullptr) {
        const std::uint32_t cpu = rng_.percent(50) ? target_.cpus + rng_.below(8)
                                                   : static_cast<std::uint32_t>(rng_.next());
        p->payload = u32_bytes(cpu);
        d.noise.push_back("CPU " + std::to_string(cpu));
        if (d.expect == Expect::reply) {
          d.expect = Expect::any;
        }
      }
    }
  }

  /// Up to 64 KiB: many attributes, or a few huge ones.  Only valid duplicates or counted
  /// defects (unknown types) are added.
  void oversize(Draft& d) {
    const std::size_t goal = rng_.between(4096, 65536 - 1024);
    std::size_t size = 0;
    for (const Piece& p : d.attrs) {
      size += align4(nla_hdrlen + p.payload.size());
    }
    std::vector<Piece> valid;
    for (const Piece& p : d.attrs) {
      if (!p.defect && !p.garbage) {
        valid.push_back(p);
      }
    }
    const bool duplicates = !valid.empty() && rng_.percent(50);
    std::uint32_t added = 0;
    while (size < goal) {
      Piece p;
      if (duplicates) {
        p = valid.at(rng_.below(static_cast<std::uint32_t>(valid.size())));
      } else {
        const std::size_t room = std::min<std::size_t>(goal - size, 0xffff - nla_hdrlen);
        const std::size_t n = rng_.percent(10) ? room : std::min<std::size_t>(room, rng_.below(64));
        p = spoilt(static_cast<std::uint16_t>(rng_.between(PCWQ_A_MAX + 1, nla_type_bits)),
                   rng_.bytes(n));
      }
      size += align4(nla_hdrlen + p.payload.size());
      d.attrs.push_back(std::move(p));
      ++added;
    }
    if (duplicates) {
      d.noise.push_back(std::to_string(added) + " duplicated attributes");
    } else {
      d.defects.push_back(std::to_string(added) + " attributes of unknown types");
    }
  }

  /// An attribute to end the message with, of at least 2 bytes.
  Piece tail_piece(const Draft& d) {
    if (d.op != nullptr && !d.op->attrs.empty() && rng_.percent(60)) {
      const Spec& s = d.op->attrs[rng_.below(static_cast<std::uint32_t>(d.op->attrs.size()))];
      Bytes payload = valid_payload(s);
      if (payload.size() >= 2) {
        return sound(s.type, std::move(payload));
      }
    }
    return sound(static_cast<std::uint16_t>(rng_.below(0x10000)), rng_.bytes(rng_.between(2, 40)));
  }

  Request finish(Draft d, std::uint32_t seq) {
    Bytes body;
    for (const Piece& p : d.attrs) {
      if (p.garbage) {
        append_bytes(body, p.payload);
      } else {
        append_attr(body, p.type, p.payload, p.len, p.pad);
      }
    }
    std::optional<std::uint32_t> cut_len;
    std::size_t cut_extra = 0;
    switch (d.tail) {
      case Tail::none:
      case Tail::short_genl:
        break;
      case Tail::trailing: {
        const std::uint32_t n = rng_.between(1, 3);
        append_bytes(body, rng_.bytes(n));
        d.defects.push_back(std::to_string(n) + " bytes after the last attribute");
        break;
      }
      case Tail::overrun: {
        const Piece p = tail_piece(d);
        const auto real = static_cast<std::uint32_t>(nla_hdrlen + p.payload.size());
        const auto claimed = static_cast<std::uint16_t>(
            rng_.percent(20) ? 0xffffU
                             : std::min<std::uint32_t>(0xffff, real + rng_.between(1, 64)));
        append_attr(body, p.type, p.payload, claimed, false);
        d.defects.push_back("last attribute's nla_len " + std::to_string(claimed) + " with " +
                            std::to_string(real) + " bytes");
        break;
      }
      case Tail::cut: {
        const Piece p = tail_piece(d);
        const std::size_t start = body.size();
        append_attr(body, p.type, p.payload);
        const auto attr_len = static_cast<std::uint32_t>(nla_hdrlen + p.payload.size());
        const std::uint32_t keep = rng_.between(1, attr_len - 1);
        cut_len = static_cast<std::uint32_t>(genl_attrs_offset + start + keep);
        cut_extra = rng_.below(16);
        d.defects.push_back("nlmsg_len " + std::to_string(*cut_len) + " ends " +
                            std::to_string(keep) + " bytes into a " + std::to_string(attr_len) +
                            "-byte attribute");
        break;
      }
    }
    Request req;
    req.bytes = genl_message(target_.family, d.flags, seq, d.cmd, d.version, body);
    store(req.bytes, offsetof(nlmsghdr, nlmsg_pid), d.pid);
    store(req.bytes, nlmsg_hdrlen + offsetof(genlmsghdr, reserved), d.reserved);
    if (cut_len) {
      store(req.bytes, 0, *cut_len);
      req.bytes.resize(std::min(req.bytes.size(), *cut_len + cut_extra));
      if (cut_extra > 0) {
        d.noise.push_back(std::to_string(req.bytes.size() - *cut_len) +
                          " bytes sent past nlmsg_len");
      }
    }
    if (d.tail == Tail::short_genl) {
      const auto len = static_cast<std::uint32_t>(nlmsg_hdrlen + rng_.below(4));
      req.bytes.resize(len);
      store(req.bytes, 0, len);
      d.defects.push_back("nlmsg_len " + std::to_string(len) + " shorter than the genl header");
    }
    req.seq = seq;
    req.cmd = d.cmd;
    req.flags = d.flags;
    req.admin = is_admin_command(d.cmd);
    req.dump = (d.flags & NLM_F_DUMP) == NLM_F_DUMP;
    req.kind = d.kind;
    req.defects = std::move(d.defects);
    req.noise = std::move(d.noise);
    req.expect = d.expect;
    req.stats_cpu = d.stats_cpu;
    if (!req.defects.empty() && d.expect != Expect::ack_only) {
      req.expect = Expect::error;
    }
    // The invariant of the root phase, checked once more on what is about to be sent.
    if (target_.privileged && req.admin && req.expect != Expect::error &&
        req.expect != Expect::none) {
      throw std::logic_error("a request to change state without a defect: " + req.describe());
    }
    return req;
  }
};

}  // namespace

Rng::Rng(std::uint64_t seed) {
  for (std::uint64_t& word : s_) {
    seed += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = seed;
    z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
    word = z ^ (z >> 31U);
  }
}

std::uint64_t Rng::next() {
  const std::uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17U;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = std::rotl(s_[3], 45);
  return result;
}

std::uint32_t Rng::below(std::uint32_t n) {
  return static_cast<std::uint32_t>(((next() >> 32U) * n) >> 32U);
}

std::uint32_t Rng::between(std::uint32_t lo, std::uint32_t hi) {
  if (lo == 0 && hi == UINT32_MAX) {
    return static_cast<std::uint32_t>(next() >> 32U);
  }
  return lo + below(hi - lo + 1);
}

bool Rng::percent(std::uint32_t chance) { return below(100) < chance; }

Bytes Rng::bytes(std::size_t n) {
  Bytes out(n);
  for (std::byte& b : out) {
    b = static_cast<std::byte>(next() >> 56U);
  }
  return out;
}

std::string_view expect_name(Expect expect) {
  switch (expect) {
    case Expect::reply:
      return "a valid reply";
    case Expect::error:
      return "a negative error";
    case Expect::eperm:
      return "-EPERM";
    case Expect::any:
      return "an error or a valid reply";
    case Expect::none:
      return "no answer";
    case Expect::ack_only:
      return "an ACK of 0 or nothing";
  }
  return "?";
}

std::string Request::describe() const {
  std::ostringstream out;
  out << kind << " " << command_name(cmd) << " seq " << seq << " flags 0x" << std::hex << flags
      << std::dec << ", " << bytes.size() << " bytes, expecting " << expect_name(expect);
  if (!defects.empty()) {
    out << "; defects:";
    for (const std::string& d : defects) {
      out << " [" << d << "]";
    }
  }
  if (!noise.empty()) {
    out << "; noise:";
    for (const std::string& n : noise) {
      out << " [" << n << "]";
    }
  }
  return out.str();
}

std::string command_name(std::uint8_t cmd) {
  if (const OpSpec* op = find_op(cmd); op != nullptr) {
    return std::string(op->name);
  }
  return cmd == PCWQ_CMD_EVENT ? "EVENT" : "CMD_" + std::to_string(cmd);
}

bool is_admin_command(std::uint8_t cmd) {
  const OpSpec* op = find_op(cmd);
  return op != nullptr && op->admin;
}

bool is_dump_command(std::uint8_t cmd) {
  const OpSpec* op = find_op(cmd);
  return op != nullptr && op->dump;
}

Generator::Generator(std::uint64_t seed, Target target) : rng_(seed), target_(std::move(target)) {}

Request Generator::next(std::uint32_t seq) { return Builder(rng_, target_).next(seq); }

namespace {

Request plain(std::uint16_t family, std::uint8_t cmd, std::uint32_t seq, std::uint16_t flags,
              const Bytes& attrs, Expect expect, std::string kind) {
  Request req;
  req.bytes = genl_message(family, flags, seq, cmd, PCWQ_GENL_VERSION, attrs);
  req.seq = seq;
  req.cmd = cmd;
  req.flags = flags;
  req.expect = expect;
  req.admin = is_admin_command(cmd);
  req.dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
  req.kind = std::move(kind);
  return req;
}

}  // namespace

Request Generator::valid_read(std::uint8_t cmd, std::uint32_t seq, bool ack,
                              std::optional<std::uint32_t> cpu) const {
  std::uint16_t flags = NLM_F_REQUEST;
  if (ack) {
    flags |= NLM_F_ACK;
  }
  if (is_dump_command(cmd)) {
    flags |= NLM_F_DUMP;
  }
  Bytes attrs;
  if (cpu) {
    append_attr(attrs, PCWQ_A_STATS_CPU, u32_bytes(*cpu));
  }
  Request req = plain(target_.family, cmd, seq, flags, attrs, Expect::reply, "valid read");
  req.stats_cpu = cpu;
  return req;
}

Request Generator::valid_admin(std::uint8_t cmd, std::uint32_t seq,
                               const std::string& queue) const {
  Bytes attrs;
  switch (cmd) {
    case PCWQ_CMD_CONFIG_SET:
      append_attr(attrs, PCWQ_A_WATCHDOG_THRESH, u32_bytes(7));
      break;
    case PCWQ_CMD_QUEUE_ADD:
      append_attr(attrs, PCWQ_A_QUEUE_NAME, string_bytes("fz", true));
      break;
    case PCWQ_CMD_LOAD:
      append_attr(attrs, PCWQ_A_QUEUE_NAME, string_bytes(queue, true));
      append_attr(attrs, PCWQ_A_LOAD_COUNT, u32_bytes(1));
      break;
    case PCWQ_CMD_QUEUE_SET:
      append_attr(attrs, PCWQ_A_QUEUE_NAME, string_bytes(queue, true));
      append_attr(attrs, PCWQ_A_QUEUE_RATE, u32_bytes(100));
      break;
    case PCWQ_CMD_QUEUE_DEL:
    case PCWQ_CMD_FLUSH:
    case PCWQ_CMD_DRAIN:
    case PCWQ_CMD_UNPLUG:
      append_attr(attrs, PCWQ_A_QUEUE_NAME, string_bytes(queue, true));
      break;
    default:
      break;
  }
  return plain(target_.family, cmd, seq, NLM_F_REQUEST | NLM_F_ACK, attrs, Expect::eperm,
               "valid change");
}

Request Generator::name_probe(std::uint8_t cmd, std::uint32_t seq, std::string_view name,
                              std::uint32_t& name_offset) const {
  Bytes attrs;
  append_attr(attrs, PCWQ_A_QUEUE_NAME, string_bytes(name, true));
  append_attr(attrs, PCWQ_A_MAX + 1, u32_bytes(0));
  name_offset = static_cast<std::uint32_t>(genl_attrs_offset);
  Request req = plain(target_.family, cmd, seq, NLM_F_REQUEST | NLM_F_ACK, attrs, Expect::error,
                      "name probe");
  req.defects.push_back("unknown attribute type " + hex_value(PCWQ_A_MAX + 1));
  return req;
}

}  // namespace nlfuzz

// pcwq_nlfuzz: a generic netlink fuzzer for the pcwq family, run in the test VM.
//
// As root it sends tens of thousands of requests: valid reads whose replies must decode, and
// malformed, truncated, oversized, wrongly typed and out-of-range ones.  Every request to a
// command that changes state carries at least one defect the kernel must refuse (see
// generator.cpp), so none may change anything: each must get a negative error, and the
// configuration and the queues are compared before and after.  With --uid it then drops to
// that user and checks that valid changes get -EPERM while reads work, and fuzzes some more.
// Exit status: 0 when every check passed, 1 on any failure, 2 on a usage or set-up error.

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <grp.h>
#include <unistd.h>

#include "generator.hpp"
#include "netlink.hpp"
#include "pcwq_genl.h"
#include "replies.hpp"

namespace nlfuzz {
namespace {

constexpr std::string_view usage =
    "usage: pcwq_nlfuzz [--seed N] [--count N] [--uid UID [--user-count N]]\n"
    "                   [--expect-mcast-eperm] [--expect-name-policy] [--timeout-ms MS]\n"
    "                   [--max-failures N] [--verbose]\n"
    "       pcwq_nlfuzz --replay HEX\n"
    "Fuzzes the pcwq generic netlink family; as root, nothing it sends may change state.\n"
    "  --seed N              PRNG seed (default 1): the same seed sends the same requests\n"
    "  --count N             requests of the root phase (default 20000)\n"
    "  --uid UID             then drop to UID (and GID UID): valid changes must get EPERM,\n"
    "                        reads must work; --user-count requests more (default count/10)\n"
    "  --expect-mcast-eperm  joining the \"events\" group must fail with EPERM for UID\n"
    "  --expect-name-policy  queue names outside [A-Za-z0-9_.:-] (first alnum) must be\n"
    "                        refused by the policy of every op taking a name\n"
    "  --timeout-ms MS       wait for each answer (default 5000)\n"
    "  --max-failures N      stop after N failures (default 100)\n"
    "  --verbose             print every request\n"
    "  --replay HEX          send one message (hex bytes, its nlmsg_type and seq replaced by\n"
    "                        the family's and a fresh one) and print the answer\n";

struct Options {
  std::uint64_t seed = 1;
  std::uint32_t count = 20000;
  std::optional<std::uint32_t> uid;
  std::optional<std::uint32_t> user_count;
  bool expect_mcast_eperm = false;
  bool expect_name_policy = false;
  int timeout_ms = 5000;
  std::uint32_t max_failures = 100;
  bool verbose = false;
  std::optional<std::string> replay;
};

template <typename T>
bool parse_number(std::string_view text, T& value) {
  const auto* end =
      text.data() + text.size();  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc{} && ptr == end;
}

/// Sets the option arg takes a value for; false when arg is unknown or value is bad.
bool parse_value(Options& opt, std::string_view arg, std::string_view value) {
  std::uint32_t number = 0;
  if (arg == "--seed") {
    return parse_number(value, opt.seed);
  }
  if (arg == "--count") {
    return parse_number(value, opt.count);
  }
  if (arg == "--uid" || arg == "--user-count") {
    if (!parse_number(value, number)) {
      return false;
    }
    (arg == "--uid" ? opt.uid : opt.user_count) = number;
    return true;
  }
  if (arg == "--timeout-ms") {
    return parse_number(value, opt.timeout_ms) && opt.timeout_ms > 0;
  }
  if (arg == "--max-failures") {
    return parse_number(value, opt.max_failures);
  }
  if (arg == "--replay") {
    opt.replay = std::string(value);
    return true;
  }
  return false;
}

/// Parses the arguments; nullopt (after a message) on a usage error.
std::optional<Options> parse_options(std::span<char*> args) {
  Options opt;
  const std::array<std::pair<std::string_view, bool*>, 3> switches{{
      {"--expect-mcast-eperm", &opt.expect_mcast_eperm},
      {"--expect-name-policy", &opt.expect_name_policy},
      {"--verbose", &opt.verbose},
  }};
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << usage;
      std::exit(0);  // NOLINT(concurrency-mt-unsafe): single-threaded
    }
    const auto* sw = std::find_if(switches.begin(), switches.end(),
                                  [arg](const auto& entry) { return entry.first == arg; });
    if (sw != switches.end()) {
      *sw->second = true;
      continue;
    }
    if (i + 1 >= args.size() || !parse_value(opt, arg, args[i + 1])) {
      std::cerr << "pcwq_nlfuzz: bad argument '" << arg << "'\n" << usage;
      return std::nullopt;
    }
    ++i;
  }
  return opt;
}

struct Counters {
  std::uint64_t sent = 0;
  std::uint64_t errors = 0;
  std::uint64_t replies = 0;
  std::uint64_t dropped = 0;
  std::uint64_t failures = 0;
  std::uint64_t lost = 0;
  std::uint64_t sockets = 0;
};

struct QueueInfo {
  std::string name;
  std::uint32_t flags = 0;
  std::uint32_t max_active = 0;
  std::uint32_t capacity = 0;
  std::uint32_t rate = 0;
  std::uint32_t burst = 0;
  std::uint32_t max_wait_ms = 0;
  std::uint32_t work_timeout_ms = 0;
  std::string cpus;  ///< the CPU list, as the module prints it

  bool operator==(const QueueInfo&) const = default;
  friend bool operator<(const QueueInfo& a, const QueueInfo& b) {
    return std::tie(a.name, a.flags, a.max_active, a.capacity, a.rate, a.burst, a.max_wait_ms,
                    a.work_timeout_ms, a.cpus) < std::tie(b.name, b.flags, b.max_active, b.capacity,
                                                          b.rate, b.burst, b.max_wait_ms,
                                                          b.work_timeout_ms, b.cpus);
  }
};

/// What must not change: the configuration, byte for byte, and the set of queues with their
/// settings (a refused QUEUE_SET changes none of them).
struct Snapshot {
  bool ok = false;
  Bytes config;
  std::vector<QueueInfo> queues;

  [[nodiscard]] std::string text() const {
    std::ostringstream out;
    out << "  config attributes:\n" << hex(config, 4096) << "\n  queues:";
    for (const QueueInfo& q : queues) {
      out << " [" << q.name << " flags " << q.flags << " max_active " << q.max_active
          << " capacity " << q.capacity << " rate " << q.rate << " burst " << q.burst
          << " max_wait_ms " << q.max_wait_ms << " work_timeout_ms " << q.work_timeout_ms
          << " cpus " << q.cpus << "]";
    }
    return out.str();
  }
};

std::optional<QueueInfo> queue_of(ByteView attrs) {
  std::string why;
  const auto top = split_attrs(attrs, why);
  if (!top) {
    return std::nullopt;
  }
  for (const Attr& a : *top) {
    if (a.kind() != PCWQ_A_QUEUE) {
      continue;
    }
    const auto fields = split_attrs(a.data, why);
    if (!fields) {
      return std::nullopt;
    }
    QueueInfo q;
    for (const Attr& f : *fields) {
      switch (f.kind()) {
        case PCWQ_QUEUE_A_NAME:
          q.name = printable(f.data);
          break;
        case PCWQ_QUEUE_A_FLAGS:
          q.flags = load<std::uint32_t>(f.data);
          break;
        case PCWQ_QUEUE_A_MAX_ACTIVE:
          q.max_active = load<std::uint32_t>(f.data);
          break;
        case PCWQ_QUEUE_A_CAPACITY:
          q.capacity = load<std::uint32_t>(f.data);
          break;
        case PCWQ_QUEUE_A_RATE:
          q.rate = load<std::uint32_t>(f.data);
          break;
        case PCWQ_QUEUE_A_BURST:
          q.burst = load<std::uint32_t>(f.data);
          break;
        case PCWQ_QUEUE_A_MAX_WAIT_MS:
          q.max_wait_ms = load<std::uint32_t>(f.data);
          break;
        case PCWQ_QUEUE_A_WORK_TIMEOUT_MS:
          q.work_timeout_ms = load<std::uint32_t>(f.data);
          break;
        case PCWQ_QUEUE_A_CPUS:
          q.cpus = printable(f.data);
          break;
        default:
          break;
      }
    }
    return q;
  }
  return std::nullopt;
}

/// Names the policy of an op taking a queue name must refuse, and names it must accept.
constexpr std::array<std::string_view, 24> bad_names{
    "",        "a/b",  "a b",   "x\n",  "\xc3\xa9t\xc3\xa9",
    "-x",      ".x",   "_x",    ":x",   "a\tb",
    "caf\xe9", "\xc0", "q\xff", "\x7f", "a*b",
    "../x",    "a\\b", "%s%n",  "a\rb", "\x01",
    "a,b",     "a;b",  "a=b",   "\xe9"};
constexpr std::array<std::string_view, 5> good_names{"a", "Z9", "q-1.x:y_z", "0",
                                                     "abcdefghijklmnopqrstuvwxyz01234"};
constexpr std::array<std::uint8_t, 7> name_commands{
    PCWQ_CMD_QUEUE_ADD, PCWQ_CMD_QUEUE_DEL, PCWQ_CMD_LOAD,     PCWQ_CMD_FLUSH,
    PCWQ_CMD_DRAIN,     PCWQ_CMD_UNPLUG,    PCWQ_CMD_QUEUE_SET};
constexpr std::array<std::uint8_t, 9> admin_commands{
    PCWQ_CMD_CONFIG_SET, PCWQ_CMD_QUEUE_ADD,   PCWQ_CMD_QUEUE_DEL,
    PCWQ_CMD_LOAD,       PCWQ_CMD_STATS_RESET, PCWQ_CMD_DRAIN,
    PCWQ_CMD_FLUSH,      PCWQ_CMD_UNPLUG,      PCWQ_CMD_QUEUE_SET};

/// Bytes from hex digits (spaces and newlines ignored); nullopt when malformed.
std::optional<Bytes> from_hex(std::string_view text) {
  std::string digits;
  for (const char c : text) {
    if (c != ' ' && c != '\n' && c != '\t') {
      digits += c;
    }
  }
  if (digits.size() % 2 != 0) {
    return std::nullopt;
  }
  Bytes out;
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    std::uint8_t byte = 0;
    const std::string_view pair = std::string_view(digits).substr(i, 2);
    const auto [ptr, ec] =
        std::from_chars(pair.data(), pair.data() + pair.size(), byte,
                        16);  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
    if (ec != std::errc{} ||
        ptr !=
            pair.data() + pair.size()) {  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
      return std::nullopt;
    }
    out.push_back(static_cast<std::byte>(byte));
  }
  return out;
}

std::string quoted(std::string_view name) {
  return "\"" + printable(string_bytes(name, false)) + "\"";
}

/// The kernel's taint flags that mean trouble, B (bad page), D (died), W (warning) and L
/// (soft lockup), read after every request so that the one that made the kernel warn is
/// the one reported.
class TaintWatch {
 public:
  TaintWatch()
      // NOLINTNEXTLINE(cppcoreguidelines-pro-type-vararg): open(2)
      : fd_(open("/proc/sys/kernel/tainted", O_RDONLY | O_CLOEXEC)) {
    base_ = read().value_or(0);
  }
  TaintWatch(const TaintWatch&) = delete;
  TaintWatch& operator=(const TaintWatch&) = delete;
  TaintWatch(TaintWatch&&) = delete;
  TaintWatch& operator=(TaintWatch&&) = delete;
  ~TaintWatch() {
    if (fd_ >= 0) {
      close(fd_);
    }
  }

  /// The bad taint flags set since the last call, as letters ("" when none).
  std::string fresh() {
    const std::uint64_t now = read().value_or(base_);
    const std::uint64_t bits = now & ~base_ & bad;
    base_ |= now;
    std::string letters;
    for (const auto& [bit, letter] : names) {
      if ((bits & (std::uint64_t{1} << bit)) != 0) {
        letters += letter;
      }
    }
    return letters;
  }

 private:
  static constexpr std::uint64_t bad = (1U << 5) | (1U << 7) | (1U << 9) | (1U << 14);
  static constexpr std::array<std::pair<unsigned, char>, 4> names{
      {{5, 'B'}, {7, 'D'}, {9, 'W'}, {14, 'L'}}};

  [[nodiscard]] std::optional<std::uint64_t> read() const {
    std::array<char, 32> buf{};
    const ssize_t n = fd_ < 0 ? -1 : pread(fd_, buf.data(), buf.size() - 1, 0);
    std::uint64_t value = 0;
    if (n <= 0) {
      return std::nullopt;
    }
    const std::string_view text(buf.data(), static_cast<std::size_t>(n));
    std::from_chars(text.data(), text.data() + text.size(),
                    value);  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
    return value;
  }

  int fd_;
  std::uint64_t base_ = 0;
};

class Fuzzer {
 public:
  explicit Fuzzer(Options opt) : opt_(std::move(opt)) {}

  int run() {
    const auto start = std::chrono::steady_clock::now();
    if (!setup()) {
      return 2;
    }
    if (opt_.replay) {
      return replay(*opt_.replay);
    }
    check_family();
    root_mcast();
    probe_names();
    fuzz("root", opt_.count, opt_.seed, true);
    compare(snapshot(), "after the root phase");
    if (opt_.uid) {
      user_phase(*opt_.uid);
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    std::cout << "nlfuzz: sent " << counters_.sent << ", errors " << counters_.errors
              << ", replies " << counters_.replies << ", dropped " << counters_.dropped
              << ", failures " << counters_.failures << "\n"
              << "nlfuzz: " << std::fixed << std::setprecision(1) << took.count() << " s, "
              << stale_ << " late messages, " << counters_.sockets << " sockets, " << counters_.lost
              << " lost to socket errors\n"
              << std::flush;
    return counters_.failures == 0 ? 0 : 1;
  }

 private:
  Options opt_;
  Counters counters_;
  Family family_;
  std::uint32_t cpus_ = 1;
  std::uint32_t seq_ = 1;
  std::uint64_t stale_ = 0;
  Snapshot before_;
  bool stop_ = false;
  TaintWatch taint_;
  std::size_t largest_ = 0;
  std::uint32_t unanswered_ = 0;

  std::uint32_t next_seq() { return seq_++; }

  Channel channel(bool cap_ack) {
    ++counters_.sockets;
    return {family_.id, cap_ack};
  }

  void fail(const std::string& what, const Request* req = nullptr, const Outcome* out = nullptr) {
    ++counters_.failures;
    if (counters_.failures > 20) {
      return;
    }
    std::cout << "nlfuzz: FAIL: " << what << "\n";
    if (req != nullptr) {
      std::cout << "  request: " << req->describe() << "\n" << hex(req->bytes, 2048) << "\n";
    }
    if (out != nullptr) {
      std::cout << "  answer: " << out->describe() << "\n";
      if (!out->first.empty()) {
        std::cout << hex(out->first, 512) << "\n";
      }
      for (const std::string& p : out->problems) {
        std::cout << "  problem: " << p << "\n";
      }
    }
    std::cout << std::flush;
  }

  Outcome exchange(Channel& ch, const Request& req) {
    if (opt_.verbose) {
      std::cout << "nlfuzz: " << req.describe() << "\n";
    }
    ++counters_.sent;
    const std::uint64_t stale_before = ch.stale();
    // The kernel answers inside send() (and produces each part of a dump inside recv()), so a
    // missing answer is not late but missing: after a few, waiting the full time for each
    // would only make a broken kernel's run long.
    Outcome out =
        ch.exchange(req, unanswered_ < 3 ? opt_.timeout_ms : std::min(opt_.timeout_ms, 200));
    if (out.end == Outcome::End::timeout && ++unanswered_ == 3) {
      std::cout << "nlfuzz: 3 requests unanswered: waiting at most 200 ms from now on\n";
    }
    stale_ += ch.stale() - stale_before;
    if (out.end == Outcome::End::lost) {
      // The socket is in an unknown state (ENOBUFS: answers were lost): start afresh.
      ++counters_.lost;
      ch.reopen(ch.socket().cap_ack());
      ++counters_.sockets;
    }
    return out;
  }

  /// Checks an answer against what the request expects; counts it.
  void judge(const Request& req, const Outcome& out) {
    using End = Outcome::End;
    const bool refused = (out.end == End::error || out.end == End::done) && out.error < 0;
    if (refused) {
      ++counters_.errors;
    } else if (out.end == End::nothing) {
      ++counters_.dropped;
    } else if (out.end != End::timeout && out.end != End::lost) {
      ++counters_.replies;
    }
    if (out.end == End::lost && out.problems.empty()) {
      return;
    }
    const std::string wrong = verdict(req, out);
    if (!wrong.empty()) {
      fail(wrong, &req, &out);
    } else if (!out.problems.empty()) {
      fail("malformed answer", &req, &out);
    }
  }

  static bool answered(const Outcome& out) {
    return out.end != Outcome::End::timeout && out.end != Outcome::End::nothing;
  }

  static std::string verdict_reply(const Request& req, const Outcome& out) {
    if (!answered(out)) {
      return "a valid read got no answer";
    }
    if (out.error < 0) {
      return "a valid read was refused";
    }
    if (req.dump && out.end != Outcome::End::done) {
      return "a dump did not end with NLMSG_DONE";
    }
    if (!req.dump && out.data.size() != 1) {
      return "a read got " + std::to_string(out.data.size()) + " reply messages";
    }
    return "";
  }

  static std::string verdict_error(const Request& req, const Outcome& out) {
    if (out.end == Outcome::End::error && out.error < 0) {
      return "";
    }
    return req.admin ? "a request to change state was not refused: it may have changed state"
                     : "a defective request was not refused";
  }

  static std::string verdict_ack_only(const Request& req, const Outcome& out) {
    if (req.ack()) {
      return out.end == Outcome::End::error && out.error == 0 ? "" : "expected only an ACK of 0";
    }
    return out.end == Outcome::End::nothing ? "" : "an answer to a message that is not a request";
  }

  /// What is wrong with the answer, or "".
  static std::string verdict(const Request& req, const Outcome& out) {
    switch (req.expect) {
      case Expect::reply:
        return verdict_reply(req, out);
      case Expect::error:
        return verdict_error(req, out);
      case Expect::eperm:
        return out.end == Outcome::End::error && out.error == -EPERM ? "" : "expected -EPERM";
      case Expect::any:
        return answered(out) ? "" : "no answer";
      case Expect::none:
        return out.end == Outcome::End::nothing ? ""
                                                : "an answer to a message the kernel must drop";
      case Expect::ack_only:
        return verdict_ack_only(req, out);
    }
    return "";
  }

  /// Sends req on ch and judges the answer.
  Outcome roundtrip(Channel& ch, const Request& req) {
    Outcome out = exchange(ch, req);
    judge(req, out);
    largest_ = std::max(largest_, req.bytes.size());
    if (const std::string taint = taint_.fresh(); !taint.empty()) {
      fail("the kernel tainted itself (" + taint + ") handling this request: see its log", &req,
           &out);
    }
    return out;
  }

  Snapshot snapshot() {
    Snapshot snap;
    Channel ch = channel(false);
    const Generator gen(opt_.seed, Target{family_.id, cpus_, {}, true});
    const Outcome config = roundtrip(ch, gen.valid_read(PCWQ_CMD_CONFIG_GET, next_seq(), false));
    const Outcome queues = roundtrip(ch, gen.valid_read(PCWQ_CMD_QUEUE_GET, next_seq(), true));
    if (config.data.size() != 1 || config.error != 0 || queues.end != Outcome::End::done ||
        queues.error != 0) {
      return snap;
    }
    snap.config = config.data.front();
    for (const Bytes& msg : queues.data) {
      if (auto q = queue_of(msg)) {
        snap.queues.push_back(std::move(*q));
      }
    }
    std::sort(snap.queues.begin(), snap.queues.end());
    snap.ok = true;
    return snap;
  }

  void compare(const Snapshot& after, std::string_view when) {
    if (!before_.ok || !after.ok) {
      fail("could not read the configuration and the queues " + std::string(when));
      return;
    }
    if (after.config != before_.config) {
      fail("the configuration changed " + std::string(when) + "\n before:\n" + before_.text() +
           "\n after:\n" + after.text());
    }
    if (after.queues != before_.queues) {
      fail("the queues changed " + std::string(when) + "\n before:\n" + before_.text() +
           "\n after:\n" + after.text());
    }
  }

  bool setup() {
    int err = 0;
    auto sock = Socket::open(false, err);
    if (!sock) {
      std::cerr << "pcwq_nlfuzz: netlink socket: " << std::strerror(err) << "\n";
      return false;
    }
    std::string why;
    auto family = resolve_family(*sock, PCWQ_GENL_NAME, next_seq(), why);
    if (!family) {
      std::cerr << "pcwq_nlfuzz: " << why << " (is pcwq loaded?)\n";
      return false;
    }
    family_ = std::move(*family);
    Channel ch = channel(false);
    const Generator gen(opt_.seed, Target{family_.id, 1, {}, true});
    const Outcome status = roundtrip(ch, gen.valid_read(PCWQ_CMD_STATUS_GET, next_seq(), true));
    for (const Bytes& attrs : status.data) {
      const auto top = split_attrs(attrs, why);
      for (const Attr& a : top.value_or(std::vector<Attr>{})) {
        if (a.kind() == PCWQ_A_NR_ONLINE_CPUS) {
          cpus_ = std::max<std::uint32_t>(1, load<std::uint32_t>(a.data));
        }
      }
    }
    before_ = snapshot();
    if (!before_.ok) {
      std::cerr << "pcwq_nlfuzz: cannot read the configuration and the queues\n";
      return false;
    }
    std::cout << "nlfuzz: seed " << opt_.seed << ", family " << PCWQ_GENL_NAME << " id "
              << family_.id << " version " << family_.version << ", " << family_.op_flags.size()
              << " ops, " << cpus_ << " CPUs online, " << before_.queues.size() << " queues\n"
              << std::flush;
    return true;
  }

  /// Sends one message given in hex and prints what comes back.
  int replay(std::string_view text) {
    auto bytes = from_hex(text);
    if (!bytes) {
      std::cerr << "pcwq_nlfuzz: --replay takes hex bytes\n";
      return 2;
    }
    Request req;
    req.bytes = std::move(*bytes);
    req.seq = next_seq();
    req.kind = "replay";
    if (req.bytes.size() >= nlmsg_hdrlen) {
      store(req.bytes, offsetof(nlmsghdr, nlmsg_type), family_.id);
      store(req.bytes, offsetof(nlmsghdr, nlmsg_seq), req.seq);
      req.flags = load<nlmsghdr>(req.bytes).nlmsg_flags;
      req.dump = (req.flags & NLM_F_DUMP) == NLM_F_DUMP;
    }
    if (req.bytes.size() > nlmsg_hdrlen) {
      req.cmd = std::to_integer<std::uint8_t>(req.bytes.at(nlmsg_hdrlen));
    }
    Channel ch = channel(false);
    const Outcome out = exchange(ch, req);
    std::cout << "nlfuzz: replay: " << req.describe() << "\n"
              << hex(req.bytes, 65536) << "\n"
              << "nlfuzz: answer: " << out.describe() << "\n"
              << hex(out.first, 65536) << "\n";
    for (const std::string& p : out.problems) {
      std::cout << "nlfuzz: problem: " << p << "\n";
    }
    return out.problems.empty() ? 0 : 1;
  }

  /// What nlctrl says about the family: version, no user header, maxattr, the group, and
  /// GENL_ADMIN_PERM on exactly the ops that change state.
  void check_family() {
    if (family_.version != PCWQ_GENL_VERSION || family_.hdrsize != 0 ||
        family_.maxattr != PCWQ_A_MAX) {
      fail("family version " + std::to_string(family_.version) + ", hdrsize " +
           std::to_string(family_.hdrsize) + ", maxattr " + std::to_string(family_.maxattr));
    }
    if (!family_.groups.contains(PCWQ_GENL_MCGRP_EVENTS)) {
      fail("no \"" + std::string(PCWQ_GENL_MCGRP_EVENTS) + "\" multicast group");
    }
    for (std::uint32_t cmd = 0; cmd <= 255; ++cmd) {
      const auto c = static_cast<std::uint8_t>(cmd);
      const auto it = family_.op_flags.find(cmd);
      const bool known = command_name(c).rfind("CMD_", 0) != 0 && cmd != PCWQ_CMD_EVENT;
      if (known != (it != family_.op_flags.end())) {
        fail("op " + command_name(c) + (known ? " missing" : " unexpected") + " in the family");
        continue;
      }
      if (known && ((it->second & GENL_ADMIN_PERM) != 0) != is_admin_command(c)) {
        fail("op " + command_name(c) + " has flags " + std::to_string(it->second) +
             (is_admin_command(c) ? " without" : " with") + " GENL_ADMIN_PERM");
      }
    }
  }

  /// Joins the events group on a fresh socket: 0 or errno.
  int join_events() {
    int err = 0;
    auto sock = Socket::open(false, err);
    if (!sock) {
      return err;
    }
    const auto group = static_cast<int>(family_.groups[PCWQ_GENL_MCGRP_EVENTS]);
    return sock->set_option(NETLINK_ADD_MEMBERSHIP, group);
  }

  void root_mcast() {
    if (geteuid() != 0) {
      std::cout << "nlfuzz: not root: the root checks of the events group are skipped\n";
      return;
    }
    if (const int err = join_events(); err != 0) {
      fail(std::string("root cannot join the events group: ") + std::strerror(err));
    }
  }

  /// Whether the name policy refuses names outside [A-Za-z0-9_.:-]: each probe is refused for
  /// an unknown attribute placed after the name, and the extended ACK's offset tells which of
  /// the two the policy refused first.  Only with --expect-name-policy are the results
  /// failures.
  void probe_names() {
    Channel ch = channel(false);
    const Generator gen(opt_.seed, Target{family_.id, cpus_, {}, true});
    std::vector<std::string> wrong;
    std::uint32_t inconclusive = 0;
    const auto probe = [&](std::string_view name, bool good) {
      std::string ops;
      for (const std::uint8_t cmd : name_commands) {
        std::uint32_t name_at = 0;
        const Request req = gen.name_probe(cmd, next_seq(), name, name_at);
        const Outcome out = roundtrip(ch, req);
        const auto after_name =
            static_cast<std::uint32_t>(name_at + align4(nla_hdrlen + name.size() + 1));
        const bool refused = out.ext_offset == name_at;
        if (!refused && out.ext_offset != after_name) {
          ++inconclusive;
        } else if (refused == good) {
          ops += " " + command_name(cmd);
        }
      }
      if (!ops.empty()) {
        wrong.push_back((good ? "refused" : "accepted") + std::string(" by") + ops + ": " +
                        quoted(name));
      }
    };
    for (const std::string_view name : bad_names) {
      probe(name, false);
    }
    for (const std::string_view name : good_names) {
      probe(name, true);
    }
    std::cout << "nlfuzz: name policy: " << bad_names.size() << " bad and " << good_names.size()
              << " good names on " << name_commands.size() << " ops: " << wrong.size()
              << " names misjudged, " << inconclusive << " probes without an offset\n";
    for (const std::string& w : wrong) {
      if (opt_.expect_name_policy) {
        fail("name policy: " + w);
      } else {
        std::cout << "nlfuzz: name policy: " << w << "\n";
      }
    }
    if (opt_.expect_name_policy && inconclusive > 0) {
      fail("name policy: " + std::to_string(inconclusive) + " probes without an extack offset");
    }
  }

  void fuzz(std::string_view phase, std::uint32_t count, std::uint64_t seed, bool privileged) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::string> names;
    for (const QueueInfo& q : before_.queues) {
      names.push_back(q.name);
    }
    Generator gen(seed, Target{family_.id, cpus_, names, privileged});
    Rng rng(seed ^ 0x50c4e75U);
    Channel ch = channel(rng.percent(50));
    const std::uint64_t failures = counters_.failures;
    std::map<std::string, std::uint32_t> kinds;
    std::uint32_t timeouts = 0;
    std::uint32_t i = 0;
    for (; i < count && !stop_; ++i) {
      if (i > 0 && i % 2500 == 0) {
        ch.reopen(rng.percent(50));
        ++counters_.sockets;
      }
      const Request req = gen.next(next_seq());
      ++kinds[req.kind];
      const Outcome out = roundtrip(ch, req);
      timeouts = out.end == Outcome::End::timeout ? timeouts + 1 : 0;
      if (timeouts >= 10) {
        fail("the kernel stopped answering");
        stop_ = true;
      }
      if (counters_.failures >= opt_.max_failures) {
        std::cout << "nlfuzz: " << counters_.failures << " failures: stopping\n";
        stop_ = true;
      }
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    std::cout << "nlfuzz: " << phase << " phase: " << i << " requests in " << std::fixed
              << std::setprecision(1) << took.count() << " s, " << counters_.failures - failures
              << " failures;";
    for (const auto& [kind, n] : kinds) {
      std::cout << " " << n << " " << kind << ",";
    }
    std::cout << " the largest " << largest_ << " bytes\n" << std::flush;
  }

  /// The queue valid unprivileged changes aim at: one created with wqctl if there is one.
  [[nodiscard]] std::string victim() const {
    for (const QueueInfo& q : before_.queues) {
      if ((q.flags & PCWQ_QUEUE_F_USER) != 0) {
        return q.name;
      }
    }
    return before_.queues.empty() ? "fz" : before_.queues.front().name;
  }

  static bool drop_privileges(std::uint32_t uid) {
    const gid_t gid = uid;
    if (setgroups(0, nullptr) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
      return false;
    }
    return getuid() == uid && geteuid() == uid && getgid() == gid && setuid(0) != 0;
  }

  void user_phase(std::uint32_t uid) {
    // A socket opened by root and used after the drop: rights go with the sender too.
    Channel inherited = channel(false);
    if (!drop_privileges(uid)) {
      fail("cannot drop privileges to uid " + std::to_string(uid) + ": " + std::strerror(errno));
      return;
    }
    Channel ch = channel(false);
    const Generator gen(opt_.seed, Target{family_.id, cpus_, {}, false});
    const std::string queue = victim();
    for (const std::uint8_t cmd : admin_commands) {
      roundtrip(ch, gen.valid_admin(cmd, next_seq(), queue));
      roundtrip(inherited, gen.valid_admin(cmd, next_seq(), queue));
    }
    roundtrip(ch, gen.valid_read(PCWQ_CMD_STATUS_GET, next_seq(), false));
    roundtrip(ch, gen.valid_read(PCWQ_CMD_CONFIG_GET, next_seq(), true));
    roundtrip(ch, gen.valid_read(PCWQ_CMD_QUEUE_GET, next_seq(), false));
    roundtrip(ch, gen.valid_read(PCWQ_CMD_STATS_GET, next_seq(), false));
    roundtrip(ch, gen.valid_read(PCWQ_CMD_STATS_GET, next_seq(), true, cpus_ - 1));
    const int err = join_events();
    std::cout << "nlfuzz: uid " << uid
              << " joining the events group: " << (err == 0 ? "allowed" : std::strerror(err))
              << "\n";
    if (opt_.expect_mcast_eperm && err != EPERM) {
      fail("uid " + std::to_string(uid) + " joining the events group: expected EPERM, got " +
           (err == 0 ? std::string("success") : std::string(std::strerror(err))));
    }
    fuzz("uid " + std::to_string(uid), opt_.user_count.value_or(opt_.count / 10),
         opt_.seed ^ 0x7573657255ULL, false);
    compare(snapshot(), "after the unprivileged phase");
  }
};

}  // namespace
}  // namespace nlfuzz

int main(int argc, char** argv) {
  const auto opt = nlfuzz::parse_options(std::span<char*>(argv, static_cast<std::size_t>(argc)));
  if (!opt) {
    return 2;
  }
  if (opt->uid && geteuid() != 0) {
    std::cerr << "pcwq_nlfuzz: --uid needs root\n";
    return 2;
  }
  try {
    return nlfuzz::Fuzzer(*opt).run();
  } catch (const std::exception& e) {
    std::cerr << "pcwq_nlfuzz: " << e.what() << "\n";
    return 2;
  }
}

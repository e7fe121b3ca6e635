#include "netlink.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <system_error>

#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <sys/socket.h>

#include "dump.hpp"
#include "wire.hpp"

namespace wqctl::nl {
namespace {

std::string errno_text(int errnum) { return std::generic_category().message(errnum); }

OpError errno_error(int errnum) { return {errno_text(errnum), errnum}; }

/// Throws the libnl error err if it is one (negative).
int check(int err) {
  if (err < 0) {
    throw libnl_error(err);
  }
  return err;
}

/// The whole NLMSG_ERROR message around err: libnl hands the error callback only the
/// nlmsgerr, which sits right after the nlmsghdr in libnl's receive buffer.  libnl has checked
/// that nlmsg_len lies within that buffer.
std::span<const std::byte> enclosing_message(const nlmsgerr* err) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): viewing a message as bytes
  const auto* payload = reinterpret_cast<const std::byte*>(err);
  // NOLINTNEXTLINE(cppcoreguidelines-pro-bounds-pointer-arithmetic): see above
  const std::byte* start = payload - header_len;
  const auto hdr = load<nlmsghdr>({start, header_len});
  return {start, hdr.nlmsg_len};
}

/// The payload of attr.
std::span<const std::byte> payload(const nlattr* attr) {
  return {static_cast<const std::byte*>(nla_data(attr)), static_cast<std::size_t>(nla_len(attr))};
}

/// State of one request while libnl runs the callbacks below.
struct Exchange {
  const Socket::ReplyHandler& on_reply;
  std::uint32_t seq = 0;  ///< of the request: answers to others are skipped
  bool done = false;
  std::optional<ExtAck> nack;
  std::exception_ptr failure;
};

int on_seq_check(nl_msg* msg, void* arg) {
  return nlmsg_hdr(msg)->nlmsg_seq == static_cast<Exchange*>(arg)->seq ? NL_OK : NL_SKIP;
}

int on_valid(nl_msg* msg, void* arg) {
  auto& exchange = *static_cast<Exchange*>(arg);
  if (exchange.on_reply && !exchange.failure) {
    // Exceptions must not unwind through libnl's C frames: keep it for transact().
    try {
      exchange.on_reply(msg);
    } catch (...) {
      exchange.failure = std::current_exception();
    }
  }
  return NL_OK;
}

int on_ack(nl_msg* /*msg*/, void* arg) {
  static_cast<Exchange*>(arg)->done = true;
  return NL_STOP;
}

int on_error(sockaddr_nl* /*addr*/, nlmsgerr* err, void* arg) {
  auto& exchange = *static_cast<Exchange*>(arg);
  exchange.done = true;
  try {
    exchange.nack = parse_ext_ack(enclosing_message(err));
  } catch (const OpError&) {
    // Malformed details must not hide the error itself.
    exchange.nack = ExtAck{.error = -err->error, .message = {}, .offset = std::nullopt};
  } catch (...) {
    exchange.failure = std::current_exception();
  }
  return NL_STOP;
}

struct CallbackFree {
  void operator()(nl_cb* cb) const { nl_cb_put(cb); }
};
using Callbacks = std::unique_ptr<nl_cb, CallbackFree>;

Callbacks make_callbacks(Exchange& exchange) {
  Callbacks cb{nl_cb_alloc(NL_CB_DEFAULT)};
  if (!cb) {
    throw errno_error(ENOMEM);
  }
  check(nl_cb_set(cb.get(), NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq_check, &exchange));
  check(nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, on_valid, &exchange));
  check(nl_cb_set(cb.get(), NL_CB_ACK, NL_CB_CUSTOM, on_ack, &exchange));
  check(nl_cb_err(cb.get(), NL_CB_CUSTOM, on_error, &exchange));
  return cb;
}

struct BufferFree {
  // nl_recv() allocates the buffer with malloc().
  // NOLINTNEXTLINE(cppcoreguidelines-no-malloc,cppcoreguidelines-owning-memory)
  void operator()(unsigned char* buf) const { std::free(buf); }
};

}  // namespace

OpError libnl_error(int err) { return {nl_geterror(err), 0}; }

OpError protocol_error(const std::string& detail) { return {errno_text(EPROTO), EPROTO, detail}; }

ExtAck parse_ext_ack(std::span<const std::byte> buf) {
  constexpr std::size_t min_len = header_len + sizeof(nlmsgerr);
  const auto hdr = load<nlmsghdr>(buf);
  if (buf.size() < min_len || hdr.nlmsg_len < min_len || hdr.nlmsg_len > buf.size()) {
    throw protocol_error("truncated error message");
  }
  const auto msg = buf.first(hdr.nlmsg_len);
  const auto err = load<nlmsgerr>(msg.subspan(header_len));

  ExtAck ack{.error = -err.error, .message = {}, .offset = std::nullopt};
  if ((hdr.nlmsg_flags & NLM_F_ACK_TLVS) == 0) {
    return ack;
  }
  // The TLVs follow the nlmsgerr and, unless capped, the echoed request payload.
  std::size_t echoed = sizeof(nlmsgerr);
  if ((hdr.nlmsg_flags & NLM_F_CAPPED) == 0) {
    echoed += std::max<std::size_t>(err.msg.nlmsg_len, header_len) - header_len;
  }
  const std::size_t tlvs = header_len + align(echoed);
  if (tlvs > msg.size()) {
    throw protocol_error("truncated extended ACK");
  }
  const Attrs attrs = Attrs::parse_stream(msg.subspan(tlvs), NLMSGERR_ATTR_MAX);
  ack.message = attrs.str(NLMSGERR_ATTR_MSG).value_or("");
  ack.offset = attrs.u32(NLMSGERR_ATTR_OFFS);
  return ack;
}

Attrs::Attrs(std::span<const std::byte> stream, int max_type)
    : stream_(stream), table_(static_cast<std::size_t>(max_type) + 1) {}

Attrs Attrs::parse_genl(nl_msg* msg, int max_type) {
  const nlmsghdr* hdr = nlmsg_hdr(msg);
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): viewing a message as bytes
  return parse_genl({reinterpret_cast<const std::byte*>(hdr), hdr->nlmsg_len}, max_type);
}

Attrs Attrs::parse_genl(std::span<const std::byte> msg, int max_type) {
  const auto hdr = load<nlmsghdr>(msg);
  if (msg.size() < genl_attrs_offset || hdr.nlmsg_len < genl_attrs_offset ||
      hdr.nlmsg_len > msg.size()) {
    throw protocol_error("truncated message");
  }
  return parse_stream(msg.subspan(genl_attrs_offset, hdr.nlmsg_len - genl_attrs_offset), max_type);
}

Attrs Attrs::parse_stream(std::span<const std::byte> stream, int max_type) {
  Attrs attrs{stream, max_type};
  // nla_parse() only reads the stream; its prototype lacks the const.
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast,cppcoreguidelines-pro-type-reinterpret-cast)
  auto* head = reinterpret_cast<nlattr*>(const_cast<std::byte*>(stream.data()));
  const int err =
      nla_parse(attrs.table_.data(), max_type, head, static_cast<int>(stream.size()), nullptr);
  if (err < 0) {
    throw protocol_error(nl_geterror(err));
  }
  return attrs;
}

const nlattr* Attrs::find(int type) const {
  if (type < 0 || static_cast<std::size_t>(type) >= table_.size()) {
    return nullptr;
  }
  return table_[static_cast<std::size_t>(type)];
}

std::optional<std::uint32_t> Attrs::u32(int type) const {
  const nlattr* attr = find(type);
  if (attr == nullptr) {
    return std::nullopt;
  }
  if (nla_len(attr) < static_cast<int>(sizeof(std::uint32_t))) {
    throw protocol_error("attribute " + std::to_string(type) + " is too short");
  }
  return nla_get_u32(attr);
}

std::optional<std::uint64_t> Attrs::u64(int type) const {
  const nlattr* attr = find(type);
  if (attr == nullptr) {
    return std::nullopt;
  }
  if (nla_len(attr) < static_cast<int>(sizeof(std::uint64_t))) {
    throw protocol_error("attribute " + std::to_string(type) + " is too short");
  }
  return load<std::uint64_t>(payload(attr));
}

std::optional<std::span<const std::byte>> Attrs::bytes(int type) const {
  const nlattr* attr = find(type);
  if (attr == nullptr) {
    return std::nullopt;
  }
  return payload(attr);
}

std::optional<std::string> Attrs::str(int type) const {
  const nlattr* attr = find(type);
  if (attr == nullptr) {
    return std::nullopt;
  }
  const auto* data = static_cast<const char*>(nla_data(attr));
  return std::string(data, strnlen(data, static_cast<std::size_t>(nla_len(attr))));
}

std::optional<Attrs> Attrs::nested(int type, int max_type) const {
  const nlattr* attr = find(type);
  if (attr == nullptr) {
    return std::nullopt;
  }
  return parse_stream(payload(attr), max_type);
}

std::vector<Attrs> Attrs::nested_all(int type, int max_type) const {
  std::vector<Attrs> all;
  std::size_t offset = 0;
  while (offset + attr_header_len <= stream_.size()) {
    const auto hdr = load<nlattr>(stream_.subspan(offset));
    // nla_parse() stops at the same point.
    if (hdr.nla_len < attr_header_len || hdr.nla_len > stream_.size() - offset) {
      break;
    }
    if ((hdr.nla_type & NLA_TYPE_MASK) == type) {
      all.push_back(parse_stream(
          stream_.subspan(offset + attr_header_len, hdr.nla_len - attr_header_len), max_type));
    }
    offset += align(hdr.nla_len);
  }
  return all;
}

Message::Message(int family, std::uint8_t cmd, std::uint8_t version, Kind kind)
    : msg_(nlmsg_alloc()) {
  if (!msg_) {
    throw errno_error(ENOMEM);
  }
  const int flags = NLM_F_REQUEST | NLM_F_ACK | (kind == Kind::dump ? NLM_F_DUMP : 0);
  if (genlmsg_put(msg_.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd, version) ==
      nullptr) {
    throw libnl_error(-NLE_NOMEM);
  }
}

std::uint32_t Message::end_offset() const {
  // nla_put() appends at the aligned end of the message.
  return static_cast<std::uint32_t>(align(nlmsg_hdr(msg_.get())->nlmsg_len));
}

void Message::put_u32(int type, std::uint32_t value) {
  const std::uint32_t offset = end_offset();
  check(nla_put_u32(msg_.get(), type, value));
  attrs_.emplace_back(offset, type);
}

void Message::put_string(int type, const std::string& value) {
  const std::uint32_t offset = end_offset();
  check(nla_put_string(msg_.get(), type, value.c_str()));
  attrs_.emplace_back(offset, type);
}

void Message::put_flag(int type) {
  const std::uint32_t offset = end_offset();
  check(nla_put_flag(msg_.get(), type));
  attrs_.emplace_back(offset, type);
}

std::optional<int> Message::attr_at(std::uint32_t offset) const {
  const auto found = std::ranges::find(attrs_, offset, &std::pair<std::uint32_t, int>::first);
  if (found == attrs_.end()) {
    return std::nullopt;
  }
  return found->second;
}

OpError kernel_error(const ExtAck& ack, const Message& request) {
  const std::optional<int> attr = ack.offset ? request.attr_at(*ack.offset) : std::nullopt;
  return {errno_text(ack.error), ack.error, ack.message, attr};
}

Socket::Socket() : sock_(nl_socket_alloc()) {
  if (!sock_) {
    throw errno_error(ENOMEM);
  }
  check(genl_connect(sock_.get()));
  // Requests check sequence numbers themselves (libnl's check would not know about dumps),
  // and datagrams of any size are received whole.
  nl_socket_disable_seq_check(sock_.get());
  nl_socket_enable_msg_peek(sock_.get());
  enable_option(NETLINK_EXT_ACK);
  enable_option(NETLINK_CAP_ACK);
}

void Socket::enable_option(int option) {
  // Kernels too old for an option say ENOPROTOOPT: errors then come without their details.
  const int on = 1;
  if (setsockopt(nl_socket_get_fd(sock_.get()), SOL_NETLINK, option, &on, sizeof(on)) != 0 &&
      errno != ENOPROTOOPT) {
    throw errno_error(errno);
  }
}

std::optional<int> Socket::resolve_family(const char* name) {
  const int id = genl_ctrl_resolve(sock_.get(), name);
  if (id == -NLE_OBJ_NOTFOUND) {
    return std::nullopt;
  }
  return check(id);
}

std::optional<int> Socket::resolve_group(const char* family, const char* group) {
  const int id = genl_ctrl_resolve_grp(sock_.get(), family, group);
  if (id == -NLE_OBJ_NOTFOUND) {
    return std::nullopt;
  }
  return check(id);
}

void Socket::join_group(int group) {
  // libnl turns the errno into its own code: name the privilege, as for a refused request.
  const int err = nl_socket_add_membership(sock_.get(), group);
  if (err == -NLE_PERM) {
    throw OpError(errno_text(EPERM), EPERM,
                  "listening to pcwq events needs CAP_NET_ADMIN (run as root)");
  }
  check(err);
}

int Socket::fd() const { return nl_socket_get_fd(sock_.get()); }

std::uint32_t Socket::send(Message& request) {
  // Let libnl number the request afresh, so that a request can also be sent again.
  nlmsghdr* hdr = nlmsg_hdr(request.get());
  hdr->nlmsg_pid = NL_AUTO_PORT;
  hdr->nlmsg_seq = NL_AUTO_SEQ;
  check(nl_send_auto(sock_.get(), request.get()));
  return hdr->nlmsg_seq;
}

Bytes Socket::receive() {
  Bytes datagram;
  check(receive_into(datagram));
  return datagram;
}

std::optional<Bytes> Socket::receive_unless_overrun() {
  Bytes datagram;
  // libnl reports ENOBUFS from recvmsg() as NLE_NOMEM.
  const int len = receive_into(datagram);
  if (len == -NLE_NOMEM) {
    return std::nullopt;
  }
  check(len);
  return datagram;
}

int Socket::receive_into(Bytes& datagram) {
  sockaddr_nl from{};
  unsigned char* raw = nullptr;
  const int len = nl_recv(sock_.get(), &from, &raw, nullptr);
  const std::unique_ptr<unsigned char, BufferFree> buf{raw};
  if (len < 0) {
    return len;
  }
  if (len == 0 || !buf) {
    throw protocol_error("no answer from the kernel");
  }
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): viewing a buffer as bytes
  const std::span bytes{reinterpret_cast<const std::byte*>(buf.get()),
                        static_cast<std::size_t>(len)};
  datagram.assign(bytes.begin(), bytes.end());
  return len;
}

void Socket::transact(Message& request, const ReplyHandler& on_reply) {
  Exchange exchange{
      .on_reply = on_reply, .seq = 0, .done = false, .nack = std::nullopt, .failure = {}};
  const Callbacks cb = make_callbacks(exchange);
  exchange.seq = send(request);
  while (!exchange.done) {
    // After on_error(), libnl returns the kernel's error: the exchange has the details.
    const int err = nl_recvmsgs(sock_.get(), cb.get());
    if (err < 0 && !exchange.done) {
      throw libnl_error(err);
    }
  }
  if (exchange.nack) {
    throw kernel_error(*exchange.nack, request);
  }
  if (exchange.failure) {
    std::rethrow_exception(exchange.failure);
  }
}

std::vector<Bytes> Socket::dump(Message& request) {
  return run_dump(request, {.send = [this](Message& msg) { return send(msg); },
                            .receive = [this] { return receive(); }});
}

}  // namespace wqctl::nl

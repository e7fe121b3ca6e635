#include "netlink.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <system_error>

#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <sys/socket.h>

namespace wqctl::nl {
namespace {

constexpr std::size_t align(std::size_t len) {
  constexpr std::size_t alignment = NLMSG_ALIGNTO;
  return (len + alignment - 1) & ~(alignment - 1);
}

constexpr std::size_t header_len = align(sizeof(nlmsghdr));

std::string errno_text(int errnum) { return std::generic_category().message(errnum); }

OpError errno_error(int errnum) { return {errno_text(errnum), errnum}; }

/// Throws the libnl error err if it is one (negative).
int check(int err) {
  if (err < 0) {
    throw libnl_error(err);
  }
  return err;
}

/// A T copied out of bytes, zero-filled where bytes is too short.
template <typename T>
T load(std::span<const std::byte> bytes) {
  T value{};
  std::memcpy(&value, bytes.data(), std::min(sizeof(T), bytes.size()));
  return value;
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

/// State of one request while libnl runs the callbacks below.
struct Exchange {
  const Socket::ReplyHandler& on_reply;
  bool done = false;
  std::optional<ExtAck> nack;
  std::exception_ptr failure;
};

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
  check(nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, on_valid, &exchange));
  check(nl_cb_set(cb.get(), NL_CB_ACK, NL_CB_CUSTOM, on_ack, &exchange));
  check(nl_cb_err(cb.get(), NL_CB_CUSTOM, on_error, &exchange));
  return cb;
}

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

Attrs::Attrs(int max_type) : table_(static_cast<std::size_t>(max_type) + 1) {}

Attrs Attrs::parse_genl(nl_msg* msg, int max_type) {
  Attrs attrs{max_type};
  const int err = genlmsg_parse(nlmsg_hdr(msg), 0, attrs.table_.data(), max_type, nullptr);
  if (err < 0) {
    throw protocol_error(nl_geterror(err));
  }
  return attrs;
}

Attrs Attrs::parse_stream(std::span<const std::byte> stream, int max_type) {
  Attrs attrs{max_type};
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

std::optional<std::string> Attrs::str(int type) const {
  const nlattr* attr = find(type);
  if (attr == nullptr) {
    return std::nullopt;
  }
  const auto* data = static_cast<const char*>(nla_data(attr));
  return std::string(data, strnlen(data, static_cast<std::size_t>(nla_len(attr))));
}

Message::Message(int family, std::uint8_t cmd, std::uint8_t version) : msg_(nlmsg_alloc()) {
  if (!msg_) {
    throw errno_error(ENOMEM);
  }
  if (genlmsg_put(msg_.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_REQUEST | NLM_F_ACK, cmd,
                  version) == nullptr) {
    throw libnl_error(-NLE_NOMEM);
  }
}

void Message::put_u32(int type, std::uint32_t value) {
  // nla_put() appends at the aligned end of the message.
  const auto offset = static_cast<std::uint32_t>(align(nlmsg_hdr(msg_.get())->nlmsg_len));
  check(nla_put_u32(msg_.get(), type, value));
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

void Socket::transact(Message& request, const ReplyHandler& on_reply) {
  Exchange exchange{.on_reply = on_reply, .done = false, .nack = std::nullopt, .failure = {}};
  const Callbacks cb = make_callbacks(exchange);
  // Let libnl number the request afresh, so that a request can also be sent again.
  nlmsghdr* hdr = nlmsg_hdr(request.get());
  hdr->nlmsg_pid = NL_AUTO_PORT;
  hdr->nlmsg_seq = NL_AUTO_SEQ;
  check(nl_send_auto(sock_.get(), request.get()));
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

}  // namespace wqctl::nl

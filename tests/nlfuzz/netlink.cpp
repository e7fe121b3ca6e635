#include "netlink.hpp"

#include <cerrno>
#include <iomanip>
#include <sstream>
#include <utility>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace nlfuzz {

Bytes string_bytes(std::string_view text, bool nul) {
  Bytes out;
  out.reserve(text.size() + 1);
  for (const char c : text) {
    out.push_back(static_cast<std::byte>(c));
  }
  if (nul) {
    out.push_back(std::byte{0});
  }
  return out;
}

Bytes u32_bytes(std::uint32_t value) {
  Bytes out;
  append(out, value);
  return out;
}

void append_attr(Bytes& out, std::uint16_t type, ByteView payload, std::optional<std::uint16_t> len,
                 bool pad) {
  nlattr hdr{};
  hdr.nla_len = len.value_or(static_cast<std::uint16_t>(nla_hdrlen + payload.size()));
  hdr.nla_type = type;
  append(out, hdr);
  append_bytes(out, payload);
  if (pad) {
    out.resize(align4(out.size()), std::byte{0});
  }
}

Bytes genl_message(std::uint16_t family, std::uint16_t flags, std::uint32_t seq, std::uint8_t cmd,
                   std::uint8_t version, ByteView attrs) {
  Bytes out;
  nlmsghdr hdr{};
  hdr.nlmsg_len = static_cast<std::uint32_t>(genl_attrs_offset + attrs.size());
  hdr.nlmsg_type = family;
  hdr.nlmsg_flags = flags;
  hdr.nlmsg_seq = seq;
  append(out, hdr);
  genlmsghdr genl{};
  genl.cmd = cmd;
  genl.version = version;
  append(out, genl);
  append_bytes(out, attrs);
  return out;
}

std::optional<std::vector<Message>> split_messages(ByteView datagram, std::string& why) {
  std::vector<Message> out;
  std::size_t at = 0;
  while (at < datagram.size()) {
    const ByteView rest = datagram.subspan(at);
    if (rest.size() < nlmsg_hdrlen) {
      why = "datagram ends with " + std::to_string(rest.size()) + " bytes, short of a header";
      return std::nullopt;
    }
    const auto hdr = load<nlmsghdr>(rest);
    if (hdr.nlmsg_len < nlmsg_hdrlen || hdr.nlmsg_len > rest.size()) {
      why = "nlmsg_len " + std::to_string(hdr.nlmsg_len) + " with " + std::to_string(rest.size()) +
            " bytes left in the datagram";
      return std::nullopt;
    }
    const ByteView whole = rest.first(hdr.nlmsg_len);
    out.push_back({hdr, whole, whole.subspan(nlmsg_hdrlen)});
    at += std::min<std::size_t>(align4(hdr.nlmsg_len), rest.size());
  }
  return out;
}

std::optional<std::vector<Attr>> split_attrs(ByteView stream, std::string& why) {
  std::vector<Attr> out;
  std::size_t at = 0;
  while (at < stream.size()) {
    const ByteView rest = stream.subspan(at);
    if (rest.size() < nla_hdrlen) {
      why = std::to_string(rest.size()) + " bytes left over after the attributes at offset " +
            std::to_string(at);
      return std::nullopt;
    }
    const auto hdr = load<nlattr>(rest);
    if (hdr.nla_len < nla_hdrlen || hdr.nla_len > rest.size()) {
      why = "attribute " + std::to_string(hdr.nla_type & nla_type_bits) + " at offset " +
            std::to_string(at) + " has nla_len " + std::to_string(hdr.nla_len) + " with " +
            std::to_string(rest.size()) + " bytes left";
      return std::nullopt;
    }
    out.push_back({hdr.nla_type, rest.subspan(nla_hdrlen, hdr.nla_len - nla_hdrlen), at});
    at += std::min<std::size_t>(align4(hdr.nla_len), rest.size());
  }
  return out;
}

std::string hex(ByteView bytes, std::size_t max, std::string_view indent) {
  std::ostringstream out;
  out << std::hex << std::setfill('0');
  const std::size_t shown = std::min(bytes.size(), max);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i % 32 == 0) {
      out << (i == 0 ? "" : "\n") << indent;
    } else if (i % 4 == 0) {
      out << ' ';
    }
    out << std::setw(2) << std::to_integer<unsigned>(bytes[i]);
  }
  if (shown < bytes.size()) {
    out << " ... (" << std::dec << bytes.size() << " bytes)";
  }
  return out.str();
}

std::string printable(ByteView bytes) {
  std::ostringstream out;
  for (const std::byte b : bytes) {
    const auto c = std::to_integer<unsigned char>(b);
    if (c == 0) {
      break;
    }
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
      out << static_cast<char>(c);
    } else {
      out << "\\x" << std::hex << std::setw(2) << std::setfill('0') << static_cast<unsigned>(c)
          << std::dec;
    }
  }
  return out.str();
}

Socket::Socket(Socket&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), cap_ack_(other.cap_ack_) {}

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
      close(fd_);
    }
    fd_ = std::exchange(other.fd_, -1);
    cap_ack_ = other.cap_ack_;
  }
  return *this;
}

Socket::~Socket() {
  if (fd_ >= 0) {
    close(fd_);
  }
}

std::optional<Socket> Socket::open(bool cap_ack, int& err) {
  const int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
  if (fd < 0) {
    err = errno;
    return std::nullopt;
  }
  Socket sock{fd, cap_ack};
  err = sock.set_option(NETLINK_EXT_ACK, 1);
  if (err == 0) {
    err = sock.set_option(NETLINK_CAP_ACK, cap_ack ? 1 : 0);
  }
  if (err != 0) {
    return std::nullopt;
  }
  return sock;
}

int Socket::send(ByteView datagram) const {
  for (;;) {
    const ssize_t n = ::send(fd_, datagram.data(), datagram.size(), 0);
    if (n >= 0) {
      return static_cast<std::size_t>(n) == datagram.size() ? 0 : EMSGSIZE;
    }
    if (errno != EINTR) {
      return errno;
    }
  }
}

int Socket::receive(Bytes& buf, int timeout_ms, bool& truncated) const {
  constexpr std::size_t capacity = std::size_t{256} * 1024;
  pollfd pfd{fd_, POLLIN, 0};
  for (;;) {
    const int ready = poll(&pfd, 1, timeout_ms);
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready < 0) {
      return errno;
    }
    if (ready == 0) {
      return ETIMEDOUT;
    }
    break;
  }
  buf.resize(capacity);
  iovec iov{buf.data(), buf.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  for (;;) {
    const ssize_t n = recvmsg(fd_, &msg, MSG_DONTWAIT);
    if (n >= 0) {
      buf.resize(static_cast<std::size_t>(n));
      truncated = (static_cast<unsigned>(msg.msg_flags) & MSG_TRUNC) != 0;
      return 0;
    }
    if (errno != EINTR) {
      buf.clear();
      return errno == EAGAIN ? ETIMEDOUT : errno;
    }
  }
}

int Socket::set_option(int option, int value) const {
  return setsockopt(fd_, SOL_NETLINK, option, &value, sizeof(value)) == 0 ? 0 : errno;
}

namespace {

/// Reads CTRL_ATTR_MCAST_GROUPS or CTRL_ATTR_OPS: a nest of numbered nests.
bool read_nest_list(ByteView data, std::uint16_t key_type, std::uint16_t value_type, Family& family,
                    bool groups, std::string& why) {
  const auto entries = split_attrs(data, why);
  if (!entries) {
    return false;
  }
  for (const Attr& entry : *entries) {
    const auto fields = split_attrs(entry.data, why);
    if (!fields) {
      return false;
    }
    std::optional<std::string> name;
    std::optional<std::uint32_t> key;
    std::optional<std::uint32_t> value;
    for (const Attr& field : *fields) {
      if (field.kind() == key_type && groups) {
        name = printable(field.data);
      } else if (field.kind() == key_type) {
        key = load<std::uint32_t>(field.data);
      } else if (field.kind() == value_type) {
        value = load<std::uint32_t>(field.data);
      }
    }
    if (groups && name && value) {
      family.groups[*name] = *value;
    } else if (!groups && key) {
      family.op_flags[*key] = value.value_or(0);
    } else {
      why = "an entry of CTRL_ATTR_MCAST_GROUPS or CTRL_ATTR_OPS lacks a field";
      return false;
    }
  }
  return true;
}

bool read_family(const Message& msg, Family& family, std::string& why) {
  if (msg.payload.size() < genl_hdrlen) {
    why = "CTRL reply shorter than a genl header";
    return false;
  }
  const auto attrs = split_attrs(msg.payload.subspan(genl_hdrlen), why);
  if (!attrs) {
    return false;
  }
  for (const Attr& a : *attrs) {
    switch (a.kind()) {
      case CTRL_ATTR_FAMILY_ID:
        family.id = load<std::uint16_t>(a.data);
        break;
      case CTRL_ATTR_VERSION:
        family.version = load<std::uint32_t>(a.data);
        break;
      case CTRL_ATTR_HDRSIZE:
        family.hdrsize = load<std::uint32_t>(a.data);
        break;
      case CTRL_ATTR_MAXATTR:
        family.maxattr = load<std::uint32_t>(a.data);
        break;
      case CTRL_ATTR_OPS:
        if (!read_nest_list(a.data, CTRL_ATTR_OP_ID, CTRL_ATTR_OP_FLAGS, family, false, why)) {
          return false;
        }
        break;
      case CTRL_ATTR_MCAST_GROUPS:
        if (!read_nest_list(a.data, CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID, family, true,
                            why)) {
          return false;
        }
        break;
      default:
        break;
    }
  }
  if (family.id == 0) {
    why = "CTRL reply without CTRL_ATTR_FAMILY_ID";
    return false;
  }
  return true;
}

}  // namespace

std::optional<Family> resolve_family(const Socket& sock, std::string_view name, std::uint32_t seq,
                                     std::string& why) {
  Bytes attrs;
  append_attr(attrs, CTRL_ATTR_FAMILY_NAME, string_bytes(name, true));
  const Bytes request =
      genl_message(GENL_ID_CTRL, NLM_F_REQUEST, seq, CTRL_CMD_GETFAMILY, 2, attrs);
  if (const int err = sock.send(request); err != 0) {
    why = std::string("send: ") + std::strerror(err);
    return std::nullopt;
  }
  Bytes buf;
  for (;;) {
    bool truncated = false;
    if (const int err = sock.receive(buf, 5000, truncated); err != 0) {
      why = std::string("no answer from nlctrl: ") + std::strerror(err);
      return std::nullopt;
    }
    const auto msgs = split_messages(buf, why);
    if (!msgs) {
      return std::nullopt;
    }
    for (const Message& msg : *msgs) {
      if (msg.hdr.nlmsg_seq != seq) {
        continue;
      }
      if (msg.hdr.nlmsg_type == NLMSG_ERROR) {
        const int error = load<int>(msg.payload);
        why = "family " + std::string(name) + ": " + std::strerror(-error);
        return std::nullopt;
      }
      Family family;
      if (!read_family(msg, family, why)) {
        return std::nullopt;
      }
      return family;
    }
  }
}

}  // namespace nlfuzz

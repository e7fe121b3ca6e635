#include "dump.hpp"

#include <string>
#include <utility>

#include <netlink/errno.h>
#include <netlink/msg.h>

#include "wire.hpp"

namespace wqctl::nl {

ExtAck parse_done(std::span<const std::byte> buf) {
  const auto hdr = load<nlmsghdr>(buf);
  if (buf.size() < header_len || hdr.nlmsg_len < header_len || hdr.nlmsg_len > buf.size()) {
    throw protocol_error("truncated NLMSG_DONE");
  }
  const auto payload = buf.subspan(header_len, hdr.nlmsg_len - header_len);
  // Very old kernels send no payload at all.
  if (payload.empty()) {
    return {};
  }
  if (payload.size() < sizeof(int)) {
    throw protocol_error("truncated NLMSG_DONE");
  }
  ExtAck done{.error = -load<int>(payload), .message = {}, .offset = std::nullopt};
  if ((hdr.nlmsg_flags & NLM_F_ACK_TLVS) != 0 && payload.size() > align(sizeof(int))) {
    const Attrs attrs = Attrs::parse_stream(payload.subspan(align(sizeof(int))), NLMSGERR_ATTR_MAX);
    done.message = attrs.str(NLMSGERR_ATTR_MSG).value_or("");
    done.offset = attrs.u32(NLMSGERR_ATTR_OFFS);
  }
  return done;
}

bool DumpReader::feed(std::span<const std::byte> datagram) {
  bool complete = false;
  std::size_t offset = 0;
  while (!complete && offset < datagram.size()) {
    const auto rest = datagram.subspan(offset);
    const auto hdr = load<nlmsghdr>(rest);
    if (rest.size() < header_len || hdr.nlmsg_len < header_len || hdr.nlmsg_len > rest.size()) {
      throw protocol_error("truncated message in dump");
    }
    complete = take(rest.first(hdr.nlmsg_len));
    offset += align(hdr.nlmsg_len);
  }
  return complete;
}

bool DumpReader::take(std::span<const std::byte> msg) {
  const auto hdr = load<nlmsghdr>(msg);
  if (hdr.nlmsg_seq != seq_) {
    return false;  // left over from an earlier request
  }
  if ((hdr.nlmsg_flags & NLM_F_DUMP_INTR) != 0) {
    interrupted_ = true;
  }
  switch (hdr.nlmsg_type) {
    case NLMSG_NOOP:
      return false;
    case NLMSG_OVERRUN:
      throw protocol_error("netlink overrun");
    case NLMSG_ERROR: {
      // The dump did not start (or, in theory, an ACK after NLMSG_DONE).
      const ExtAck ack = parse_ext_ack(msg);
      if (ack.error != 0) {
        throw kernel_error(ack, *request_);
      }
      return true;
    }
    case NLMSG_DONE: {
      const ExtAck done = parse_done(msg);
      if (done.error != 0) {
        throw kernel_error(done, *request_);
      }
      return true;
    }
    default:
      messages_.emplace_back(msg.begin(), msg.end());
      return false;
  }
}

std::vector<Bytes> run_dump(Message& request, const DumpIo& io, int attempts) {
  for (int attempt = 0; attempt < attempts; ++attempt) {
    DumpReader reader{request, io.send(request)};
    bool complete = false;
    while (!complete) {
      complete = reader.feed(io.receive());
    }
    if (!reader.interrupted()) {
      return reader.take_messages();
    }
  }
  throw OpError(nl_geterror(NLE_DUMP_INTR), 0,
                "gave up after " + std::to_string(attempts) + " attempts");
}

}  // namespace wqctl::nl

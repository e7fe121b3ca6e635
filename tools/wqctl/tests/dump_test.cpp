// The dump loop against a scripted kernel: messages over several datagrams, stale answers,
// NLM_F_DUMP_INTR restarts and errors at the start and at the end of a dump.
#include "dump.hpp"

#include <cerrno>
#include <cstdint>
#include <deque>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <gtest/gtest.h>

#include "netlink_builders.hpp"
#include "output.hpp"
#include "pcwq_genl.h"

namespace wqctl::nl {
namespace {

constexpr int fake_family = 0x1d;

/// A dumped message carrying its index as PCWQ_A_QUEUE_MAX_ACTIVE.
test::MsgPtr entry(std::uint32_t seq, std::uint32_t index, int extra_flags = 0) {
  test::MsgPtr msg{nlmsg_alloc()};
  EXPECT_NE(genlmsg_put(msg.get(), 0, seq, fake_family, 0, NLM_F_MULTI | extra_flags,
                        PCWQ_CMD_QUEUE_GET, PCWQ_GENL_VERSION),
            nullptr);
  EXPECT_EQ(nla_put_u32(msg.get(), PCWQ_A_QUEUE_MAX_ACTIVE, index), 0);
  return msg;
}

/// NLMSG_DONE carrying error (a negative errno or 0) and, when given, an extended ACK message.
test::MsgPtr done(std::uint32_t seq, int error = 0, const char* message = nullptr,
                  int extra_flags = 0) {
  test::MsgPtr msg{nlmsg_alloc_simple(
      NLMSG_DONE, NLM_F_MULTI | extra_flags | (message != nullptr ? NLM_F_ACK_TLVS : 0))};
  nlmsg_hdr(msg.get())->nlmsg_seq = seq;
  test::append(msg.get(), std::as_bytes(std::span{&error, 1}));
  if (message != nullptr) {
    EXPECT_EQ(nla_put_string(msg.get(), NLMSGERR_ATTR_MSG, message), 0);
  }
  return msg;
}

Message dump_request() {
  Message request{fake_family, PCWQ_CMD_STATS_GET, PCWQ_GENL_VERSION, Message::Kind::dump};
  request.put_u32(PCWQ_A_STATS_CPU, 7);
  return request;
}

std::vector<std::uint32_t> indexes(const std::vector<Bytes>& messages) {
  std::vector<std::uint32_t> found;
  found.reserve(messages.size());
  for (const Bytes& msg : messages) {
    found.push_back(Attrs::parse_genl(msg, PCWQ_A_MAX).u32(PCWQ_A_QUEUE_MAX_ACTIVE).value_or(0));
  }
  return found;
}

/// A kernel that answers attempt n (from 0) of a dump with the datagrams script(n, seq).
class ScriptedKernel {
 public:
  using Script = std::function<std::vector<Bytes>(int attempt, std::uint32_t seq)>;

  explicit ScriptedKernel(Script script) : script_(std::move(script)) {}

  DumpIo io() {
    return {.send =
                [this](Message& /*request*/) {
                  const std::uint32_t seq = next_seq_++;
                  for (Bytes& datagram : script_(sends_, seq)) {
                    pending_.push_back(std::move(datagram));
                  }
                  ++sends_;
                  return seq;
                },
            .receive =
                [this] {
                  if (pending_.empty()) {
                    throw std::logic_error("receive() without a datagram to receive");
                  }
                  Bytes datagram = std::move(pending_.front());
                  pending_.pop_front();
                  return datagram;
                }};
  }
  [[nodiscard]] int sends() const { return sends_; }
  [[nodiscard]] bool drained() const { return pending_.empty(); }

 private:
  Script script_;
  std::uint32_t next_seq_ = 100;
  int sends_ = 0;
  std::deque<Bytes> pending_;
};

/// The error run_dump() throws, or errnum -1 when it does not throw.
OpError error_of(Message& request, ScriptedKernel& kernel) {
  try {
    run_dump(request, kernel.io());
  } catch (const OpError& error) {
    return error;
  }
  return {"no error", -1};
}

TEST(DumpReader, MessagesOverSeveralDatagrams) {
  const Message request = dump_request();
  DumpReader reader{request, 5};
  EXPECT_FALSE(reader.feed(test::datagram({entry(5, 1).get(), entry(5, 2).get()})));
  EXPECT_TRUE(reader.feed(test::datagram({entry(5, 3).get(), done(5).get()})));
  EXPECT_FALSE(reader.interrupted());
  EXPECT_EQ(indexes(reader.take_messages()), (std::vector<std::uint32_t>{1, 2, 3}));
}

TEST(DumpReader, EmptyDump) {
  const Message request = dump_request();
  DumpReader reader{request, 5};
  EXPECT_TRUE(reader.feed(test::datagram({done(5).get()})));
  EXPECT_TRUE(reader.take_messages().empty());
}

TEST(DumpReader, SkipsAnswersToOtherRequests) {
  const Message request = dump_request();
  DumpReader reader{request, 5};
  EXPECT_FALSE(reader.feed(test::datagram({entry(4, 9).get(), done(4).get(), entry(5, 1).get()})));
  EXPECT_TRUE(reader.feed(test::datagram({done(5).get()})));
  EXPECT_EQ(indexes(reader.take_messages()), (std::vector<std::uint32_t>{1}));
}

TEST(DumpReader, InterruptedWhenAMessageSaysSo) {
  const Message request = dump_request();
  DumpReader reader{request, 5};
  EXPECT_FALSE(reader.feed(test::datagram({entry(5, 1, NLM_F_DUMP_INTR).get()})));
  EXPECT_TRUE(reader.interrupted());
  EXPECT_TRUE(reader.feed(test::datagram({done(5).get()})));
}

TEST(DumpReader, InterruptedWhenDoneSaysSo) {
  const Message request = dump_request();
  DumpReader reader{request, 5};
  EXPECT_TRUE(reader.feed(test::datagram({done(5, 0, nullptr, NLM_F_DUMP_INTR).get()})));
  EXPECT_TRUE(reader.interrupted());
}

TEST(DumpReader, TruncatedDatagramIsAProtocolError) {
  const Message request = dump_request();
  DumpReader reader{request, 5};
  Bytes bytes = test::datagram({entry(5, 1).get()});
  bytes.resize(bytes.size() - 4);
  try {
    reader.feed(bytes);
    ADD_FAILURE() << "accepted a truncated message";
  } catch (const OpError& error) {
    EXPECT_EQ(error.errnum(), EPROTO);
  }
}

TEST(ParseDone, Success) {
  const ExtAck ack = parse_done(test::bytes_of(done(1).get()));
  EXPECT_EQ(ack.error, 0);
  EXPECT_EQ(ack.message, "");
}

TEST(ParseDone, ErrorWithMessage) {
  const ExtAck ack = parse_done(test::bytes_of(done(1, -EMSGSIZE, "entry too big").get()));
  EXPECT_EQ(ack.error, EMSGSIZE);
  EXPECT_EQ(ack.message, "entry too big");
}

TEST(ParseDone, WithoutPayload) {
  const test::MsgPtr msg{nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI)};
  EXPECT_EQ(parse_done(test::bytes_of(msg.get())).error, 0);
}

TEST(RunDump, CollectsEveryMessage) {
  Message request = dump_request();
  ScriptedKernel kernel{[](int /*attempt*/, std::uint32_t seq) {
    return std::vector<Bytes>{test::datagram({entry(seq, 1).get(), entry(seq, 2).get()}),
                              test::datagram({done(seq).get()})};
  }};
  EXPECT_EQ(indexes(run_dump(request, kernel.io())), (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(kernel.sends(), 1);
  EXPECT_TRUE(kernel.drained());
}

TEST(RunDump, RestartsAnInterruptedDumpAfterReadingItToItsEnd) {
  Message request = dump_request();
  ScriptedKernel kernel{[](int attempt, std::uint32_t seq) {
    if (attempt == 0) {
      return std::vector<Bytes>{test::datagram({entry(seq, 1).get()}),
                                test::datagram({entry(seq, 2, NLM_F_DUMP_INTR).get()}),
                                test::datagram({entry(seq, 3, NLM_F_DUMP_INTR).get()}),
                                test::datagram({done(seq, 0, nullptr, NLM_F_DUMP_INTR).get()})};
    }
    return std::vector<Bytes>{
        test::datagram({entry(seq, 10).get(), entry(seq, 20).get(), done(seq).get()})};
  }};
  EXPECT_EQ(indexes(run_dump(request, kernel.io())), (std::vector<std::uint32_t>{10, 20}));
  EXPECT_EQ(kernel.sends(), 2);
  EXPECT_TRUE(kernel.drained());
}

TEST(RunDump, GivesUpOnADumpThatIsAlwaysInterrupted) {
  Message request = dump_request();
  ScriptedKernel kernel{[](int /*attempt*/, std::uint32_t seq) {
    return std::vector<Bytes>{
        test::datagram({entry(seq, 1, NLM_F_DUMP_INTR).get(), done(seq).get()})};
  }};
  const OpError error = error_of(request, kernel);
  EXPECT_EQ(error.errnum(), 0);
  EXPECT_EQ(describe(error), "Dump inconsistency detected, interrupted: gave up after 5 attempts");
  EXPECT_EQ(kernel.sends(), max_dump_attempts);
}

TEST(RunDump, ErrorInDone) {
  Message request = dump_request();
  ScriptedKernel kernel{[](int /*attempt*/, std::uint32_t seq) {
    return std::vector<Bytes>{test::datagram({entry(seq, 1).get()}),
                              test::datagram({done(seq, -ENOBUFS, "no room for the queue").get()})};
  }};
  const OpError error = error_of(request, kernel);
  EXPECT_EQ(error.errnum(), ENOBUFS);
  EXPECT_EQ(error.ext_msg(), "no room for the queue");
  EXPECT_EQ(kernel.sends(), 1);
}

TEST(RunDump, ErrorInDoneWithoutExtendedAck) {
  Message request = dump_request();
  ScriptedKernel kernel{[](int /*attempt*/, std::uint32_t seq) {
    return std::vector<Bytes>{test::datagram({entry(seq, 1).get(), done(seq, -EIO).get()})};
  }};
  const OpError error = error_of(request, kernel);
  EXPECT_EQ(error.errnum(), EIO);
  EXPECT_EQ(error.ext_msg(), "");
}

TEST(RunDump, ErrorAtTheStartNamesTheAttribute) {
  Message request = dump_request();
  ScriptedKernel kernel{[&request](int /*attempt*/, std::uint32_t seq) {
    nlmsg_hdr(request.get())->nlmsg_seq = seq;  // what sending does
    // nlmsghdr (16) + genlmsghdr (4): PCWQ_A_STATS_CPU is at offset 20.
    const auto nack = test::error_reply(
        request, {.error = EINVAL, .capped = true, .message = "bad CPU", .offset = 20});
    return std::vector<Bytes>{test::datagram({nack.get()})};
  }};
  const OpError error = error_of(request, kernel);
  EXPECT_EQ(error.errnum(), EINVAL);
  EXPECT_EQ(error.attr(), PCWQ_A_STATS_CPU);
  EXPECT_EQ(describe(error), "Invalid argument: bad CPU (--cpu)");
}

}  // namespace
}  // namespace wqctl::nl

#include "scheduler_plugins/external/policy_process.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/message.h>

#include <utility>

namespace clustersim::plugins::external {

namespace pb = clustersim::external::v1;

PolicyProcess::PolicyProcess(std::vector<std::string> argv, std::string socket,
                             std::chrono::milliseconds timeout)
    : argv_(std::move(argv)), socket_(std::move(socket)), timeout_(timeout) {}

sim::Status PolicyProcess::Problem(const std::string& who, const std::string& problem) const {
  return sim::Status::Error(fmt::format(
      "{} ('{}'): {}", who,
      socket_.empty() ? fmt::format("{}", fmt::join(argv_, " ")) : "socket " + socket_, problem));
}

void PolicyProcess::Fail(sim::Status error) {
  if (failed_) return;  // the first error is the run's
  failed_ = true;
  // Ctrl-C cut the wait short: the run ends as interrupted (the simulator stops after this
  // event), not as this policy's failure.
  if (channel_ && channel_->interrupted()) return;
  if (run_.fail) run_.fail(std::move(error));
}

sim::Result<pb::HelloReply> PolicyProcess::Hello(const std::string& who, pb::Hello hello) {
  if (!channel_) {
    sim::Result<Channel> channel =
        socket_.empty() ? Channel::Start(argv_, run_.log_path, timeout_, run_.python_path)
                        : Channel::Connect(socket_, timeout_);
    if (!channel.ok()) return Problem(who, "hello: " + channel.error());
    channel_.emplace(std::move(channel).value());
    channel_->SetStop(run_.stop);
  }
  hello.set_protocol_version(kProtocolVersion);
  hello.set_scenario(run_.scenario);
  hello.set_seed(run_.seed);
  request_.Clear();
  *request_.mutable_hello() = std::move(hello);
  out_.clear();
  if (!request_.SerializeToString(&out_)) return Problem(who, "hello: cannot serialize Hello");
  pb::HelloReply reply;
  SIM_ASSIGN_OR_RETURN(const bool replied,
                       Exchange(who, {"hello"}, out_, /*FromPolicy.hello*/ 1, reply));
  if (!replied) return Problem(who, "hello: expected a HelloReply first (protocol.proto)");
  if (reply.protocol_version() != kProtocolVersion) {
    return Problem(who, fmt::format("hello: the policy speaks protocol version {}; this clustersim "
                                    "speaks {}",
                                    reply.protocol_version(), kProtocolVersion));
  }
  return reply;
}

// A FromPolicy that is the field `answer_field` alone is parsed straight into the caller's kept
// message (FromPolicy's own parse would allocate its oneof's message every time).
sim::Result<bool> PolicyProcess::Exchange(const std::string& who, Step step,
                                          const std::string& request_bytes, int answer_field,
                                          google::protobuf::MessageLite& answer) {
  const auto problem = [&](const std::string& what) {
    return step.number == 0 ? Problem(who, fmt::format("{}: {}", step.name, what))
                            : Problem(who, fmt::format("{} {}: {}", step.name, step.number, what));
  };
  if (sim::Status s = channel_->Send(request_bytes); !s.ok()) return problem(s.message());
  if (sim::Status s = channel_->Receive(in_); !s.ok()) return problem(s.message());
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(in_.data()),
                                            static_cast<int>(in_.size()));
  uint32_t size = 0;
  constexpr uint32_t kLen = 2;  // wire type
  if (in.ReadTag() == (static_cast<uint32_t>(answer_field) << 3 | kLen) && in.ReadVarint32(&size) &&
      static_cast<size_t>(in.CurrentPosition()) + size == in_.size() &&
      answer.ParseFromArray(in_.data() + in.CurrentPosition(), static_cast<int>(size))) {
    return true;
  }
  if (!answer_.ParseFromString(in_)) {
    return problem(fmt::format(
        "the policy sent {} bytes that are not a FromPolicy message (protocol.proto)", in_.size()));
  }
  if (answer_.has_error()) {
    return problem("the policy reported an error: " + answer_.error().message());
  }
  // Not in the one layout the fast path reads (an unknown field beside the answer, the answer in
  // pieces), yet a FromPolicy: it is the answer if its oneof holds the expected case.
  if (static_cast<int>(answer_.body_case()) == answer_field) {
    const google::protobuf::Reflection* reflection = answer_.GetReflection();
    const google::protobuf::FieldDescriptor* field =
        answer_.GetDescriptor()->FindFieldByNumber(answer_field);
    std::string bytes;
    if (field != nullptr && reflection->GetMessage(answer_, field).SerializeToString(&bytes) &&
        answer.ParseFromString(bytes)) {
      return true;
    }
  }
  return false;
}

void PolicyProcess::End(const std::string& summary_json) {
  if (!channel_ || ended_) return;
  ended_ = true;
  if (!failed_) {
    request_.Clear();
    request_.mutable_end()->set_summary_json(summary_json);
    out_.clear();
    // The process may be gone already: nothing to report at the end.
    if (request_.SerializeToString(&out_)) (void)channel_->Send(out_);
  }
  // A process that failed the run gets no grace: it may be hanging.
  channel_->Finish(std::chrono::milliseconds(failed_ ? 0 : 2000));
}

}  // namespace clustersim::plugins::external

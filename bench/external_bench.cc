// The external policy protocol's costs (issue 17 item 6): the raw pipe round trip to a process,
// and an empty placement round against a trivial C++ responder (serialize a PlacementRound, send
// it, the responder parses it and answers an empty PlacementDecision, parse that).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <optional>
#include <string>

#include "protocol.pb.h"
#include "scheduler_plugins/external/channel.h"

namespace {

using clustersim::plugins::external::Channel;
namespace pb = clustersim::external::v1;

// The channel, or nothing with the benchmark skipped, its error naming the command.
std::optional<Channel> StartOrSkip(const std::vector<std::string>& argv, benchmark::State& state) {
  auto channel = Channel::Start(argv, "", std::chrono::milliseconds(10000));
  if (!channel.ok()) {
    const std::string error =
        fmt::format("'{}': {}", fmt::join(argv, " "), channel.status().message());
    state.SkipWithError(error.c_str());
    return std::nullopt;
  }
  return std::move(*channel);
}

// A 16-byte frame to `cat <&3 >&4` and back: what any protocol pays per round trip here.
void BM_ExternalPipeRoundTrip(benchmark::State& state) {
  std::optional<Channel> started = StartOrSkip({"sh", "-c", "cat <&3 >&4"}, state);
  if (!started) return;
  Channel& channel = *started;
  const std::string frame(16, 'x');
  std::string back;
  for (auto _ : state) {
    if (!channel.Send(frame).ok() || !channel.Receive(back).ok()) {
      state.SkipWithError("round trip failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExternalPipeRoundTrip)->UseRealTime();

// One empty round: the request and answer objects and buffers reused, as ExternalPlacement does.
void BM_ExternalEmptyRound(benchmark::State& state) {
  std::optional<Channel> started = StartOrSkip({CLUSTERSIM_EXTERNAL_RESPONDER}, state);
  if (!started) return;
  Channel& channel = *started;
  pb::ToPolicy request;
  pb::FromPolicy answer;
  std::string out, in;
  uint64_t round = 0;
  for (auto _ : state) {
    request.Clear();
    request.mutable_round()->set_round(++round);
    request.mutable_round()->set_now_us(static_cast<int64_t>(round) * 1000);
    out.clear();
    request.SerializeToString(&out);
    if (!channel.Send(out).ok() || !channel.Receive(in).ok() || !answer.ParseFromString(in) ||
        !answer.has_decision()) {
      state.SkipWithError("round failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExternalEmptyRound)->UseRealTime();

}  // namespace

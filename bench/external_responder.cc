// The trivial external policy the external benchmarks talk to (bench/external_bench.cc): answers
// Hello with HelloReply and every PlacementRound with an empty PlacementDecision, over fds 3 and
// 4 (scheduler_plugins/external/protocol.proto), until RunEnd or end of file.
#include <unistd.h>

#include <cstdint>
#include <string>

#include "protocol.pb.h"

namespace {

bool ReadAll(int fd, char* out, size_t n) {
  while (n > 0) {
    const ssize_t r = read(fd, out, n);
    if (r <= 0) return false;
    out += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

bool WriteAll(int fd, const char* data, size_t n) {
  while (n > 0) {
    const ssize_t w = write(fd, data, n);
    if (w <= 0) return false;
    data += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

}  // namespace

int main() {
  namespace pb = clustersim::external::v1;
  pb::ToPolicy request;
  pb::FromPolicy answer;
  std::string in, out;
  while (true) {
    unsigned char header[4];
    if (!ReadAll(3, reinterpret_cast<char*>(header), 4)) return 0;
    const uint32_t n = header[0] | (uint32_t{header[1]} << 8) | (uint32_t{header[2]} << 16) |
                       (uint32_t{header[3]} << 24);
    in.resize(n);
    if (!ReadAll(3, in.data(), n) || !request.ParseFromString(in)) return 1;
    if (request.has_end()) return 0;
    answer.Clear();
    if (request.has_hello()) {
      answer.mutable_hello()->set_protocol_version(request.hello().protocol_version());
      answer.mutable_hello()->set_name("bench-responder");
    } else {
      answer.mutable_decision();
    }
    out.assign(4, '\0');
    answer.AppendToString(&out);
    const uint32_t size = static_cast<uint32_t>(out.size() - 4);
    for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(size >> (8 * i));
    if (!WriteAll(4, out.data(), out.size())) return 1;
  }
}

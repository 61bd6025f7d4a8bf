// The external policy channel (issue 17): framing, round trips and every way a policy process can
// fail, against small shell responders.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "scheduler_plugins/external/channel.h"

namespace clustersim::plugins::external {
namespace {

using std::chrono::milliseconds;

Channel Start(const std::string& script, milliseconds timeout = milliseconds(5000)) {
  auto c = Channel::Start({"sh", "-c", script}, "", timeout);
  EXPECT_TRUE(c.ok()) << c.status().message();
  return std::move(*c);
}

// `cat <&3 >&4` returns every frame as it came: framing both ways, many sizes, the buffer reused.
TEST(ExternalChannelTest, EchoesFramesOfEverySize) {
  Channel c = Start("cat <&3 >&4");
  std::string back;
  for (size_t n : {size_t{0}, size_t{1}, size_t{255}, size_t{256}, size_t{70000}, size_t{3}}) {
    std::string sent(n, '\0');
    for (size_t i = 0; i < n; ++i) sent[i] = static_cast<char>(i * 7 + n);
    ASSERT_TRUE(c.Send(sent).ok());
    ASSERT_TRUE(c.Receive(back).ok());
    EXPECT_EQ(back, sent) << n;
  }
}

TEST(ExternalChannelTest, ACommandThatDoesNotExistIsAnError) {
  auto c = Channel::Start({"no-such-policy-program"}, "", milliseconds(1000));
  ASSERT_FALSE(c.ok());
  // The caller names the command (PolicyProcess::Problem); the channel says what happened.
  EXPECT_EQ(c.status().message().rfind("cannot start the policy: No such file or directory", 0), 0u)
      << c.status().message();
}

TEST(ExternalChannelTest, AFileInTheCurrentFolderNamedWithoutSlashGetsAHint) {
  const std::filesystem::path before = std::filesystem::current_path();
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("channel-hint-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::current_path(dir);
  { std::ofstream("policy-here.sh") << "#!/bin/sh\nexit 0\n"; }
  std::filesystem::permissions("policy-here.sh", std::filesystem::perms::owner_all);
  auto c = Channel::Start({"policy-here.sh"}, "", milliseconds(1000));
  std::filesystem::current_path(before);
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find(
                "(a name without '/' is looked up on PATH only; write ./policy-here.sh for the "
                "file in the current folder)"),
            std::string::npos)
      << c.status().message();
  // No hint when there is no such file either.
  auto none = Channel::Start({"no-such-policy-program"}, "", milliseconds(1000));
  EXPECT_EQ(none.status().message().find("PATH only"), std::string::npos);
}

TEST(ExternalChannelTest, AProcessThatExitsIsReportedWithItsStatus) {
  Channel c = Start("exit 3");
  std::string back;
  const sim::Status s = c.Receive(back);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "the policy closed its answer pipe: it exited with status 3");
}

TEST(ExternalChannelTest, SendingToAProcessThatExitedIsAnErrorNotASignal) {
  Channel c = Start("exit 0");
  std::string back;
  EXPECT_FALSE(c.Receive(back).ok());
  sim::Status s = sim::Status::Ok();
  // The first writes may still land in the pipe's buffer; a dead reader fails them soon after.
  for (int i = 0; i < 100 && s.ok(); ++i) s = c.Send(std::string(1 << 16, 'x'));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("stopped reading"), std::string::npos) << s.message();
}

TEST(ExternalChannelTest, AProcessThatDoesNotAnswerTimesOut) {
  Channel c = Start("sleep 30", milliseconds(200));
  const auto start = std::chrono::steady_clock::now();
  std::string back;
  const sim::Status s = c.Receive(back);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("did not answer within 0.2 s"), std::string::npos) << s.message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  // Destroying the channel kills the sleeper instead of waiting 30 s for it.
}

TEST(ExternalChannelTest, AnOversizedFrameIsAnError) {
  Channel c = Start("printf '\\377\\377\\377\\177garbage' >&4; sleep 5");
  std::string back;
  const sim::Status s = c.Receive(back);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("sent a frame of 2147483647 bytes"), std::string::npos) << s.message();
}

TEST(ExternalChannelTest, AFrameCutShortIsAnError) {
  Channel c = Start("printf '\\010\\000\\000\\000abc' >&4");
  std::string back;
  const sim::Status s = c.Receive(back);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("closed its answer pipe"), std::string::npos) << s.message();
}

// A policy on a socket is no child process: when it hangs up, the error says the connection was
// closed (it read "closed its answer pipe: not running" once), reading and writing alike.
TEST(ExternalChannelTest, APolicyOnASocketThatHangsUpClosedItsConnection) {
  const std::string path = ::testing::TempDir() + "/hangup.sock";
  std::filesystem::remove(path);
  const int listener = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  ASSERT_LT(path.size(), sizeof(address.sun_path));
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  ASSERT_EQ(bind(listener, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  auto c = Channel::Connect(path, milliseconds(2000));
  ASSERT_TRUE(c.ok()) << c.status().message();
  const int policy = accept(listener, nullptr, nullptr);
  ASSERT_GE(policy, 0);
  close(policy);
  close(listener);
  std::string back;
  const sim::Status read = c->Receive(back);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.message(), "the policy closed its socket connection");
  sim::Status write = sim::Status::Ok();
  for (int i = 0; i < 100 && write.ok(); ++i) write = c->Send(std::string(1 << 16, 'x'));
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.message(), "the policy stopped reading: it closed its socket connection");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace clustersim::plugins::external

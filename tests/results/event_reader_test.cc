// results/event_reader: the exact amounts and the line both readers print (tests/integration/
// events_test.cc reads whole runs).
#include "results/event_reader.h"

#include <google/protobuf/util/delimited_message_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "events.pb.h"  // generated from results/proto/events.proto

namespace clustersim::results {
namespace {

TEST(EventReaderTest, AmountsPrintExactly) {
  EXPECT_EQ(FormatFixed(2048000), "2048");
  EXPECT_EQ(FormatFixed(500), "0.5");
  EXPECT_EQ(FormatFixed(1250), "1.25");
  EXPECT_EQ(FormatFixed(2895014), "2895.014");
  EXPECT_EQ(FormatFixed(0), "0");
  EXPECT_EQ(FormatFixed(-1500), "-1.5");
}

TEST(EventReaderTest, LineHasTimeKindAndTheNonEmptyFields) {
  EventRecord e;
  e.group = EventRecord::Group::kTask;
  e.time_us = 12000001;
  e.kind = "TASK_LAUNCHED";
  e.task_id = 7;
  e.framework = "web";
  e.agent = "linux-3";
  e.os = "linux";
  e.state = "STAGING";
  e.offer_id = 42;
  e.resources = {1000, 2048500, 0};
  EXPECT_EQ(FormatEventLine(e, {"cpus", "mem", "disk", "gpus"}),
            "12.000001 TASK_LAUNCHED task_id=7 framework=web agent=linux-3 os=linux "
            "state=STAGING offer_id=42 cpus=1 mem=2048.5");
}

TEST(EventReaderTest, SchedulingLinesCarryTheirFigures) {
  const std::vector<std::string> kinds = {"cpus", "mem"};
  EventRecord e;
  e.group = EventRecord::Group::kScheduling;
  e.time_us = 3500000;
  e.framework = "batch";
  e.kind = "DECISION_STARTED";
  e.busy_us = 105000;
  e.placed = 0;
  EXPECT_EQ(FormatEventLine(e, kinds),
            "3.500000 DECISION_STARTED framework=batch busy_s=0.105000 placed=0");
  e.kind = "TRANSACTION";
  e.claims_committed = 4;
  e.claims_conflicted = 1;
  EXPECT_EQ(FormatEventLine(e, kinds),
            "3.500000 TRANSACTION framework=batch claims_committed=4 claims_conflicted=1");
  e.kind = "JOB_PLACED";
  e.job_id = 12;
  e.wait_us = 61000001;
  EXPECT_EQ(FormatEventLine(e, kinds),
            "3.500000 JOB_PLACED framework=batch job_id=12 wait_s=61.000001");
}

// A file of `version` holding one AGENT_UP of agent "a" at 2 s.
std::string WriteFileOfVersion(uint32_t version) {
  const std::string path = ::testing::TempDir() + "/v" + std::to_string(version) + ".binpb";
  std::ofstream out(path, std::ios::binary);
  Header header;
  header.set_magic("clustersim.events");
  header.set_version(version);
  header.add_resource_kinds("cpus");
  google::protobuf::util::SerializeDelimitedToOstream(header, &out);
  Event name;
  name.set_kind(Event::NAME);
  name.set_name("a");
  google::protobuf::util::SerializeDelimitedToOstream(name, &out);
  Event up;
  up.set_kind(Event::AGENT_UP);
  up.set_dt_us(2000000);
  up.set_agent(1);
  google::protobuf::util::SerializeDelimitedToOstream(up, &out);
  return path;
}

// Versions 3 and 4 only added records: version 2 files read as before; a later version is refused
// with its number.
TEST(EventReaderTest, ReadsVersionsTwoToFourAndRefusesLater) {
  for (uint32_t version : {2u, 3u, 4u}) {
    auto reader = EventReader::Open(WriteFileOfVersion(version));
    ASSERT_TRUE(reader.ok()) << reader.status().message();
    EventRecord e;
    auto more = (*reader)->Next(e);
    ASSERT_TRUE(more.ok() && *more);
    EXPECT_EQ(FormatEventLine(e, (*reader)->resource_kinds()), "2.000000 AGENT_UP agent=a");
  }
  auto later = EventReader::Open(WriteFileOfVersion(5));
  ASSERT_FALSE(later.ok());
  EXPECT_NE(later.status().message().find("format version 5; this reader reads 2 to 4"),
            std::string::npos)
      << later.status().message();
}

TEST(EventReaderTest, MissingFileIsAnError) {
  auto reader = EventReader::Open("/nonexistent/events.binpb");
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("/nonexistent/events.binpb"), std::string::npos);
}

}  // namespace
}  // namespace clustersim::results

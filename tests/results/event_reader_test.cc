// results/event_reader: the exact amounts and the line both readers print (tests/integration/
// events_test.cc reads whole runs).
#include "results/event_reader.h"

#include <gtest/gtest.h>

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

TEST(EventReaderTest, MissingFileIsAnError) {
  auto reader = EventReader::Open("/nonexistent/events.binpb");
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("/nonexistent/events.binpb"), std::string::npos);
}

}  // namespace
}  // namespace clustersim::results

#include "models/framework/two_level_job_waits.h"

#include <gtest/gtest.h>

namespace clustersim::models {
namespace {

sim::Time Sec(double s) { return sim::Time::FromSeconds(s); }

Task JobTask(uint64_t job, double submitted_s) {
  Task t;
  t.job = job;
  t.submitted = Sec(submitted_s);
  return t;
}

// Submitted at 5 s while a round started at 0 s (10 s long) was deciding: that round did not
// consider it. Rounds at 10 s (3 s) and 13 s (4 s) did and handed it back; the round starting at
// 20 s places its last task: 20 - 5 - 7 = 8 s in the queue.
TEST(TwoLevelJobWaitsTest, TheWaitLeavesOutOnlyTheRoundsStartedAfterSubmission) {
  TwoLevelJobWaits waits;
  const Task a = JobTask(1, 5), b = JobTask(1, 5);
  waits.Submitted(a, Sec(10));  // busy so far: the round started at 0 s, 10 s long
  waits.Submitted(b, Sec(10));
  EXPECT_EQ(waits.Launched(a, Sec(10), Sec(10)), std::nullopt);  // one task left
  const auto wait = waits.Launched(b, Sec(20), Sec(17));
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, Sec(8));
  EXPECT_EQ(waits.open_jobs(), 0u);
}

TEST(TwoLevelJobWaitsTest, AJobWithATaskThatEndedUnlaunchedIsNeverFullyPlaced) {
  TwoLevelJobWaits waits;
  const Task a = JobTask(7, 0), b = JobTask(7, 0);
  waits.Submitted(a, Sec(0));
  waits.Submitted(b, Sec(0));
  waits.EndedUnlaunched(a);
  EXPECT_EQ(waits.Launched(b, Sec(3), Sec(0)), std::nullopt);
  EXPECT_EQ(waits.open_jobs(), 0u);  // nothing left behind
  // Both unlaunched: dropped too.
  waits.Submitted(a, Sec(0));
  waits.EndedUnlaunched(a);
  EXPECT_EQ(waits.open_jobs(), 0u);
}

// A trace may bring one job id at two instants: two jobs, each placed on its own.
TEST(TwoLevelJobWaitsTest, OneJobIdAtTwoInstantsIsTwoJobs) {
  TwoLevelJobWaits waits;
  const Task early = JobTask(3, 1), late = JobTask(3, 4);
  waits.Submitted(early, Sec(0));
  waits.Submitted(late, Sec(0));
  EXPECT_EQ(waits.open_jobs(), 2u);
  EXPECT_EQ(waits.Launched(late, Sec(6), Sec(0)), Sec(2));
  EXPECT_EQ(waits.Launched(early, Sec(6), Sec(0)), Sec(5));
  // A task outside any job (a recorded launch) is ignored.
  EXPECT_EQ(waits.Launched(JobTask(9, 0), Sec(6), Sec(0)), std::nullopt);
}

}  // namespace
}  // namespace clustersim::models

#include "models/framework/two_level_job_waits.h"

#include <gtest/gtest.h>

#include <vector>

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
  Task a = JobTask(1, 5), b = JobTask(1, 5);
  waits.Submitted(a, /*new_job=*/true, Sec(10));  // busy so far: the round started at 0 s
  waits.Submitted(b, /*new_job=*/false, Sec(10));
  EXPECT_EQ(waits.Launched(a, Sec(10), Sec(10)), std::nullopt);  // one task left
  EXPECT_EQ(waits.Launched(b, Sec(20), Sec(17)), Sec(8));
  EXPECT_EQ(waits.kept(), 0u);
}

TEST(TwoLevelJobWaitsTest, AJobWithATaskThatEndedUnlaunchedIsNeverFullyPlaced) {
  TwoLevelJobWaits waits;
  Task a = JobTask(7, 0), b = JobTask(7, 0);
  waits.Submitted(a, true, Sec(0));
  waits.Submitted(b, false, Sec(0));
  waits.EndedUnlaunched(a);
  EXPECT_EQ(waits.Launched(b, Sec(3), Sec(0)), std::nullopt);
  EXPECT_EQ(waits.kept(), 0u);  // nothing left behind
  // A later task of the same job id and instant starts a job of its own: that one is over.
  Task c = JobTask(7, 0);
  waits.Submitted(c, false, Sec(0));
  EXPECT_EQ(waits.Launched(c, Sec(4), Sec(0)), Sec(4));
}

// Jobs are kept from the oldest still open: one placed out of order stays until those before it
// are over, then they all go.
TEST(TwoLevelJobWaitsTest, JobsPlacedOutOfOrderAreDroppedOnceTheOldestIsOver) {
  TwoLevelJobWaits waits;
  std::vector<Task> tasks = {JobTask(1, 0), JobTask(2, 1), JobTask(3, 2)};
  for (Task& t : tasks) waits.Submitted(t, true, Sec(0));
  EXPECT_EQ(waits.Launched(tasks[2], Sec(6), Sec(0)), Sec(4));
  EXPECT_EQ(waits.Launched(tasks[1], Sec(7), Sec(0)), Sec(6));
  EXPECT_EQ(waits.kept(), 3u);
  // Twice is once: a task's second launch (or a stale one) finds nothing.
  EXPECT_EQ(waits.Launched(tasks[1], Sec(8), Sec(0)), std::nullopt);
  EXPECT_EQ(waits.Launched(tasks[0], Sec(9), Sec(0)), Sec(9));
  EXPECT_EQ(waits.kept(), 0u);
  // A task outside any job (a recorded launch) is ignored.
  EXPECT_EQ(waits.Launched(JobTask(9, 0), Sec(6), Sec(0)), std::nullopt);
}

// A job that is not placed for a long time (a task nothing fits, retried) does not keep every job
// after it: past kMaxSpan jobs it is kept apart, and still gets its wait when it is placed.
TEST(TwoLevelJobWaitsTest, AJobThatWaitsLongDoesNotKeepTheJobsAfterIt) {
  TwoLevelJobWaits waits;
  Task stuck = JobTask(1, 0), stuck_too = JobTask(2, 0), given_up = JobTask(2, 0);
  waits.Submitted(stuck, true, Sec(0));
  waits.Submitted(stuck_too, true, Sec(0));
  waits.Submitted(given_up, false, Sec(0));
  const size_t later = 3 * TwoLevelJobWaits::kMaxSpan;
  for (size_t i = 0; i < later; ++i) {
    Task t = JobTask(3 + i, 1);
    waits.Submitted(t, true, Sec(0));
    EXPECT_EQ(waits.Launched(t, Sec(2), Sec(0)), Sec(1));
    ASSERT_LE(waits.kept(), TwoLevelJobWaits::kMaxSpan + 2) << "after " << i + 1 << " jobs";
  }
  EXPECT_EQ(waits.kept(), 2u);  // the two open jobs, nothing behind them
  // Kept apart, they behave as before: 100 s in the queue less 30 s of rounds since submission.
  EXPECT_EQ(waits.Launched(stuck, Sec(100), Sec(30)), Sec(70));
  EXPECT_EQ(waits.Launched(stuck, Sec(101), Sec(30)), std::nullopt);  // twice is once
  waits.EndedUnlaunched(given_up);
  EXPECT_EQ(waits.Launched(stuck_too, Sec(100), Sec(30)), std::nullopt);  // never fully placed
  EXPECT_EQ(waits.kept(), 0u);
}

}  // namespace
}  // namespace clustersim::models

#include "models/workload/synthetic.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <set>
#include <vector>

#include "tests/support/harness.h"

namespace clustersim::models {
namespace {

using test::Sec;

struct Submitted {
  sim::Time at;
  Task task;
};

// Runs one workload alone on a fresh simulator until `until` and returns what it submitted.
class WorkloadRun {
 public:
  WorkloadRun(uint64_t seed, const WorkloadSpec& spec, const ImageCatalog& catalog,
              const std::string& name = "fw")
      : sim_(seed), workload_(sim_, spec, catalog, name, &next_task_, &next_job_, [this](Task t) {
          out_.push_back({sim_.Now(), std::move(t)});
        }) {}

  const std::vector<Submitted>& Run(sim::Time until) {
    workload_.Start();
    sim_.RunUntil(until);
    return out_;
  }
  sim::Simulator& sim() { return sim_; }
  int64_t jobs() const { return workload_.jobs_submitted(); }

 private:
  sim::Simulator sim_;
  uint64_t next_task_ = 1;
  uint64_t next_job_ = 1;
  std::vector<Submitted> out_;
  SyntheticWorkload workload_;
};

bool SameStream(const std::vector<Submitted>& a, const std::vector<Submitted>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const Task& x = a[i].task;
    const Task& y = b[i].task;
    if (a[i].at != b[i].at || x.id != y.id || x.job != y.job || x.resources != y.resources ||
        x.os != y.os || x.has_image != y.has_image || x.image != y.image ||
        x.duration != y.duration) {
      return false;
    }
  }
  return true;
}

WorkloadSpec RichSpec() {
  WorkloadSpec w;
  w.initial_jobs = 3;
  w.arrival = ArrivalKind::kPoisson;
  w.rate_per_s = 1;
  w.tasks_per_job = sim::Distribution::Uniform(1, 5);
  w.duration_s = sim::Distribution::Exponential(30);
  w.cpus = sim::Distribution::Uniform(0.5, 4);
  w.mem_mib = sim::Distribution::LogNormal(1024, 8192);
  w.windows_fraction = 0.3;
  return w;
}

class SyntheticTest : public ::testing::Test {
 protected:
  SyntheticTest() {
    for (const char* l : {"l0", "l1", "l2", "w0", "w1"}) builder_.Layer(l, 10, 10);
    linux_ = {builder_.Image("l0", Os::kLinux, OsVersion::kNone, {"l0"}),
              builder_.Image("l1", Os::kLinux, OsVersion::kNone, {"l1"}),
              builder_.Image("l2", Os::kLinux, OsVersion::kNone, {"l2"})};
    windows_ = {builder_.Image("w0", Os::kWindows, OsVersion::kLtsc2019, {"w0"}),
                builder_.Image("w1", Os::kWindows, OsVersion::kLtsc2022, {"w1"})};
    catalog_ = builder_.spec().images;
  }
  test::ScenarioBuilder builder_;
  ImageCatalog catalog_;
  std::vector<uint32_t> linux_;
  std::vector<uint32_t> windows_;
};

TEST_F(SyntheticTest, SameSeedSameStreamOtherSeedDifferent) {
  WorkloadSpec w = RichSpec();
  w.images = {linux_[0], windows_[0], linux_[1], windows_[1], linux_[2]};
  WorkloadRun a(7, w, catalog_);
  WorkloadRun b(7, w, catalog_);
  WorkloadRun c(8, w, catalog_);
  const auto& sa = a.Run(Sec(500));
  const auto& sb = b.Run(Sec(500));
  const auto& sc = c.Run(Sec(500));
  ASSERT_GT(sa.size(), 500u);
  EXPECT_TRUE(SameStream(sa, sb));
  EXPECT_FALSE(SameStream(sa, sc));
}

TEST_F(SyntheticTest, StreamDependsOnlyOnSeedAndFrameworkName) {
  // Common random numbers: a framework's workload does not change when another framework (with
  // its own stream) draws in the same simulator.
  WorkloadSpec w = RichSpec();
  WorkloadRun alone(7, w, catalog_, "batch");
  const auto& reference = alone.Run(Sec(300));

  WorkloadRun together(7, w, catalog_, "batch");
  uint64_t other_task = 1000000, other_job = 1000000;
  int other_count = 0;
  SyntheticWorkload other(together.sim(), w, catalog_, "service", &other_task, &other_job,
                          [&](Task) { ++other_count; });
  other.Start();
  const auto& with_other = together.Run(Sec(300));
  EXPECT_GT(other_count, 100);
  EXPECT_TRUE(SameStream(reference, with_other));

  WorkloadRun renamed(7, w, catalog_, "batch2");
  EXPECT_FALSE(SameStream(reference, renamed.Run(Sec(300))));
}

TEST_F(SyntheticTest, AParameterMovesOnlyWhatItGoverns) {
  // Common random numbers across a sweep of workload parameters: arrivals have their own stream
  // and each attribute of the n-th job its own keyed draw, so changing one parameter moves that
  // attribute alone. Before, every draw came from one stream in turn: a constant (which draws
  // nothing) against a one-point uniform, or another Windows share, moved every later job.
  WorkloadSpec w = RichSpec();
  w.images = {linux_[0], windows_[0], linux_[1], windows_[1], linux_[2]};
  const std::vector<Submitted> reference = WorkloadRun(7, w, catalog_).Run(Sec(300));
  ASSERT_GT(reference.size(), 300u);

  WorkloadSpec constant_cpus = w;
  constant_cpus.cpus = sim::Distribution::Constant(2);
  WorkloadSpec point_uniform_cpus = w;
  point_uniform_cpus.cpus = sim::Distribution::Uniform(2, 2);
  const std::vector<Submitted> constant = WorkloadRun(7, constant_cpus, catalog_).Run(Sec(300));
  EXPECT_TRUE(SameStream(constant, WorkloadRun(7, point_uniform_cpus, catalog_).Run(Sec(300))));
  ASSERT_EQ(constant.size(), reference.size());
  for (size_t i = 0; i < reference.size(); ++i) {
    EXPECT_EQ(constant[i].at, reference[i].at);
    EXPECT_DOUBLE_EQ(constant[i].task.resources.cpus(), 2);
    EXPECT_EQ(constant[i].task.resources.mem(), reference[i].task.resources.mem());
    EXPECT_EQ(constant[i].task.duration, reference[i].task.duration);
    EXPECT_EQ(constant[i].task.os, reference[i].task.os);
  }

  WorkloadSpec more_windows = w;
  more_windows.windows_fraction = 0.6;
  const std::vector<Submitted> shifted = WorkloadRun(7, more_windows, catalog_).Run(Sec(300));
  ASSERT_EQ(shifted.size(),
            reference.size());  // the same jobs of the same sizes, at the same times
  size_t became_windows = 0;
  for (size_t i = 0; i < reference.size(); ++i) {
    const Task& before = reference[i].task;
    const Task& after = shifted[i].task;
    EXPECT_EQ(shifted[i].at, reference[i].at);
    EXPECT_EQ(after.job, before.job);
    EXPECT_EQ(after.resources, before.resources);
    EXPECT_EQ(after.duration, before.duration);
    // The same uniform against a higher threshold: Windows stays Windows, some Linux turn.
    if (before.os == Os::kWindows) {
      EXPECT_EQ(after.os, Os::kWindows);
    }
    if (before.os == Os::kLinux && after.os == Os::kWindows) ++became_windows;
    if (after.os == before.os) {
      EXPECT_EQ(after.image, before.image);
    }
  }
  EXPECT_GT(became_windows, 30u);
}

TEST_F(SyntheticTest, MoreInitialJobsLeaveTheArrivalsAsTheyWere) {
  // Initial jobs and arrivals are keyed apart: a sweep over initial_jobs sees the same arrivals
  // (the same gaps and shapes; only ids shift), and the first initial jobs stay the same too.
  WorkloadSpec w = RichSpec();
  w.images = {linux_[0], windows_[0], linux_[1], windows_[1], linux_[2]};
  WorkloadSpec more = w;
  more.initial_jobs = w.initial_jobs + 5;
  const std::vector<Submitted> a = WorkloadRun(7, w, catalog_).Run(Sec(300));
  const std::vector<Submitted> b = WorkloadRun(7, more, catalog_).Run(Sec(300));
  auto arrivals = [](const std::vector<Submitted>& s) {
    std::vector<Submitted> out;
    for (const Submitted& x : s) {
      if (x.at > sim::Time::Zero()) out.push_back(x);
    }
    return out;
  };
  const std::vector<Submitted> xa = arrivals(a);
  const std::vector<Submitted> xb = arrivals(b);
  ASSERT_GT(xa.size(), 200u);
  ASSERT_EQ(xa.size(), xb.size());
  for (size_t i = 0; i < xa.size(); ++i) {
    EXPECT_EQ(xa[i].at, xb[i].at);
    EXPECT_EQ(xa[i].task.resources, xb[i].task.resources);
    EXPECT_EQ(xa[i].task.os, xb[i].task.os);
    EXPECT_EQ(xa[i].task.image, xb[i].task.image);
    EXPECT_EQ(xa[i].task.duration, xb[i].task.duration);
    EXPECT_EQ(xa[i].task.job_tasks, xb[i].task.job_tasks);
    // Their ids moved up by the extra initial tasks; the key their start latencies are drawn
    // for did not.
    EXPECT_NE(xa[i].task.id, xb[i].task.id);
    EXPECT_EQ(xa[i].task.draw_key, xb[i].task.draw_key);
  }
  // Every task of the run has its own key.
  std::set<uint64_t> keys;
  for (const Submitted& x : b) keys.insert(x.task.draw_key);
  EXPECT_EQ(keys.size(), b.size());
  // The first initial jobs' tasks are the same in both.
  for (size_t i = 0; i < a.size() && a[i].at == sim::Time::Zero(); ++i) {
    EXPECT_EQ(a[i].task.resources, b[i].task.resources);
    EXPECT_EQ(a[i].task.duration, b[i].task.duration);
  }
}

TEST_F(SyntheticTest, PoissonArrivalsHaveTheConfiguredRate) {
  WorkloadSpec w;
  w.arrival = ArrivalKind::kPoisson;
  w.rate_per_s = 2;
  w.stop = Sec(5000);
  WorkloadRun run(11, w, catalog_);
  const auto& s = run.Run(Sec(6000));
  // Expected 2/s × 5000 s = 10000 jobs, standard deviation sqrt(10000) = 100: allow 4 sigma.
  EXPECT_NEAR(static_cast<double>(s.size()), 10000, 400);
  // Gaps are exponential: mean 0.5 s and coefficient of variation 1.
  double sum = 0, sum2 = 0;
  for (size_t i = 1; i < s.size(); ++i) {
    const double gap = (s[i].at - s[i - 1].at).seconds();
    sum += gap;
    sum2 += gap * gap;
  }
  const double n = static_cast<double>(s.size() - 1);
  const double mean = sum / n;
  const double sd = std::sqrt(sum2 / n - mean * mean);
  EXPECT_NEAR(mean, 0.5, 0.02);
  EXPECT_NEAR(sd / mean, 1.0, 0.05);
  EXPECT_LT(s.back().at, Sec(5000));  // nothing at or after `stop`
}

TEST_F(SyntheticTest, FixedArrivalsInitialJobsAndLimits) {
  WorkloadSpec w;
  w.initial_jobs = 2;
  w.arrival = ArrivalKind::kFixed;
  w.rate_per_s = 0.5;  // one job every 2 s
  w.start = Sec(10);
  w.max_jobs = 5;
  WorkloadRun run(1, w, catalog_);
  const auto& s = run.Run(Sec(100));
  // Two initial jobs at the start (10 s), then every 2 s until five jobs in all.
  std::vector<double> times;
  for (const auto& x : s) times.push_back(x.at.seconds());
  EXPECT_EQ(times, (std::vector<double>{10, 10, 12, 14, 16}));
  EXPECT_EQ(run.jobs(), 5);
  EXPECT_EQ(run.sim().pending_events(), 0u);  // stopped scheduling once the limit was hit
}

TEST_F(SyntheticTest, TasksOfAJobShareOneShapeAndIdsAreConsecutive) {
  WorkloadSpec w = RichSpec();
  w.images = {linux_[0], linux_[1]};
  WorkloadRun run(5, w, catalog_);
  const auto& s = run.Run(Sec(200));
  ASSERT_GT(s.size(), 100u);
  uint64_t expected_id = 1;
  for (size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(s[i].task.id, expected_id++);
    if (i > 0 && s[i].task.job == s[i - 1].task.job) {
      EXPECT_EQ(s[i].at, s[i - 1].at);
      EXPECT_EQ(s[i].task.resources, s[i - 1].task.resources);
      EXPECT_EQ(s[i].task.duration, s[i - 1].task.duration);
      EXPECT_EQ(s[i].task.image, s[i - 1].task.image);
      EXPECT_EQ(s[i].task.os, s[i - 1].task.os);
    } else if (i > 0) {
      EXPECT_EQ(s[i].task.job, s[i - 1].task.job + 1);
    }
  }
}

TEST_F(SyntheticTest, ImagePopularityFollowsZipf) {
  // Three Linux images, s = 1: P(rank k) = (1/(k+1)) / H_3 with H_3 = 1 + 1/2 + 1/3 = 11/6,
  // i.e. 6/11 = 0.545, 3/11 = 0.273, 2/11 = 0.182. Listed order is popularity order.
  WorkloadSpec w;
  w.arrival = ArrivalKind::kFixed;
  w.rate_per_s = 100;
  w.stop = Sec(200);  // 20000 jobs
  w.images = {linux_[2], linux_[0], linux_[1]};
  w.image_zipf_s = 1.0;
  WorkloadRun run(3, w, catalog_);
  const auto& s = run.Run(Sec(300));
  std::map<uint32_t, double> freq;
  for (const auto& x : s) {
    ASSERT_TRUE(x.task.has_image);
    freq[x.task.image.value] += 1.0 / static_cast<double>(s.size());
  }
  // Binomial sd at n = 20000 is at most 0.0035: allow 0.015.
  EXPECT_NEAR(freq[linux_[2]], 6.0 / 11, 0.015);
  EXPECT_NEAR(freq[linux_[0]], 3.0 / 11, 0.015);
  EXPECT_NEAR(freq[linux_[1]], 2.0 / 11, 0.015);

  // s = 0: uniform.
  w.image_zipf_s = 0;
  WorkloadRun flat(3, w, catalog_);
  std::map<uint32_t, double> flat_freq;
  const auto& f = flat.Run(Sec(300));
  for (const auto& x : f) flat_freq[x.task.image.value] += 1.0 / static_cast<double>(f.size());
  for (uint32_t img : linux_) EXPECT_NEAR(flat_freq[img], 1.0 / 3, 0.015);
}

TEST_F(SyntheticTest, OsMixDrawsImagesOfTheTasksOs) {
  WorkloadSpec w;
  w.arrival = ArrivalKind::kFixed;
  w.rate_per_s = 100;
  w.stop = Sec(100);  // 10000 jobs
  w.windows_fraction = 0.3;
  w.images = {linux_[0], windows_[0], windows_[1]};
  WorkloadRun run(9, w, catalog_);
  const auto& s = run.Run(Sec(200));
  size_t windows = 0;
  for (const auto& x : s) {
    ASSERT_TRUE(x.task.has_image);
    const ImageSpec& image = catalog_.images[x.task.image.value];
    EXPECT_EQ(image.os, x.task.os);
    EXPECT_EQ(x.task.image_version, image.version);
    windows += x.task.os == Os::kWindows ? 1 : 0;
  }
  // 0.3 × 10000 = 3000, sd sqrt(10000 × 0.3 × 0.7) = 46: allow 4 sigma.
  EXPECT_NEAR(static_cast<double>(windows), 3000, 184);
}

TEST_F(SyntheticTest, DurationsResourcesAndServices) {
  WorkloadSpec w;
  w.initial_jobs = 50;
  w.duration_s = sim::Distribution::Uniform(-5, 0);  // clamped to 1 µs
  w.cpus = sim::Distribution::Uniform(-1, 0);        // negative draws clamp to 0
  w.mem_mib = sim::Distribution::Constant(256);
  WorkloadRun run(1, w, catalog_);
  const auto submitted = run.Run(Sec(1));
  ASSERT_EQ(submitted.size(), 50u);  // one task per initial job
  for (const auto& x : submitted) {
    EXPECT_EQ(x.task.duration, sim::Time::Micros(1));
    EXPECT_EQ(x.task.resources, test::Res("mem:256"));
    EXPECT_FALSE(x.task.has_image);
    EXPECT_FALSE(x.task.service);
  }
  w.service = true;
  WorkloadRun services(1, w, catalog_);
  const auto submitted_services = services.Run(Sec(1));
  ASSERT_EQ(submitted_services.size(), 50u);
  for (const auto& x : submitted_services) {
    EXPECT_TRUE(x.task.service);
    EXPECT_TRUE(x.task.duration.IsMax());
  }
}

}  // namespace
}  // namespace clustersim::models

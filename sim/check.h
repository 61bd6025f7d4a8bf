#pragma once

#include <cstdio>
#include <cstdlib>

// Invariant checks. SIM_CHECK is cheap and stays on in release builds: a broken invariant means the
// simulator itself is wrong, and a wrong result is worse than an abort. SIM_DCHECK guards the
// expensive whole-cluster sweeps; it runs in debug builds and whenever CLUSTERSIM_SWEEP_CHECKS is
// defined (the test build defines it).
namespace clustersim::sim::internal {
[[noreturn]] inline void CheckFailed(const char* expr, const char* file, int line,
                                     const char* msg) {
  std::fprintf(stderr, "clustersim: invariant violated at %s:%d: %s%s%s\n", file, line, expr,
               msg[0] ? " — " : "", msg);
  std::abort();
}
}  // namespace clustersim::sim::internal

#define SIM_CHECK_MSG(cond, msg)                                                  \
  do {                                                                            \
    if (__builtin_expect(!(cond), 0))                                             \
      ::clustersim::sim::internal::CheckFailed(#cond, __FILE__, __LINE__, (msg)); \
  } while (0)
#define SIM_CHECK(cond) SIM_CHECK_MSG(cond, "")

#if !defined(NDEBUG) || defined(CLUSTERSIM_SWEEP_CHECKS)
#define SIM_SWEEP_CHECKS_ENABLED 1
#else
#define SIM_SWEEP_CHECKS_ENABLED 0
#endif

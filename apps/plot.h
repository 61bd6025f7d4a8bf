#pragma once

#include <string>

#include "sim/status.h"

namespace clustersim::apps {

// `clustersim plot DIR`: runs results/plot.py (installed beside the binary as clustersim-plot.py)
// under Debian's /usr/bin/python3, which has python3-matplotlib. Returns its exit status.
sim::Result<int> RunPlot(const std::string& out_dir);

}  // namespace clustersim::apps

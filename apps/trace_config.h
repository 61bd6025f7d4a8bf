#pragma once

#include <string>
#include <string_view>

#include "apps/config/yaml_value.h"
#include "models/spec.h"
#include "sim/status.h"

namespace clustersim::apps {

// The roles a csv trace's columns may have (trace.columns, trace-info --columns).
inline constexpr std::string_view kCsvColumnRoles[] = {
    "submit_time", "job_id", "task_id", "instances",        "duration", "cpus",    "mem",
    "disk",        "os",     "image",   "scheduling_class", "user",     "priority"};
// "submit_time, job_id, ...", for messages.
std::string CsvColumnRoleList();

// Parses the scenario's `trace:` block into spec.trace. Relative paths are resolved against
// `base_dir` (the scenario file's folder). Needs spec.images and spec.frameworks parsed first.
sim::Status ParseTrace(const YamlValue& value, const std::string& base_dir,
                       models::ScenarioSpec& spec);

}  // namespace clustersim::apps

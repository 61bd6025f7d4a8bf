#pragma once

#include "models/spec.h"
#include "models/workload/trace_format.h"
#include "sim/status.h"
#include "sim/time.h"

namespace clustersim::models {

// The keys of the trace block that only alibaba2017 has.
struct Alibaba2017Options final : TraceFormatOptions {
  // server_event: how long a softerror takes a machine out (the trace gives no end).
  sim::Time soft_error_downtime = sim::Time::Seconds(600);
};

// Registers "alibaba2018": machine_meta (machines) and/or batch_task (+ optional batch_instance)
// (DAG jobs, demand mode, alibaba_batch.h), or in recorded mode machine_meta + batch_task +
// batch_instance (instances on their recorded machines, alibaba_recorded.h).
sim::Status RegisterAlibaba2018(TraceFormats& formats);
// Registers "alibaba2017": server_event (machines, alibaba_machines.h).
sim::Status RegisterAlibaba2017(TraceFormats& formats);

}  // namespace clustersim::models

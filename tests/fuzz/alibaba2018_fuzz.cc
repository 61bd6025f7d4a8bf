// The row parsers of Alibaba 2018's tables (machine_meta, batch_task, batch_instance), the DAG
// task names and the classifiers the time-ordered table calls: each line goes to all of them, and
// each gives the row or a message, never a crash or undefined behaviour.
#include <string>

#include "models/workload/alibaba/alibaba_reader.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clustersim::models;
  clustersim::fuzz::ForEachLine(clustersim::fuzz::AsText(data, size), [](std::string_view line) {
    AlibabaMachineRow machine;
    (void)ParseAlibabaMachineRow(AlibabaMachineTable::kMachineMeta2018, line, machine);
    AlibabaTaskRow task;
    if (!ParseAlibabaTaskRow(line, task)) (void)ParseDagTaskName(task.task_name);
    AlibabaInstanceRow instance;
    (void)ParseAlibabaInstanceRow(line, instance);
    (void)ParseDagTaskName(line.substr(0, line.find(',')));
    std::string_view job;
    double time = 0;
    std::string error;
    (void)ClassifyAlibabaTask(line, job, time, error);
    (void)ClassifyAlibabaInstance(line, job, time, error);
  });
  return 0;
}

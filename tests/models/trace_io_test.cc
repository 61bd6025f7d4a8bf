// The trace row parsers as their own library: this test links clustersim_trace_io (and sim/) only,
// so a parser that reached into the cluster model would not link. Each format's parser is here
// with a valid row and a malformed one.
#include <gtest/gtest.h>

#include "models/workload/alibaba/alibaba_reader.h"
#include "models/workload/google2011/google2011_reader.h"
#include "models/workload/swf/swf_reader.h"

namespace clustersim::models {
namespace {

TEST(TraceIoTest, EachFormatsRowParserLinksWithoutTheModel) {
  SwfJob job;
  EXPECT_FALSE(ParseSwfRow("1 0 5 100 4 -1 -1 4 200 -1 1 3 1 -1 1 -1 -1 -1", job).has_value());
  EXPECT_TRUE(ParseSwfRow("1 0 5", job).has_value());

  AlibabaTaskRow task;
  EXPECT_FALSE(ParseAlibabaTaskRow("M1,2,j_1,1,Terminated,100,200,50,0.5", task).has_value());
  EXPECT_EQ(task.cpus, 0.5);
  EXPECT_TRUE(ParseAlibabaTaskRow("M1,2", task).has_value());
  AlibabaMachineRow machine;
  EXPECT_FALSE(ParseAlibabaMachineRow(AlibabaMachineTable::kServerEvent2017,
                                      "0,m1,add,,32,0.5,0.5", machine)
                   .has_value());
  EXPECT_EQ(ParseDagTaskName("R2_1").parents, std::vector<int64_t>{1});

  google2011::TaskEvent event;
  EXPECT_TRUE(google2011::ParseRow("600000000,,10,0,,0,u,0,0,0.01,0.01,,0", event).empty());
  EXPECT_FALSE(google2011::ParseRow("x", event).empty());
}

}  // namespace
}  // namespace clustersim::models

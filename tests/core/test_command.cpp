// The declarative command layer: help from the declaration, validation with
// the documented exit codes, standard options, --json and --describe.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>

#include "axon/core/command.hpp"

using namespace axon::cli;

namespace {
struct Captured {
  int code;
  std::string out, err;
};

// Runs a tool with `args` and captures stdout and stderr.
Captured run_tool(Tool& tool, std::vector<std::string> args) {
  args.insert(args.begin(), "axon-test");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  int code = tool.main(static_cast<int>(argv.size()), argv.data());
  Captured c{code, testing::internal::GetCapturedStdout(), testing::internal::GetCapturedStderr()};
  return c;
}

Tool make_tool(std::string* seen) {
  Tool tool("axon-test", "a tool for testing the command layer");
  tool.add(Command("echo", "report the parsed values")
               .positional(argument("IN", ValueKind::input_file, "an input"))
               .option(value(ValueKind::real, "sigma", "S", "a number", "1.5"))
               .option(value(ValueKind::integer, "count", "N", "an integer"))
               .option(choice("mode", {"soft", "hard"}, "soft", "a choice"))
               .option(required(value(ValueKind::text, "label", "L", "must be given")))
               .run([seen](const Args& args, Context& ctx) {
                 *seen = args.text("mode") + "," + std::to_string(args.real("sigma")) + "," + args.text("label");
                 ctx.summary = {{"threads", ctx.threads}, {"seed", ctx.seed}, {"mode", args.text("mode")}};
               }));
  return tool;
}

std::string existing_file() {
  auto p = std::filesystem::temp_directory_path() / ("axon-cmd-" + std::to_string(::getpid()) + ".txt");
  std::ofstream(p) << "x";
  return p.string();
}
}  // namespace

TEST(Command, HelpShowsDefaultsChoicesAndRequired) {
  std::string seen;
  Tool tool = make_tool(&seen);
  auto r = run_tool(tool, {"echo", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("[default: 1.5]"), std::string::npos);
  EXPECT_NE(r.out.find("(soft|hard)"), std::string::npos);
  EXPECT_NE(r.out.find("--label L"), std::string::npos);
  EXPECT_NE(r.out.find("--threads N"), std::string::npos);  // standard options injected
  EXPECT_TRUE(seen.empty());
}

TEST(Command, RunsWithDefaultsAndJson) {
  std::string seen;
  Tool tool = make_tool(&seen);
  auto r = run_tool(tool, {"echo", existing_file(), "--label", "x", "--json", "--threads", "2", "--seed", "7"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(seen, "soft,1.500000,x");
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["threads"], 2);
  EXPECT_EQ(j["seed"], 7);
}

TEST(Command, UsageErrorsExitTwoWithOneLine) {
  std::string seen;
  Tool tool = make_tool(&seen);
  std::string in = existing_file();
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"echo", in},                                   // missing required option
           {"echo", in, "--label", "x", "--mode", "medium"},  // bad choice
           {"echo", in, "--label", "x", "--sigma", "abc"},    // not a number
           {"echo", in, "--label", "x", "--count", "2.5"},    // not an integer
           {"echo", in, "--label", "x", "--bogus"},           // unknown option
           {"echo", "--label", "x"},                          // missing positional
           {"nosuch"},                                        // unknown command
           {"echo", in, "--label", "x", "--threads", "0"},    // bad thread count
       }) {
    auto r = run_tool(tool, args);
    EXPECT_EQ(r.code, 2) << args.back() << ": " << r.err;
    EXPECT_EQ(r.err.rfind("axon-test: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  EXPECT_TRUE(seen.empty());
}

TEST(Command, MissingInputExitsThreeNamingTheFile) {
  std::string seen;
  Tool tool = make_tool(&seen);
  auto r = run_tool(tool, {"echo", "/no/such/input.nii.gz", "--label", "x"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("/no/such/input.nii.gz"), std::string::npos);
}

TEST(Command, DescribeListsTheDeclaration) {
  std::string seen;
  Tool tool = make_tool(&seen);
  auto r = run_tool(tool, {"echo", "--describe"});
  ASSERT_EQ(r.code, 0);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["command"], "echo");
  EXPECT_EQ(j["positionals"][0]["kind"], "input_file");
  bool found = false;
  for (const auto& o : j["options"])
    if (o["name"] == "mode") found = o["choices"].size() == 2 && o["default"] == "soft";
  EXPECT_TRUE(found);
}

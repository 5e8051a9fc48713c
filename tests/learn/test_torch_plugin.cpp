// The LibTorch plugin (libaxon_torch.so) is loaded only when a network is:
// set_torch_threads alone does not load it, and a plugin that cannot be
// found is an axon::Error (exit 1, an installation problem) in one line
// naming where it was looked for, not an InputError about the model.
// Each test runs in its own process under ctest; run together in one
// process, a test that finds the plugin already loaded is skipped.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "axon/core/error.hpp"
#include "axon/learn/torch_ensemble.hpp"
#include "common/scratch_dir.hpp"

namespace {

using namespace axon::learn;

bool mapped(const std::string& name) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line))
    if (line.find(name) != std::string::npos) return true;
  return false;
}

TEST(TorchPlugin, SetThreadsDoesNotLoadLibTorch) {
  if (mapped("libaxon_torch")) GTEST_SKIP() << "plugin loaded by an earlier test in this process";
  EXPECT_FALSE(mapped("libtorch_cpu"));
  set_torch_threads(2);
  set_torch_threads(1);
  EXPECT_FALSE(mapped("libaxon_torch"));
  EXPECT_FALSE(mapped("libtorch_cpu"));
}

TEST(TorchPlugin, MissingPluginIsOneLineErrorNamingIt) {
  if (mapped("libaxon_torch")) GTEST_SKIP() << "plugin loaded by an earlier test in this process";
  axon::test::ScratchDir dir;
  const std::string folder = dir / "no-plugin-here";
  ASSERT_EQ(setenv("AXON_TORCH_PLUGIN", folder.c_str(), 1), 0);
  ModelCard card;
  card.path = "card.json";
  card.model_files = {dir / "member0.pt"};
  try {
    TorchEnsemble ensemble(card);
    FAIL() << "loaded without a plugin";
  } catch (const axon::InputError& e) {
    FAIL() << "an installation problem reported as bad input: " << e.what();
  } catch (const axon::Error& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.code(), axon::ExitCode::other);
    EXPECT_NE(what.find(folder), std::string::npos) << what;
    EXPECT_NE(what.find("plugin"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
  unsetenv("AXON_TORCH_PLUGIN");
  EXPECT_FALSE(mapped("libtorch_cpu"));
}

}  // namespace

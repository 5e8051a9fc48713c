// The --out folder: made on demand (mkdir -p), removed again when the run
// fails before its outputs are committed, refused when a file is in the way.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "axon/core/output_folder.hpp"
#include "axon/core/error.hpp"

namespace fs = std::filesystem;
using axon::OutputFolder;

namespace {
fs::path scratch(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("axon-outfolder-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}
}  // namespace

TEST(OutputFolder, MadeWithParentsAndKeptAfterCommit) {
  const fs::path root = scratch("kept");
  const fs::path out = root / "a" / "b" / "c";
  {
    OutputFolder folder(out.string());
    EXPECT_FALSE(folder.exists());
    EXPECT_FALSE(fs::exists(root / "a"));  // nothing is made by the check
    folder.create();
    EXPECT_TRUE(fs::is_directory(out));
    folder.keep();
  }
  EXPECT_TRUE(fs::is_directory(out));
  fs::remove_all(root);
}

TEST(OutputFolder, RemovedWhenTheRunFailsAndLeavesOthersAlone) {
  const fs::path root = scratch("failed");
  fs::create_directories(root / "a");
  std::ofstream(root / "a" / "other.txt") << "someone else's file";
  {
    OutputFolder folder((root / "a" / "b" / "c").string());
    folder.create();
  }  // no keep(): the run failed
  EXPECT_FALSE(fs::exists(root / "a" / "b"));
  EXPECT_TRUE(fs::exists(root / "a" / "other.txt"));  // a folder we did not make stays
  fs::remove_all(root);
}

TEST(OutputFolder, ExistingFolderIsUsedAsIs) {
  const fs::path root = scratch("existing");
  {
    OutputFolder folder(root.string());
    EXPECT_TRUE(folder.exists());
    folder.create();
  }
  EXPECT_TRUE(fs::is_directory(root));  // not made by us: never removed
  fs::remove_all(root);
}

TEST(OutputFolder, FileInTheWayIsAnOutputError) {
  const fs::path root = scratch("file");
  std::ofstream(root / "plain") << "x";
  EXPECT_THROW(OutputFolder((root / "plain").string()), axon::OutputError);
  EXPECT_THROW(OutputFolder((root / "plain" / "sub").string()), axon::OutputError);
  fs::remove_all(root);
}

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"

namespace fs = std::filesystem;

namespace {
fs::path fresh_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("axon-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}
size_t entries(const fs::path& d) { return static_cast<size_t>(std::distance(fs::directory_iterator(d), fs::directory_iterator())); }
}  // namespace

TEST(AtomicOutput, UncommittedOutputLeavesNothing) {
  fs::path d = fresh_dir("uncommitted");
  {
    axon::PendingOutput out((d / "x.nii.gz").string(), false);
    std::ofstream(out.temp_path()) << "partial";
    EXPECT_TRUE(fs::exists(out.temp_path()));
    EXPECT_EQ(out.temp_path().substr(out.temp_path().size() - 7), ".nii.gz");  // suffix kept
  }
  EXPECT_EQ(entries(d), 0u);
  fs::remove_all(d);
}

TEST(AtomicOutput, CommitMovesIntoPlace) {
  fs::path d = fresh_dir("commit");
  {
    axon::PendingOutput out((d / "x.tsv").string(), false);
    std::ofstream(out.temp_path()) << "a\tb\n";
    out.commit();
  }
  EXPECT_TRUE(fs::exists(d / "x.tsv"));
  EXPECT_EQ(entries(d), 1u);
  fs::remove_all(d);
}

TEST(AtomicOutput, ExistingOutputNeedsForce) {
  fs::path d = fresh_dir("force");
  std::ofstream(d / "x.tsv") << "old";
  EXPECT_THROW(axon::check_output_path((d / "x.tsv").string(), false), axon::OutputError);
  EXPECT_NO_THROW(axon::check_output_path((d / "x.tsv").string(), true));
  fs::remove_all(d);
}

TEST(AtomicOutput, MissingFolderIsAnOutputError) {
  try {
    axon::check_output_path("/nonexistent-folder-axon/x.nii.gz", false);
    FAIL() << "expected OutputError";
  } catch (const axon::OutputError& e) {
    EXPECT_EQ(e.code(), axon::ExitCode::output);
    EXPECT_NE(std::string(e.what()).find("/nonexistent-folder-axon/x.nii.gz"), std::string::npos);
  }
}

TEST(AtomicOutput, OutputSetIsAllOrNothing) {
  fs::path d = fresh_dir("set");
  {
    axon::OutputSet set(false);
    std::ofstream(set.add((d / "a.tsv").string())) << "a";
    std::ofstream(set.add((d / "b.tsv").string())) << "b";
    EXPECT_THROW(set.add((d / "a.tsv").string()), axon::OutputError);  // the same output twice
    // no commit: an exception between writes and commit leaves nothing
  }
  EXPECT_EQ(entries(d), 0u);
  {
    axon::OutputSet set(false);
    std::ofstream(set.add((d / "a.tsv").string())) << "a";
    std::ofstream(set.add((d / "b.tsv").string())) << "b";
    set.commit_all();
  }
  EXPECT_EQ(entries(d), 2u);
  fs::remove_all(d);
}

// A process that dies of a signal while an output is in flight leaves no
// temporary, and still dies of that signal (exit status unchanged). SIGABRT
// stands for a library that aborts (VTK without a usable X display).
TEST(AtomicOutput, SignalsRemoveTemporariesAndStillKill) {
  for (int sig : {SIGTERM, SIGABRT}) {
    fs::path d = fresh_dir("signal" + std::to_string(sig));
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      const rlimit no_core{0, 0};  // no core file from the abort
      setrlimit(RLIMIT_CORE, &no_core);
      axon::install_output_cleanup_handlers();
      axon::OutputSet set(false);
      std::ofstream(set.add((d / "x.nii.gz").string())) << "partial";
      if (sig == SIGABRT) std::abort();
      raise(sig);
      _exit(0);  // not reached
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFSIGNALED(status)) << "signal " << sig;
    if (WIFSIGNALED(status)) {
      EXPECT_EQ(WTERMSIG(status), sig);
    }
    EXPECT_EQ(entries(d), 0u) << "signal " << sig;
    fs::remove_all(d);
  }
}

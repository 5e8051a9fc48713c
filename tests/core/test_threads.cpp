#include <gtest/gtest.h>

#include <cstring>
#include <thread>

#include "axon/core/error.hpp"
#include "axon/core/threads.hpp"

namespace {
// Fake environments, so the test does not depend on the real one.
const char* env_slurm(const char* name) { return std::strcmp(name, "SLURM_CPUS_PER_TASK") == 0 ? "3" : nullptr; }
const char* env_all(const char* name) {
  if (std::strcmp(name, "OMP_NUM_THREADS") == 0) return "5";
  if (std::strcmp(name, "SLURM_CPUS_PER_TASK") == 0) return "3";
  if (std::strcmp(name, "NSLOTS") == 0) return "7";
  return nullptr;
}
const char* env_nslots(const char* name) { return std::strcmp(name, "NSLOTS") == 0 ? "6" : nullptr; }
const char* env_garbage(const char* name) { return std::strcmp(name, "OMP_NUM_THREADS") == 0 ? "lots" : nullptr; }
const char* env_none(const char*) { return nullptr; }
}  // namespace

TEST(Threads, ExplicitRequestWins) { EXPECT_EQ(axon::resolve_thread_count(4, env_all), 4); }
TEST(Threads, OmpBeforeSlurmBeforeNslots) {
  EXPECT_EQ(axon::resolve_thread_count(std::nullopt, env_all), 5);
  EXPECT_EQ(axon::resolve_thread_count(std::nullopt, env_slurm), 3);
  EXPECT_EQ(axon::resolve_thread_count(std::nullopt, env_nslots), 6);
}
TEST(Threads, GarbageEnvironmentFallsBackToCores) {
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  EXPECT_EQ(axon::resolve_thread_count(std::nullopt, env_garbage), cores);
  EXPECT_EQ(axon::resolve_thread_count(std::nullopt, env_none), cores);
}
TEST(Threads, ZeroIsAUsageError) { EXPECT_THROW(axon::resolve_thread_count(0, env_none), axon::UsageError); }

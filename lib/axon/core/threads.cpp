#include "axon/core/threads.hpp"

#include <omp.h>

#include <cstdlib>
#include <thread>

#include <itkMultiThreaderBase.h>

#include "axon/core/error.hpp"

namespace axon {
namespace {
std::optional<int> positive_int(const char* text) {
  if (!text || !*text) return std::nullopt;
  char* end = nullptr;
  long v = std::strtol(text, &end, 10);
  if (*end != '\0' || v <= 0 || v > 4096) return std::nullopt;
  return static_cast<int>(v);
}
const char* from_environment(const char* name) { return std::getenv(name); }
}  // namespace

int resolve_thread_count(std::optional<int> requested, const char* (*lookup)(const char*)) {
  if (requested) {
    if (*requested < 1) throw UsageError("--threads must be at least 1");
    return *requested;
  }
  if (!lookup) lookup = from_environment;
  for (const char* var : {"OMP_NUM_THREADS", "SLURM_CPUS_PER_TASK", "NSLOTS"})
    if (auto v = positive_int(lookup(var))) return *v;
  unsigned hw = std::thread::hardware_concurrency();
  return hw > 0 ? static_cast<int>(hw) : 1;
}

void apply_thread_count(int n) {
  omp_set_num_threads(n);
  itk::MultiThreaderBase::SetGlobalMaximumNumberOfThreads(n);
  itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(n);
}

}  // namespace axon

#pragma once
#include <optional>
#include <string>

namespace axon {

// The number of threads a command uses: --threads if given, else the first
// of OMP_NUM_THREADS, SLURM_CPUS_PER_TASK, NSLOTS that holds a positive
// integer, else every core. `lookup` reads the environment (injectable for tests).
int resolve_thread_count(std::optional<int> requested,
                         const char* (*lookup)(const char*) = nullptr);

// Caps OpenMP and ITK's global thread pool at `n`.
void apply_thread_count(int n);

}  // namespace axon

#pragma once
// Loops of the registration code run on ITK's thread pool, not OpenMP's:
// ITK's filters (resampling, composing and inverting fields) run between
// them on that pool, and OpenMP's idle workers spin-wait for their next
// region while those filters run, taking a core from them (on two cores,
// SyN's CPU time fell by a fifth with OMP_WAIT_POLICY=passive). ITK's pool
// threads sleep when idle. Each index is one unit of fixed work, so results
// do not depend on how the pool splits the range.
#include <itkMultiThreaderBase.h>

#include <cstdint>
#include <functional>

namespace axon::registration {

// body(i) for i in [0, count), on ITK's global pool (its default number of
// threads: --threads).
inline void itk_parallel_for(int64_t count, const std::function<void(int64_t)>& body) {
  if (count <= 0) return;
  auto threader = itk::MultiThreaderBase::New();
  threader->ParallelizeArray(
      0, static_cast<itk::SizeValueType>(count), [&](itk::SizeValueType i) { body(static_cast<int64_t>(i)); },
      nullptr);
}

}  // namespace axon::registration

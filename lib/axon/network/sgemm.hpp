#pragma once
// The one float32 matrix product of the network maps: OpenBLAS's sgemm,
// which dispatches at run time to kernels for the CPU at hand (Eigen 3.3,
// bundled with ITK and compiled for baseline x86-64, runs at a fraction of
// that rate). Each call is single-threaded: the callers run many tiles in
// parallel with OpenMP, which keeps every tile's result independent of the
// thread count.
#include <cstdint>

namespace axon::network {

// c (m x n, row-major, leading dimension ldc) = a (m x k) * b (n x k)^T,
// both row-major with leading dimension k.
void product_abt(int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c, int64_t ldc);

// Makes OpenBLAS run every call in the calling thread (call once, before
// parallel regions that call product_abt).
void single_threaded_blas();

}  // namespace axon::network

#include "axon/network/sgemm.hpp"

#include <cblas.h>

namespace axon::network {

void product_abt(int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c, int64_t ldc) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<blasint>(m), static_cast<blasint>(n),
              static_cast<blasint>(k), 1.0f, a, static_cast<blasint>(k), b, static_cast<blasint>(k), 0.0f, c,
              static_cast<blasint>(ldc));
}

void single_threaded_blas() { openblas_set_num_threads(1); }

}  // namespace axon::network

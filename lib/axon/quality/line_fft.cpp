#include "axon/quality/line_fft.hpp"

#include <mutex>
#include <new>

#include <fftw3.h>

namespace axon::quality {
namespace {
// FFTW's planner is not thread-safe; executing plans is.
std::mutex& planner_mutex() {
  static std::mutex m;
  return m;
}
}  // namespace

LineFft::LineFft(int64_t n) : n_(n) {
  std::lock_guard<std::mutex> lock(planner_mutex());
  buffer_ = reinterpret_cast<cfloat*>(fftwf_malloc(sizeof(fftwf_complex) * static_cast<std::size_t>(n)));
  if (!buffer_) throw std::bad_alloc();
  auto* b = reinterpret_cast<fftwf_complex*>(buffer_);
  forward_plan_ = fftwf_plan_dft_1d(static_cast<int>(n), b, b, FFTW_FORWARD, FFTW_ESTIMATE);
  inverse_plan_ = fftwf_plan_dft_1d(static_cast<int>(n), b, b, FFTW_BACKWARD, FFTW_ESTIMATE);
}

LineFft::~LineFft() {
  std::lock_guard<std::mutex> lock(planner_mutex());
  fftwf_destroy_plan(static_cast<fftwf_plan>(forward_plan_));
  fftwf_destroy_plan(static_cast<fftwf_plan>(inverse_plan_));
  fftwf_free(buffer_);
}

void LineFft::forward() { fftwf_execute(static_cast<fftwf_plan>(forward_plan_)); }
void LineFft::inverse() { fftwf_execute(static_cast<fftwf_plan>(inverse_plan_)); }

int64_t LineLayout::start(int64_t line) const {
  // The two other axes, in x-fastest order, enumerate the lines.
  const int a = axis == 0 ? 1 : 0, b = axis == 2 ? 1 : 2;
  const int64_t ia = line % dims[a], ib = line / dims[a];
  const int64_t strides[3] = {1, dims[0], dims[0] * dims[1]};
  return ia * strides[a] + ib * strides[b];
}

}  // namespace axon::quality

#include "axon/quality/line_fft.hpp"

#include <fftw3.h>

#include <mutex>
#include <new>
#include <stdexcept>

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

LinesFft::LinesFft(int64_t n, int64_t count, int64_t stride, int64_t dist) {
  // The planning arrays: as large as the lines reach, from fftwf_malloc
  // like the arrays the plans are later executed on.
  const std::size_t extent = static_cast<std::size_t>((count - 1) * dist + (n - 1) * stride + 1);
  SimdBuffer<float> real(extent);
  SimdBuffer<cfloat> spectrum(extent);
  const int size = static_cast<int>(n);
  auto* c = reinterpret_cast<fftwf_complex*>(spectrum.data());
  std::lock_guard<std::mutex> lock(planner_mutex());
  forward_plan_ = fftwf_plan_many_dft_r2c(1, &size, static_cast<int>(count), real.data(), nullptr,
                                          static_cast<int>(stride), static_cast<int>(dist), c, nullptr,
                                          static_cast<int>(stride), static_cast<int>(dist), FFTW_ESTIMATE);
  inverse_plan_ = fftwf_plan_many_dft(1, &size, static_cast<int>(count), c, nullptr, static_cast<int>(stride),
                                      static_cast<int>(dist), c, nullptr, static_cast<int>(stride),
                                      static_cast<int>(dist), FFTW_BACKWARD, FFTW_ESTIMATE);
  if (!forward_plan_ || !inverse_plan_) throw std::runtime_error("FFTW could not plan the line transforms");
}

LinesFft::~LinesFft() {
  std::lock_guard<std::mutex> lock(planner_mutex());
  fftwf_destroy_plan(static_cast<fftwf_plan>(forward_plan_));
  fftwf_destroy_plan(static_cast<fftwf_plan>(inverse_plan_));
}

void LinesFft::forward_real(float* real, cfloat* spectrum) const {
  fftwf_execute_dft_r2c(static_cast<fftwf_plan>(forward_plan_), real, reinterpret_cast<fftwf_complex*>(spectrum));
}

void LinesFft::inverse(cfloat* data) const {
  auto* c = reinterpret_cast<fftwf_complex*>(data);
  fftwf_execute_dft(static_cast<fftwf_plan>(inverse_plan_), c, c);
}

template <class T>
SimdBuffer<T>::SimdBuffer(std::size_t size) : data_(static_cast<T*>(fftwf_malloc(sizeof(T) * size))) {
  if (!data_) throw std::bad_alloc();
}

template <class T>
SimdBuffer<T>::~SimdBuffer() {
  fftwf_free(data_);
}

template class SimdBuffer<float>;
template class SimdBuffer<cfloat>;

int64_t LineLayout::start(int64_t line) const {
  // The two other axes, in x-fastest order, enumerate the lines.
  const int a = axis == 0 ? 1 : 0, b = axis == 2 ? 1 : 2;
  const int64_t ia = line % dims[a], ib = line / dims[a];
  const int64_t strides[3] = {1, dims[0], dims[0] * dims[1]};
  return ia * strides[a] + ib * strides[b];
}

}  // namespace axon::quality

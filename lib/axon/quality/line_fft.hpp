#pragma once
// 1D discrete Fourier transforms of the lines of a volume along one axis
// (FFTW3, single precision). Motion during an MRI acquisition mixes k-space
// only along the phase-encode axis, so the simulation and the k-space
// features need nothing but these 1D transforms (see motion_simulation.hpp).
//
// Determinism: every thread uses a plan made with FFTW_ESTIMATE for the same
// length and alignment, so each line is transformed by the same algorithm
// whatever the thread count, and results are bit-identical.
#include <complex>
#include <cstddef>
#include <cstdint>

namespace axon::quality {

using cfloat = std::complex<float>;

// A transform of length n with its own aligned buffer. Not copyable; make
// one per thread (construction takes the FFTW planner lock).
class LineFft {
 public:
  explicit LineFft(int64_t n);
  ~LineFft();
  LineFft(const LineFft&) = delete;
  LineFft& operator=(const LineFft&) = delete;

  int64_t size() const { return n_; }
  cfloat* buffer() { return buffer_; }
  void forward();  // buffer <- DFT(buffer), unnormalised
  void inverse();  // buffer <- inverse DFT(buffer), unnormalised (n * x)

 private:
  int64_t n_;
  cfloat* buffer_ = nullptr;
  void* forward_plan_ = nullptr;
  void* inverse_plan_ = nullptr;
};

// The same 1D transform of `count` lines at once (FFTW's advanced
// interface): sample i of line l at l * dist + i * stride, in elements of
// the array at hand (floats for real input, complex for spectra). One plan
// per shape, made once (under the planner lock) and executed on any
// caller's arrays from fftwf_malloc (see SimdBuffer), so threads share it
// and each array is transformed by the same algorithm: deterministic.
class LinesFft {
 public:
  LinesFft(int64_t n, int64_t count, int64_t stride, int64_t dist);
  ~LinesFft();
  LinesFft(const LinesFft&) = delete;
  LinesFft& operator=(const LinesFft&) = delete;

  // spectrum <- DFT(real), bins 0..n/2 of each line (the others are their
  // conjugates: X(n - b) = conj(X(b)) for a real input), unnormalised.
  void forward_real(float* real, cfloat* spectrum) const;
  // data <- inverse DFT(data) in place, unnormalised (n * x).
  void inverse(cfloat* data) const;

 private:
  void* forward_plan_ = nullptr;
  void* inverse_plan_ = nullptr;
};

// An array from fftwf_malloc (the alignment FFTW plans for), freed with it.
template <class T>
class SimdBuffer {
 public:
  explicit SimdBuffer(std::size_t size);
  ~SimdBuffer();
  SimdBuffer(const SimdBuffer&) = delete;
  SimdBuffer& operator=(const SimdBuffer&) = delete;
  T* data() { return data_; }

 private:
  T* data_;
};

// The signed frequency of DFT bin `bin` of a length-n transform:
// 0, 1, ..., ceil(n/2) - 1, -floor(n/2), ..., -1 (numpy's fftfreq * n).
inline int64_t signed_frequency(int64_t bin, int64_t n) { return bin < (n + 1) / 2 ? bin : bin - n; }

// Strides to walk a volume (nx, ny, nz, x fastest) line by line along
// `axis`: line l starts at start(l) and its samples are `stride` apart.
struct LineLayout {
  int64_t dims[3];
  int axis;
  int64_t length() const { return dims[axis]; }
  int64_t lines() const { return dims[0] * dims[1] * dims[2] / dims[axis]; }
  int64_t stride() const { return axis == 0 ? 1 : axis == 1 ? dims[0] : dims[0] * dims[1]; }
  int64_t start(int64_t line) const;
};

}  // namespace axon::quality

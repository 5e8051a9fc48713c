#pragma once
// ISA-L's AVX-512 inflate and deflate return with the upper halves of the
// vector registers dirty. The SSE code compiled for baseline x86-64 that
// runs next then pays a state-transition penalty on every vector
// instruction until something clears that state (glibc's AVX memcpy/memset
// do, at their exit; tight numeric loops never call them): simulate's SSIM
// after its ISA-L write took 1.4 s instead of 0.5 s for ch2 at 1 thread.
// VZEROUPPER clears the state; it exists only on CPUs with AVX.
namespace axon {

inline void clear_upper_vector_state() {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool avx = __builtin_cpu_supports("avx");
  if (avx) __asm__ __volatile__("vzeroupper" ::: "memory");
#endif
}

}  // namespace axon

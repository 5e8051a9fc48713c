// axon-denoise: MRI denoising, and the image-quality measures to judge it.
#include <malloc.h>

#include "commands.hpp"

int main(int argc, char** argv) {
  // Still needed (re-measured 2026-11-23). The wavelet transform allocates
  // and frees whole-volume buffers level after level. glibc serves blocks
  // above its mmap threshold with mmap, and its dynamic threshold stops
  // growing at 32 MiB, below one ch2bet volume in double (57 MB). So every
  // freed buffer goes back to the kernel, and the next one is page-faulted
  // in afresh. `wavelet` on the full noisy ch2bet, 2 threads, 3 runs each,
  // with mallopt made a no-op by an LD_PRELOAD shim: 4.4-4.6 s CPU (1.0-1.1 s
  // system), 127k minor faults; with it: 3.8-3.9 s (0.6-0.7 s system), 73k
  // faults; identical output, peak memory 298 vs 307 MB. Keeping freed
  // blocks in the heap lets them be reused.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  return axon::cli::Tool("axon-denoise", "denoise MRI volumes and measure image quality")
      .add(compare_command())
      .add(wavelet_command())
      .add(nlm_command())
      .add(mppca_command())
      .add(sr_command())
      .main(argc, argv);
}

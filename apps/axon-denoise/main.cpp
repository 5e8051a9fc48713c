// axon-denoise: MRI denoising, and the image-quality measures to judge it.
#include <malloc.h>

#include "commands.hpp"

int main(int argc, char** argv) {
  // The wavelet transform allocates and frees whole-volume buffers level
  // after level; glibc returns each one to the kernel (mmap above 128 KiB)
  // and the next is page-faulted in afresh, which measured as half the run
  // time. Keeping freed blocks in the heap lets them be reused.
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

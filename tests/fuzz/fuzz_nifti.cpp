// NIfTI header and voxel reader (lib/axon/io/nifti.cpp). Each input is read
// twice through the public readers: as a .nii file, and gzip-compressed as
// a .nii.gz (so the fuzzer mutates the NIfTI bytes themselves, not deflate
// codes; tests/fuzz/fuzz_gzip_stream.cpp fuzzes the compressed layer). Both
// must give the same answer: the same voxels, or both refused.
#include <omp.h>
#include <zlib.h>

#include <cstring>
#include <vector>

#include "axon/io/nifti.hpp"
#include "fuzz_support.hpp"

namespace {

// The input as one gzip member, through zlib with little memory (axon's own
// GzipWriter sets up megabytes of ISA-L buffers per file, which would slow
// the harness tenfold).
std::vector<uint8_t> gzip(const uint8_t* data, size_t size) {
  z_stream z{};
  if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 1, Z_DEFAULT_STRATEGY) != Z_OK) axon::fuzz::fail("deflateInit2");
  std::vector<uint8_t> out(deflateBound(&z, size) + 32);
  z.next_in = const_cast<uint8_t*>(data);
  z.avail_in = static_cast<uInt>(size);
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) axon::fuzz::fail("deflate");
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

struct Outcome {
  bool read = false;
  std::vector<float> voxels;
  bool labels_read = false;
  std::vector<int32_t> labels;
};

Outcome read_floats_and_labels(const std::string& path) {
  Outcome o;
  o.read = axon::fuzz::refuses_cleanly([&] {
    const axon::ImageHeader h = axon::read_header(path);
    (void)h.affine();
    (void)h.repetition_time_problem();
    o.voxels = axon::read_image<float>(path).data;
  });
  if (o.read) o.labels_read = axon::fuzz::refuses_cleanly([&] { o.labels = axon::read_image<int32_t>(path).data; });
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  omp_set_num_threads(1);  // no read-ahead thread: one input, one code path
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string plain = axon::fuzz::scratch_path("image.nii");
  static const std::string packed = axon::fuzz::scratch_path("image.nii.gz");
  axon::fuzz::write_file(plain, data, size);
  const std::vector<uint8_t> compressed = gzip(data, size);
  axon::fuzz::write_file(packed, compressed.data(), compressed.size());
  const Outcome a = read_floats_and_labels(plain), b = read_floats_and_labels(packed);
  if (a.read != b.read || a.labels_read != b.labels_read)
    axon::fuzz::fail(".nii and .nii.gz of the same bytes: one is read, the other refused");
  const bool same_voxels = a.voxels.size() == b.voxels.size() &&
                           (a.voxels.empty() ||  // bit for bit: NaN equals NaN here
                            std::memcmp(a.voxels.data(), b.voxels.data(), a.voxels.size() * sizeof(float)) == 0);
  if (!same_voxels || a.labels != b.labels)
    axon::fuzz::fail(".nii and .nii.gz of the same bytes give different voxels");
  return 0;
}

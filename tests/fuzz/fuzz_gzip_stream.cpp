// The gzip stream (lib/axon/io/gzip_stream.cpp) behind every .nii.gz read.
// The input is the compressed file. Both engines (ISA-L's igzip and zlib)
// must give the same bytes, or both refuse the file: docs/development.md
// promises they handle every corrupt case alike. skip() and finish() must
// agree with read().
#include <vector>

#include "axon/io/gzip_stream.hpp"
#include "fuzz_support.hpp"

namespace {

struct Outcome {
  bool read = false;
  std::vector<unsigned char> bytes;
};

// Reads everything in pieces of `piece` bytes, then checks the trailer.
// On a refusal, `bytes` holds what came before it (which depends on the
// engine and the piece size, so only successful reads are compared).
Outcome inflate(const std::string& path, axon::Inflater engine, std::size_t piece) {
  Outcome o;
  o.read = axon::fuzz::refuses_cleanly([&] {
    axon::GzipStream in(path, engine);
    std::vector<unsigned char> buffer(piece);
    for (std::size_t r; (r = in.read(buffer.data(), piece)) > 0;) o.bytes.insert(o.bytes.end(), buffer.data(), buffer.data() + r);
    if (in.finish() != 0) axon::fuzz::fail("finish() found bytes after read() returned 0");
  });
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = axon::fuzz::scratch_path("data.gz");
  axon::fuzz::write_file(path, data, size);
  const Outcome zlib = inflate(path, axon::Inflater::zlib, 4096);
  if (axon::isal_available()) {
    const Outcome isal = inflate(path, axon::Inflater::isal, 4096);
    if (isal.read != zlib.read)
      axon::fuzz::fail(std::string("ISA-L ") + (isal.read ? "reads" : "refuses") + " a file that zlib " +
                       (zlib.read ? "reads" : "refuses"));
    if (zlib.read && isal.bytes != zlib.bytes) axon::fuzz::fail("ISA-L and zlib inflate the same file to different bytes");
  }
  // Other piece sizes, and skip() + finish(), count the same bytes.
  const Outcome odd = inflate(path, axon::Inflater::automatic, 7);
  if (odd.read != zlib.read || (zlib.read && odd.bytes != zlib.bytes)) axon::fuzz::fail("reading in 7-byte pieces changes the result");
  axon::fuzz::refuses_cleanly([&] {
    axon::GzipStream in(path);
    const std::uint64_t half = zlib.bytes.size() / 2;
    const std::uint64_t skipped = in.skip(half);
    const std::uint64_t rest = in.finish();
    if (zlib.read && (skipped != half || skipped + rest != zlib.bytes.size()))
      axon::fuzz::fail("skip() + finish() do not count the bytes read() returns");
  });
  return 0;
}

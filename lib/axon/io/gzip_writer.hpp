#pragma once
// Sequential writing of a file, gzip-compressed (one RFC 1952 member) or
// plain: the one writer behind every .nii / .nii.gz output. Level 1
// compression: noisy float32 images barely compress further at higher
// levels, and level 1 is several times faster. ISA-L's igzip deflates
// several times faster than zlib at that level (docs/development.md has the
// figures); zlib stays as the fallback for builds without ISA-L and is what
// `Deflater::zlib` asks for (the tests run both). Either engine gives the
// same bytes for the same data on every run: no time stamp or file name in
// the gzip header.
#include <cstddef>
#include <memory>
#include <string>

namespace axon {

enum class Deflater { automatic, isal, zlib };

class GzipWriter {
 public:
  // Throws OutputError naming `path` when it cannot be created, and Error
  // (exit 1) when `deflater` is isal in a build without ISA-L.
  GzipWriter(const std::string& path, bool compress, Deflater deflater = Deflater::automatic);
  // Without close(): the file is closed as it is (a caller that throws
  // removes its partial output).
  ~GzipWriter();
  GzipWriter(const GzipWriter&) = delete;
  GzipWriter& operator=(const GzipWriter&) = delete;

  void write(const void* data, std::size_t n);  // throws OutputError naming the file
  // Ends the member (trailer: CRC-32 and length) and closes the file;
  // throws OutputError when the data cannot all be written (disk full).
  void close();

  Deflater deflater() const;  // the one in use (isal or zlib; zlib also for plain files)

  class Backend;

 private:
  std::unique_ptr<Backend> backend_;
};

}  // namespace axon

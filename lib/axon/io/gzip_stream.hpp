#pragma once
// Sequential reading of a file that is either gzip-compressed (RFC 1952:
// one member, or several concatenated as `cat a.gz b.gz` makes) or stored
// plain. Inflation streams through fixed buffers, so memory does not grow
// with the file. ISA-L's igzip inflates faster than zlib (docs/development.md
// has the figures); zlib stays as the fallback for builds without ISA-L and
// is what `Inflater::zlib` asks for (the tests run both on the same files).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace axon {

enum class Inflater { automatic, isal, zlib };

// "isal" or "zlib" ("automatic" for automatic).
const char* inflater_name(Inflater inflater);

// True when this build links ISA-L (Inflater::automatic then means isal).
bool isal_available();

class GzipStream {
 public:
  // Throws InputError when the file cannot be opened, and Error (exit 1)
  // when `inflater` is isal in a build without ISA-L.
  explicit GzipStream(const std::string& path, Inflater inflater = Inflater::automatic);
  ~GzipStream();
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  // Reads up to `n` bytes; fewer only where the data ends. Throws InputError
  // naming the file on corrupt data: an invalid deflate stream, a CRC-32 or
  // length (ISIZE: the length modulo 2^32) that does not match a member's
  // trailer, or a file that ends inside a member (truncated). Bytes after
  // the last member that do not start another one are ignored, as gzip and
  // zlib do.
  std::size_t read(void* out, std::size_t n);
  // Discards up to `n` bytes; returns how many there were.
  std::uint64_t skip(std::uint64_t n);
  // Reads and discards whatever is left, so that the trailers of the last
  // member are checked: a read that stops exactly at the end of the data
  // has not seen the CRC yet. Returns the number of bytes discarded.
  std::uint64_t finish();

  Inflater inflater() const;  // the one in use: isal or zlib
  bool compressed() const;    // false for a plain file (read as is)

  class Backend;

 private:
  std::string path_;
  std::unique_ptr<Backend> backend_;
};

}  // namespace axon

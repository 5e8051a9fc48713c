#include "axon/io/gzip_writer.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "axon/core/error.hpp"
#include "axon/io/gzip_stream.hpp"
#include "axon/io/vector_state.hpp"

#ifdef AXON_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

namespace axon {

class GzipWriter::Backend {
 public:
  virtual ~Backend() = default;
  virtual void write(const unsigned char* data, std::size_t n) = 0;
  virtual void close() = 0;
  virtual Deflater deflater() const = 0;
};

namespace {

// zlib's gz functions: level 1, or a plain file with mode "T". gzopen writes
// a header without a time stamp or name, so the bytes are reproducible.
class ZlibBackend final : public GzipWriter::Backend {
 public:
  ZlibBackend(const std::string& path, bool compress) : path_(path) {
    gz_ = gzopen(path.c_str(), compress ? "wb1" : "wbT");
    if (!gz_) throw OutputError(path, std::string("cannot open for writing: ") + std::strerror(errno));
    gzbuffer(gz_, 1 << 20);
  }
  ~ZlibBackend() override {
    if (gz_) gzclose(gz_);
  }
  void write(const unsigned char* p, std::size_t n) override {
    while (n > 0) {
      const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(n, 1u << 30));
      if (gzwrite(gz_, p, chunk) != static_cast<int>(chunk)) {
        int errnum = 0;
        throw OutputError(path_, std::string("write failed: ") + gzerror(gz_, &errnum));
      }
      p += chunk, n -= chunk;
    }
  }
  void close() override {
    const int rc = gzclose(gz_);
    gz_ = nullptr;
    if (rc != Z_OK) throw OutputError(path_, "write failed while closing (disk full?)");
  }
  Deflater deflater() const override { return Deflater::zlib; }

 private:
  std::string path_;
  gzFile gz_ = nullptr;
};

#ifdef AXON_HAVE_ISAL
// ISA-L igzip, level 1, streaming through a fixed output buffer. With
// gzip_flag IGZIP_GZIP it writes igzip's generic header (no time stamp, no
// name) and the CRC-32/ISIZE trailer.
class IsalBackend final : public GzipWriter::Backend {
 public:
  explicit IsalBackend(const std::string& path)
      : path_(path), level_buffer_(ISAL_DEF_LVL1_DEFAULT), in_(kBlock), out_(1 << 20) {
    file_ = std::fopen(path.c_str(), "wb");
    if (!file_) throw OutputError(path, std::string("cannot open for writing: ") + std::strerror(errno));
    stream_ = std::make_unique<isal_zstream>();  // its history buffer makes it large: on the heap
    isal_deflate_init(stream_.get());
    stream_->gzip_flag = IGZIP_GZIP;
    stream_->level = 1;
    stream_->level_buf = level_buffer_.data();
    stream_->level_buf_size = static_cast<std::uint32_t>(level_buffer_.size());
    stream_->flush = NO_FLUSH;
  }
  ~IsalBackend() override {
    if (file_) std::fclose(file_);
  }
  // Input goes to igzip in whole blocks of kBlock bytes (the last one
  // shorter), straight from the caller's memory where it can: the output
  // then depends on the bytes alone, not on how the caller cut them.
  void write(const unsigned char* p, std::size_t n) override {
    while (n > 0) {
      if (fill_ == 0 && n >= kBlock) {
        deflate(p, kBlock);
        p += kBlock, n -= kBlock;
        continue;
      }
      const std::size_t take = std::min(n, kBlock - fill_);
      std::memcpy(in_.data() + fill_, p, take);
      fill_ += take, p += take, n -= take;
      if (fill_ == kBlock) deflate(in_.data(), kBlock), fill_ = 0;
    }
  }
  void close() override {
    stream_->end_of_stream = 1;
    deflate(in_.data(), fill_);
    while (stream_->internal_state.state != ZSTATE_END) deflate_step();
    std::FILE* f = file_;
    file_ = nullptr;
    if (std::fclose(f) != 0) throw OutputError(path_, std::string("write failed while closing: ") + std::strerror(errno));
  }
  Deflater deflater() const override { return Deflater::isal; }

 private:
  static constexpr std::size_t kBlock = std::size_t{1} << 20;

  void deflate(const unsigned char* p, std::size_t n) {
    stream_->next_in = const_cast<std::uint8_t*>(p);
    stream_->avail_in = static_cast<std::uint32_t>(n);
    do deflate_step();
    while (stream_->avail_in > 0);
  }
  void deflate_step() {
    stream_->next_out = out_.data();
    stream_->avail_out = static_cast<std::uint32_t>(out_.size());
    const int rc = isal_deflate(stream_.get());
    clear_upper_vector_state();
    if (rc != COMP_OK) throw OutputError(path_, "ISA-L deflate failed");
    const std::size_t produced = out_.size() - stream_->avail_out;
    if (produced > 0 && std::fwrite(out_.data(), 1, produced, file_) != produced)
      throw OutputError(path_, std::string("write failed: ") + std::strerror(errno));
  }

  std::string path_;
  std::FILE* file_ = nullptr;
  std::unique_ptr<isal_zstream> stream_;
  std::vector<std::uint8_t> level_buffer_, in_, out_;
  std::size_t fill_ = 0;  // bytes waiting in in_
};
#endif  // AXON_HAVE_ISAL

}  // namespace

GzipWriter::GzipWriter(const std::string& path, bool compress, Deflater deflater) {
  if (deflater == Deflater::automatic) deflater = isal_available() ? Deflater::isal : Deflater::zlib;
  if (deflater == Deflater::isal && !isal_available())
    throw Error(ExitCode::other, "this build of axon has no ISA-L deflater");
#ifdef AXON_HAVE_ISAL
  if (compress && deflater == Deflater::isal) backend_ = std::make_unique<IsalBackend>(path);
#endif
  if (!backend_) backend_ = std::make_unique<ZlibBackend>(path, compress);
}

GzipWriter::~GzipWriter() = default;

void GzipWriter::write(const void* data, std::size_t n) {
  backend_->write(static_cast<const unsigned char*>(data), n);
}

void GzipWriter::close() { backend_->close(); }

Deflater GzipWriter::deflater() const { return backend_->deflater(); }

}  // namespace axon

#include "axon/io/gzip_stream.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <new>
#include <vector>

#include <sys/stat.h>

#include "axon/core/error.hpp"
#include "axon/io/vector_state.hpp"

#ifdef AXON_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

namespace axon {
namespace {

// What one call of an inflate engine did.
struct Step {
  std::size_t produced = 0;
  bool member_end = false;  // the member's trailer was read and matched
  std::string error;        // non-empty: corrupt data, in words
};

// One gzip member at a time, from the input the driver hands it. The two
// engines (ISA-L, zlib) differ only here; buffering, member boundaries and
// truncation are the driver's (GzipStream::Backend), so they behave alike.
class Engine {
 public:
  virtual ~Engine() = default;
  virtual void begin_member() = 0;
  virtual void set_input(unsigned char* next, std::size_t avail) = 0;
  virtual unsigned char* next_in() const = 0;
  virtual std::size_t avail_in() const = 0;
  virtual Step inflate(unsigned char* out, std::size_t n) = 0;  // n < 2^32
};

// zlib: inflate with the gzip wrapper (window bits 15 + 16), which checks
// the CRC-32 and ISIZE of every member.
class ZlibEngine final : public Engine {
 public:
  ZlibEngine() {
    if (inflateInit2(&z_, 15 + 16) != Z_OK) throw std::bad_alloc();
  }
  ~ZlibEngine() override { inflateEnd(&z_); }
  void begin_member() override { inflateReset(&z_); }
  void set_input(unsigned char* next, std::size_t avail) override {
    z_.next_in = next;
    z_.avail_in = static_cast<uInt>(avail);
  }
  unsigned char* next_in() const override { return z_.next_in; }
  std::size_t avail_in() const override { return z_.avail_in; }
  Step inflate(unsigned char* out, std::size_t n) override {
    z_.next_out = out;
    z_.avail_out = static_cast<uInt>(n);
    const int rc = ::inflate(&z_, Z_NO_FLUSH);
    Step s;
    s.produced = n - z_.avail_out;
    if (rc == Z_STREAM_END) s.member_end = true;
    else if (rc == Z_MEM_ERROR) throw std::bad_alloc();
    else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_STREAM_ERROR)
      s.error = z_.msg ? z_.msg : "invalid deflate data";
    return s;  // Z_OK, or Z_BUF_ERROR: no progress possible without more input
  }

 private:
  z_stream z_{};
};

#ifdef AXON_HAVE_ISAL

// What ISA-L's inflate error codes mean, in words.
std::string isal_problem(int rc) {
  switch (rc) {
    case ISAL_INVALID_BLOCK: return "invalid deflate block";
    case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK: return "invalid back-reference distance";
    case ISAL_INVALID_WRAPPER: return "invalid gzip header";
    case ISAL_UNSUPPORTED_METHOD: return "unsupported compression method";
    case ISAL_INCORRECT_CHECKSUM: return "CRC-32 or length does not match the gzip trailer";
    case ISAL_NEED_DICT: return "needs a preset dictionary";
    default: return "inflate error " + std::to_string(rc);
  }
}

// ISA-L igzip: ISAL_GZIP parses each member's header and checks its
// trailer (CRC-32 and ISIZE, which it compares modulo 2^32).
class IsalEngine final : public Engine {
 public:
  IsalEngine() : state_(new inflate_state()) { begin_member(); }  // ~50 KB: on the heap
  void begin_member() override {
    unsigned char* next = state_->next_in;
    const uint32_t avail = state_->avail_in;
    isal_inflate_init(state_.get());  // also clears the input: keep it
    state_->crc_flag = ISAL_GZIP;
    state_->next_in = next;
    state_->avail_in = avail;
  }
  void set_input(unsigned char* next, std::size_t avail) override {
    state_->next_in = next;
    state_->avail_in = static_cast<uint32_t>(avail);
  }
  unsigned char* next_in() const override { return state_->next_in; }
  std::size_t avail_in() const override { return state_->avail_in; }
  Step inflate(unsigned char* out, std::size_t n) override {
    state_->next_out = out;
    state_->avail_out = static_cast<uint32_t>(n);
    const int rc = isal_inflate(state_.get());
    clear_upper_vector_state();  // vector_state.hpp
    Step s;
    s.produced = n - state_->avail_out;
    if (rc != ISAL_DECOMP_OK) s.error = isal_problem(rc);
    else if (state_->block_state == ISAL_BLOCK_FINISH) s.member_end = true;
    return s;
  }

 private:
  std::unique_ptr<inflate_state> state_;
};

#endif  // AXON_HAVE_ISAL

}  // namespace

// Reads the file in 1 MiB pieces. A file starting with the gzip magic is
// inflated member after member; anything else is handed out as stored.
class GzipStream::Backend {
 public:
  Backend(const std::string& path, Inflater inflater) : path_(path), inflater_(inflater) {
    file_.reset(std::fopen(path.c_str(), "rb"));
    if (!file_) throw InputError(path, std::string("cannot open: ") + std::strerror(errno));
    std::setvbuf(file_.get(), nullptr, _IONBF, 0);  // buffered here, in larger pieces
    // A file smaller than the buffer gets a buffer of its size (plus the one
    // byte that shows its end at the first read): a header, a label table or
    // a small label image need not zero and fault in 1 MiB per open.
    struct stat st {};
    std::size_t buffer = kInputBuffer;
    if (::fstat(::fileno(file_.get()), &st) == 0 && S_ISREG(st.st_mode) &&
        static_cast<std::uint64_t>(st.st_size) < kInputBuffer)
      buffer = static_cast<std::size_t>(st.st_size) + 1;
    in_.resize(buffer);
    fill(0);
    compressed_ = available_ >= 2 && in_[0] == 0x1f && in_[1] == 0x8b;
    if (compressed_) {  // the engine's state (ISA-L: ~50 KB) only where it is needed
#ifdef AXON_HAVE_ISAL
      if (inflater == Inflater::isal) engine_ = std::make_unique<IsalEngine>();
#endif
      if (!engine_) engine_ = std::make_unique<ZlibEngine>();
      engine_->set_input(in_.data(), available_);
      check_member_header();
      engine_->begin_member();
    }
  }

  std::size_t read(unsigned char* out, std::size_t n) {
    return compressed_ ? inflate_into(out, n) : copy_plain(out, n);
  }
  Inflater inflater() const { return inflater_; }
  bool compressed() const { return compressed_; }

 private:
  static constexpr std::size_t kInputBuffer = 1 << 20;

  // Keeps the `keep` unread bytes at `from` (moved to the front) and fills
  // the rest of the buffer from the file.
  void fill(std::size_t keep, const unsigned char* from = nullptr) {
    if (keep && from != in_.data()) std::memmove(in_.data(), from, keep);
    const std::size_t r = std::fread(in_.data() + keep, 1, in_.size() - keep, file_.get());
    if (r < in_.size() - keep) {
      if (std::ferror(file_.get())) throw InputError(path_, std::string("read error: ") + std::strerror(errno));
      eof_ = true;
    }
    available_ = keep + r;
  }

  void refill() {
    fill(engine_->avail_in(), engine_->next_in());
    engine_->set_input(in_.data(), available_);
  }

  // RFC 1952 says a reader must refuse a member header with a reserved flag
  // bit (FLG bits 5-7) set. zlib does; ISA-L ignores them and would read on,
  // so the driver checks, and both engines refuse such a file alike.
  void check_member_header() const {
    if (engine_->avail_in() >= 4 && (engine_->next_in()[3] & 0xe0) != 0)
      throw InputError(path_, "corrupt compressed data: invalid gzip header (reserved flag bits set; after " +
                                  std::to_string(produced_) + " bytes of data)");
  }

  // After a member: another one follows when the next bytes are the gzip
  // magic; anything else ends the data (as gzip -dc and zlib's gzread do).
  void next_member() {
    if (engine_->avail_in() < 4 && !eof_) refill();
    const unsigned char* p = engine_->next_in();
    if (engine_->avail_in() >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
      check_member_header();
      engine_->begin_member();
    } else {
      done_ = true;
    }
  }

  std::size_t inflate_into(unsigned char* out, std::size_t n) {
    std::size_t got = 0;
    while (got < n && !done_) {
      if (engine_->avail_in() == 0 && !eof_) refill();
      const std::size_t in_before = engine_->avail_in();
      const Step s = engine_->inflate(out + got, std::min<std::size_t>(n - got, 1u << 30));
      got += s.produced;
      produced_ += s.produced;
      if (!s.error.empty())
        throw InputError(path_, "corrupt compressed data: " + s.error + " (after " + std::to_string(produced_) +
                                    " bytes of data)");
      if (s.member_end) {
        next_member();
      } else if (s.produced == 0 && engine_->avail_in() == in_before) {
        // No progress: the engine needs more input than it has.
        if (eof_)
          throw InputError(path_, "file is truncated: the compressed data ends inside a gzip member (after " +
                                      std::to_string(produced_) + " bytes of data)");
        refill();
      }
    }
    return got;
  }

  std::size_t copy_plain(unsigned char* out, std::size_t n) {
    std::size_t got = std::min(n, available_ - plain_pos_);
    std::memcpy(out, in_.data() + plain_pos_, got);
    plain_pos_ += got;
    if (got < n && !eof_) {
      const std::size_t r = std::fread(out + got, 1, n - got, file_.get());
      if (r < n - got) {
        if (std::ferror(file_.get())) throw InputError(path_, std::string("read error: ") + std::strerror(errno));
        eof_ = true;
      }
      got += r;
    }
    return got;
  }

  std::string path_;
  Inflater inflater_;
  std::unique_ptr<Engine> engine_;
  // Closed however the constructor or a read ends (a constructor that
  // throws runs no destructor body: a plain FILE* leaked there).
  struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, FileCloser> file_;
  std::vector<unsigned char> in_;
  std::size_t available_ = 0;  // bytes of in_ filled from the file
  std::size_t plain_pos_ = 0;  // plain files: bytes of in_ handed out
  bool compressed_ = false, eof_ = false, done_ = false;
  std::uint64_t produced_ = 0;
};

const char* inflater_name(Inflater inflater) {
  switch (inflater) {
    case Inflater::isal: return "isal";
    case Inflater::zlib: return "zlib";
    default: return "automatic";
  }
}

bool isal_available() {
#ifdef AXON_HAVE_ISAL
  return true;
#else
  return false;
#endif
}

GzipStream::GzipStream(const std::string& path, Inflater inflater) : path_(path) {
  if (inflater == Inflater::automatic) inflater = isal_available() ? Inflater::isal : Inflater::zlib;
  if (inflater == Inflater::isal && !isal_available())
    throw Error(ExitCode::other, "this build of axon has no ISA-L inflater");
  backend_ = std::make_unique<Backend>(path, inflater);
}

GzipStream::~GzipStream() = default;

std::size_t GzipStream::read(void* out, std::size_t n) {
  return backend_->read(static_cast<unsigned char*>(out), n);
}

std::uint64_t GzipStream::skip(std::uint64_t n) {
  std::vector<unsigned char> scratch(static_cast<std::size_t>(std::min<std::uint64_t>(n, 1 << 20)));
  std::uint64_t done = 0;
  while (done < n) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(n - done, scratch.size()));
    const std::size_t r = backend_->read(scratch.data(), want);
    done += r;
    if (r < want) break;
  }
  return done;
}

std::uint64_t GzipStream::finish() {
  std::vector<unsigned char> scratch(1 << 16);
  std::uint64_t done = 0;
  for (std::size_t r; (r = backend_->read(scratch.data(), scratch.size())) > 0;) done += r;
  return done;
}

Inflater GzipStream::inflater() const { return backend_->inflater(); }
bool GzipStream::compressed() const { return backend_->compressed(); }

}  // namespace axon

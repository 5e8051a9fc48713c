#include "axon/io/nifti.hpp"

#include <nifti2_io.h>
#include <omp.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <type_traits>

#include "axon/core/error.hpp"
#include "axon/io/gzip_stream.hpp"
#include "axon/io/gzip_writer.hpp"

namespace axon {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct NimDeleter {
  void operator()(nifti_image* nim) const { nifti_image_free(nim); }
};
using NimPtr = std::unique_ptr<nifti_image, NimDeleter>;

Eigen::Matrix4d to_eigen(const nifti_dmat44& m) {
  Eigen::Matrix4d e;
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c) e(r, c) = m.m[r][c];
  return e;
}

// The raw header as stored: the NIfTI version, and the quaternion fields,
// which the library zeroes in its nifti_image when qform_code is 0 but which
// a faithful round trip must keep.
struct RawHeaderFields {
  int version = 1;
  double quatern[6] = {0, 0, 0, 0, 0, 0};
  double qfac = 1;
  // pixdim[4] as stored: the NIfTI library turns a 0 into 1, which would
  // hide a missing repetition time behind a plausible 1 s. -1: not read.
  double time_step = -1;
  std::string descrip, aux_file, intent_name;  // every byte, even after a NUL
};

// A fixed-size header text field as stored, without trailing NUL padding.
template <size_t N>
std::string raw_text(const char (&field)[N]) {
  size_t n = N;
  while (n > 0 && field[n - 1] == '\0') --n;
  return std::string(field, n);
}

// The fields of a NIfTI-1 or NIfTI-2 header struct (same names, other widths).
template <class Hdr>
RawHeaderFields raw_fields_of(const Hdr& h, int version) {
  RawHeaderFields f;
  f.version = version;
  double q[6] = {h.quatern_b, h.quatern_c, h.quatern_d, h.qoffset_x, h.qoffset_y, h.qoffset_z};
  std::copy(q, q + 6, f.quatern);
  f.qfac = h.pixdim[0];
  f.time_step = h.pixdim[4];
  f.descrip = raw_text(h.descrip);
  f.aux_file = raw_text(h.aux_file);
  f.intent_name = raw_text(h.intent_name);
  return f;
}

RawHeaderFields read_raw_header_fields(const std::string& path) {
  int version = 0;
  void* raw = nifti_read_header(path.c_str(), &version, 0);  // byte-swapped to native
  if (!raw) return RawHeaderFields{};
  RawHeaderFields f = version == 2 ? raw_fields_of(*static_cast<const nifti_2_header*>(raw), 2)
                                   : raw_fields_of(*static_cast<const nifti_1_header*>(raw), 1);
  free(raw);
  return f;
}

ImageHeader header_from_nim(const nifti_image& nim, const RawHeaderFields& raw) {
  ImageHeader h;
  h.nifti_version = raw.version;
  for (int i = 0; i < 8; ++i) {
    h.dim[i] = nim.dim[i];
    h.pixdim[i] = nim.pixdim[i];
  }
  if (raw.time_step >= 0) h.pixdim[4] = raw.time_step;
  h.datatype = nim.datatype;
  h.scl_slope = nim.scl_slope;
  h.scl_inter = nim.scl_inter;
  h.cal_min = nim.cal_min;
  h.cal_max = nim.cal_max;
  h.qform_code = nim.qform_code;
  h.sform_code = nim.sform_code;
  if (nim.qform_code > 0) {
    h.quatern_b = nim.quatern_b;
    h.quatern_c = nim.quatern_c;
    h.quatern_d = nim.quatern_d;
    h.qoffset_x = nim.qoffset_x;
    h.qoffset_y = nim.qoffset_y;
    h.qoffset_z = nim.qoffset_z;
    h.qfac = nim.qfac;
  } else {  // unused by the library, kept for the round trip
    h.quatern_b = raw.quatern[0];
    h.quatern_c = raw.quatern[1];
    h.quatern_d = raw.quatern[2];
    h.qoffset_x = raw.quatern[3];
    h.qoffset_y = raw.quatern[4];
    h.qoffset_z = raw.quatern[5];
    h.qfac = raw.qfac;
  }
  h.qform = to_eigen(nim.qto_xyz);
  h.sform = to_eigen(nim.sto_xyz);
  h.xyz_units = nim.xyz_units;
  h.time_units = nim.time_units;
  h.toffset = nim.toffset;
  h.intent_code = nim.intent_code;
  h.intent_p1 = nim.intent_p1;
  h.intent_p2 = nim.intent_p2;
  h.intent_p3 = nim.intent_p3;
  h.intent_name = raw.intent_name;
  h.descrip = raw.descrip;
  h.aux_file = raw.aux_file;
  h.freq_dim = nim.freq_dim;
  h.phase_dim = nim.phase_dim;
  h.slice_dim = nim.slice_dim;
  h.slice_code = nim.slice_code;
  h.slice_start = nim.slice_start;
  h.slice_end = nim.slice_end;
  h.slice_duration = nim.slice_duration;
  return h;
}

// A single-file NIfTI (.nii, .nii.gz) is checked here before nifticlib
// sees it, for two reasons. nifticlib prints its own "** ERROR" lines for a
// header cut short, a bad dim[0] or an unknown datatype whatever its debug
// level, and axon's convention is one error line. And nifticlib reads a
// header without NIfTI's magic as ANALYZE 7.5, which comes only as a
// .hdr/.img pair: a single file without "n+1\0" / "n+2\0" is not NIfTI.
template <class T>
T stored_value(const T& field, bool swap) {
  if (!swap || sizeof(T) == 1) return field;
  T v = field;
  auto* b = reinterpret_cast<unsigned char*>(&v);
  std::reverse(b, b + sizeof(T));
  return v;
}

template <class Hdr>
void check_dims_and_datatype(const std::string& path, const Hdr& h, bool swap) {
  const int64_t ndim = stored_value(h.dim[0], swap);
  if (ndim < 1 || ndim > 7)
    throw InputError(path, "header has dim[0] = " + std::to_string(ndim) + " (the number of dimensions must be 1 to 7)");
  for (int d = 1; d <= ndim; ++d)
    if (stored_value(h.dim[d], swap) < 1)
      throw InputError(path, "header has a non-positive dimension dim[" + std::to_string(d) + "] = " +
                                 std::to_string(static_cast<int64_t>(stored_value(h.dim[d], swap))));
  const int datatype = stored_value(h.datatype, swap);
  if (!datatype_supported(datatype))
    throw InputError(path, "unsupported datatype " + std::to_string(datatype) +
                               " (supported: uint8, int8, int16, uint16, int32, uint32, int64, uint64, float32, float64)");
}

// Header extensions (the extension flag's first byte is set): nifticlib
// reads each one whose size fits before the voxels, allocating its size
// first, and prints "** znzread: read short" when the file ends inside one.
// So each is checked to be in the file first, following nifticlib's rules
// (a size below 16, not a multiple of 16, or past the voxel offset ends
// the list).
void check_extensions_present(const std::string& path, std::size_t header_size, double vox_offset, bool swap) {
  // A NIfTI-1 vox_offset is a float: any value, so it is converted only
  // inside int64's range (a -1e34 converted as is was undefined behaviour,
  // found by the fuzz harness). nifticlib reads no extension before a
  // negative offset, and up to the end of the file before a huge one.
  const int64_t offset = !(vox_offset > 0) ? 0 : vox_offset < 0x1p62 ? static_cast<int64_t>(vox_offset) : int64_t{1} << 62;
  int64_t remain = offset - static_cast<int64_t>(header_size) - 4;
  GzipStream in(path);
  in.skip(header_size + 4);
  const auto truncated = [&](int index) {
    return InputError(path, "truncated NIfTI file (it ends inside header extension " + std::to_string(index) + ")");
  };
  for (int index = 0; remain >= 16; ++index) {
    int32_t size = 0, code = 0;
    if (in.read(&size, 4) < 4 || in.read(&code, 4) < 4) throw truncated(index);
    size = stored_value(size, swap);
    if (size < 16 || size % 16 != 0 || size > remain) break;  // not an extension: the list ends
    if (in.skip(static_cast<uint64_t>(size) - 8) < static_cast<uint64_t>(size) - 8) throw truncated(index);
    remain -= size;
  }
}

void check_single_file_header(const std::string& path) {
  if (!ends_with(path, ".nii") && !ends_with(path, ".nii.gz")) return;
  unsigned char bytes[sizeof(nifti_2_header) + 4] = {};  // the header and its 4-byte extension flag
  static_assert(sizeof(nifti_1_header) == 348 && sizeof(nifti_2_header) == 540, "NIfTI header sizes");
  const std::size_t n = GzipStream(path).read(bytes, sizeof bytes);
  std::uint32_t size = 0;
  if (n >= 4) std::memcpy(&size, bytes, 4);
  const std::uint32_t swapped = __builtin_bswap32(size);
  const std::uint32_t expected = size == 348 || swapped == 348 ? 348 : size == 540 || swapped == 540 ? 540 : 0;
  if (expected == 0) throw InputError(path, "not a valid NIfTI-1/NIfTI-2 file (no NIfTI header size at its start)");
  if (n < expected)
    throw InputError(path,
                     "truncated NIfTI header (" + std::to_string(n) + " of " + std::to_string(expected) + " bytes)");
  // Voxels start at 352 (544) at the earliest, after the extension flag;
  // nifticlib reads that flag and prints "read short" when it is missing.
  if (n < expected + 4)
    throw InputError(path, "truncated NIfTI file (" + std::to_string(n) + " bytes; its header and extension flag take " +
                               std::to_string(expected + 4) + ")");
  const bool swap = size != expected;
  // The magic as stored, printable characters as they are, others as \xNN.
  auto magic_problem = [](const char* stored, const std::string& wanted) {
    std::string found;
    for (int i = 0; i < 4; ++i) {
      const auto c = static_cast<unsigned char>(stored[i]);
      if (c >= 0x20 && c < 0x7f) {
        found += static_cast<char>(c);
      } else {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", c);
        found += hex;
      }
    }
    return "not NIfTI: wrong magic \"" + found + "\" (a single-file NIfTI has \"" + wanted +
           "\\0\"); ANALYZE 7.5 is only read as a .hdr/.img pair";
  };
  double vox_offset = 0;
  if (expected == 348) {
    nifti_1_header h;
    std::memcpy(&h, bytes, sizeof h);
    if (std::memcmp(h.magic, "n+1", 4) != 0) throw InputError(path, magic_problem(h.magic, "n+1"));
    check_dims_and_datatype(path, h, swap);
    vox_offset = stored_value(h.vox_offset, swap);
  } else {
    nifti_2_header h;
    std::memcpy(&h, bytes, sizeof h);
    if (std::memcmp(h.magic, "n+2", 4) != 0) throw InputError(path, magic_problem(h.magic, "n+2"));
    check_dims_and_datatype(path, h, swap);
    vox_offset = static_cast<double>(stored_value(h.vox_offset, swap));
  }
  if (bytes[expected] != 0) check_extensions_present(path, expected, vox_offset, swap);
}

// The bytes of one volume and of all of them (the product of dim[1..dim[0]]
// times the bytes per voxel), or an InputError when that does not fit in
// 63 bits: such a header cannot describe a real file, and the products
// would overflow.
struct DataSize {
  uint64_t per_volume = 0, total = 0;
};

DataSize data_size(const std::string& path, const nifti_image& nim) {
  constexpr uint64_t limit = uint64_t{1} << 62;
  uint64_t bytes = static_cast<uint64_t>(nim.nbyper);
  DataSize size;
  for (int d = 1; d <= nim.dim[0] && d <= 7; ++d) {
    if (d == 4) size.per_volume = bytes;
    if (__builtin_mul_overflow(bytes, static_cast<uint64_t>(nim.dim[d]), &bytes) || bytes > limit)
      throw InputError(path, "header dimensions describe more than 2^62 bytes of voxel data");
  }
  if (nim.dim[0] < 4) size.per_volume = bytes;
  size.total = bytes;
  return size;
}

// Opens the header with the NIfTI library (header only). The library's own
// messages are silenced: axon prints one line of its own.
NimPtr open_nim(const std::string& path) {
  if (!has_nifti_extension(path))
    throw InputError(path, "not a NIfTI file name (expected .nii, .nii.gz, .hdr or .img)");
  std::FILE* probe = std::fopen(path.c_str(), "rb");
  if (!probe) throw InputError(path, std::string("cannot open: ") + std::strerror(errno));
  std::fclose(probe);
  check_single_file_header(path);
  nifti_set_debug_level(0);
  NimPtr nim(nifti_image_read(path.c_str(), 0));
  if (!nim) throw InputError(path, "not a valid NIfTI-1/NIfTI-2 file (bad or truncated header, or wrong magic)");
  if (nim->ndim < 1 || nim->nx < 1) throw InputError(path, "header has no voxels");
  for (int d = 1; d <= nim->dim[0] && d <= 7; ++d)
    if (nim->dim[d] < 1) throw InputError(path, "header has a non-positive dimension dim[" + std::to_string(d) + "]");
  if (!datatype_supported(nim->datatype))
    throw InputError(path, std::string("unsupported datatype ") + nifti_datatype_string(nim->datatype) +
                               " (supported: uint8, int8, int16, uint16, int32, uint32, int64, uint64, float32, float64)");
  data_size(path, *nim);  // refuses dimensions whose product overflows
  return nim;
}

template <class D>
double load_value(const unsigned char* p) {
  D v;
  std::memcpy(&v, p, sizeof(D));
  return static_cast<double>(v);
}

// Converts `n` stored values of `datatype` to T with scaling (slope, inter).
template <class T>
void convert_raw(const unsigned char* raw, int datatype, int64_t n, double slope, double inter, T* out) {
  auto run = [&](auto tag) {
    using D = decltype(tag);
    const bool scaled = slope != 0 && !(slope == 1 && inter == 0);
    for (int64_t i = 0; i < n; ++i) {
      D v;
      std::memcpy(&v, raw + i * sizeof(D), sizeof(D));
      if constexpr (std::is_floating_point_v<T>) {
        out[i] = scaled ? static_cast<T>(static_cast<double>(v) * slope + inter) : static_cast<T>(v);
      } else {
        double x = scaled ? static_cast<double>(v) * slope + inter : static_cast<double>(v);
        out[i] = static_cast<T>(x);
      }
    }
  };
  switch (static_cast<DataType>(datatype)) {
    case DataType::uint8: run(uint8_t{}); break;
    case DataType::int8: run(int8_t{}); break;
    case DataType::int16: run(int16_t{}); break;
    case DataType::uint16: run(uint16_t{}); break;
    case DataType::int32: run(int32_t{}); break;
    case DataType::uint32: run(uint32_t{}); break;
    case DataType::int64: run(int64_t{}); break;
    case DataType::uint64: run(uint64_t{}); break;
    case DataType::float32: run(float{}); break;
    case DataType::float64: run(double{}); break;
  }
}

}  // namespace

bool has_nifti_extension(const std::string& path) {
  for (const char* ext : {".nii", ".nii.gz", ".hdr", ".hdr.gz", ".img", ".img.gz"})
    if (ends_with(path, ext)) return true;
  return false;
}

ImageHeader read_header(const std::string& path) {
  // open_nim first (its own statement: argument order is unspecified): it
  // refuses a bad header with axon's one line before nifticlib's raw
  // header reader can print its own.
  const NimPtr nim = open_nim(path);
  return header_from_nim(*nim, read_raw_header_fields(path));
}

// ------------------------------------------------------------ VolumeReader

VolumeReader::VolumeReader(const std::string& path, ReadAhead read_ahead) : path_(path) {
  NimPtr nim = open_nim(path);
  header_ = header_from_nim(*nim, read_raw_header_fields(path));
  swap_ = nim->byteorder != nifti_short_order();
  const std::string data_file = nim->iname ? nim->iname : path;
  stream_ = std::make_unique<GzipStream>(data_file);
  if (nim->iname_offset < 0)
    throw InputError(path, "header has a negative voxel offset " + std::to_string(nim->iname_offset));
  const uint64_t offset = static_cast<uint64_t>(nim->iname_offset);
  // Before any buffer is sized by the header: a file that cannot hold the
  // data the header promises is refused now, not after allocating it (a
  // 400-byte file may claim terabytes). A gzip file cannot inflate to more
  // than 1032 times its size (deflate's best case: a 258-byte match in 2
  // bits), which bounds what a .nii.gz can hold without inflating it.
  const DataSize size = data_size(path, *nim);
  std::error_code ec;
  const uint64_t file_bytes = std::filesystem::file_size(data_file, ec);
  if (!ec) {
    const bool packed = stream_->compressed();
    const uint64_t can_hold = packed ? file_bytes * 1032 : file_bytes;
    if (offset > can_hold || size.total > can_hold - offset)
      throw InputError(path, "file is truncated: the header promises " + std::to_string(size.total) +
                                 " bytes of voxel data from byte " + std::to_string(offset) + " but the " +
                                 (packed ? "compressed " : "") + "file has " + std::to_string(file_bytes) +
                                 " bytes");
  }
  if (stream_->skip(offset) < offset) throw InputError(path, "file ends before the voxel data (truncated)");
  raw_.resize(static_cast<size_t>(size.per_volume));
  read_ahead_ = read_ahead == ReadAhead::automatic && header_.nt() > 1 && omp_get_max_threads() > 1;
  if (read_ahead_) ahead_.resize(raw_.size());
}

VolumeReader::~VolumeReader() {
  // A read-ahead still running uses the stream: let it end first (its
  // error, if any, no longer matters).
  if (pending_.valid()) pending_.wait();
}

void VolumeReader::read_volume_into(std::vector<unsigned char>& raw, int64_t index) {
  const size_t want = raw.size();
  const size_t got = stream_->read(raw.data(), want);
  if (got < want)
    throw InputError(path_, "file is truncated: the header promises " + std::to_string(header_.nt()) +
                                " volume(s) of " + std::to_string(want) + " bytes but volume " +
                                std::to_string(index) + " ends after " + std::to_string(got) + " bytes");
  // The last volume read: the stream has not necessarily reached the gzip
  // trailer yet, so check it now (a CRC mismatch is an error like any other).
  if (index + 1 == header_.nt()) stream_->finish();
  if (swap_) {
    int nbyper = 0, swapsize = 0;
    nifti_datatype_sizes(header_.datatype, &nbyper, &swapsize);
    if (swapsize > 1) nifti_swap_Nbytes(static_cast<int64_t>(want / swapsize), swapsize, raw.data());
  }
}

void VolumeReader::read_raw_volume() {
  if (next_ >= header_.nt())
    throw InputError(path_, "read past the last volume " + std::to_string(header_.nt() - 1));
  if (pending_.valid()) {
    pending_.get();  // rethrows the read-ahead's error
    raw_.swap(ahead_);
  } else {
    read_volume_into(raw_, next_);
  }
  ++next_;
  // raw_ now belongs to the caller until the next call; ahead_ is free.
  if (read_ahead_ && next_ < header_.nt())
    pending_ = std::async(std::launch::async, [this, index = next_] { read_volume_into(ahead_, index); });
}

void VolumeReader::skip_next() { read_raw_volume(); }

void VolumeReader::read_next(float* out) {
  read_raw_volume();
  convert_raw(raw_.data(), header_.datatype, header_.voxels_per_volume(), header_.scl_slope, header_.scl_inter, out);
}

void VolumeReader::read_next(double* out) {
  read_raw_volume();
  convert_raw(raw_.data(), header_.datatype, header_.voxels_per_volume(), header_.scl_slope, header_.scl_inter, out);
}

void VolumeReader::read_next(int32_t* out) {
  read_raw_volume();
  const int64_t n = header_.voxels_per_volume();
  std::vector<double> tmp(static_cast<size_t>(n));
  convert_raw(raw_.data(), header_.datatype, n, header_.scl_slope, header_.scl_inter, tmp.data());
  for (int64_t i = 0; i < n; ++i) {
    double v = tmp[i];
    if (!std::isfinite(v) || v != std::floor(v) || std::fabs(v) > 2147483647.0)
      throw InputError(path_, "expected integer labels, found the value " + std::to_string(v));
    out[i] = static_cast<int32_t>(v);
  }
}

// ------------------------------------------------------------ whole images

template <class T>
Image<T> read_image(const std::string& path) {
  VolumeReader reader(path);
  Image<T> img;
  img.header = reader.header();
  const int64_t per = img.header.voxels_per_volume(), nt = img.header.nt();
  img.data.resize(static_cast<size_t>(per * nt));
  for (int64_t t = 0; t < nt; ++t) reader.read_next(img.data.data() + t * per);
  return img;
}

template <class T>
Image<T> read_volume(const std::string& path) {
  ImageHeader h = read_header(path);
  if (h.nt() > 1)
    throw InputError(path, "expected a 3D image, found " + std::to_string(h.nt()) + " volumes");
  return read_image<T>(path);
}

namespace {

// Stores `n` values of T into `raw` as `datatype`, undoing the header's
// scaling for integer types so that read(write(x)) == x.
template <class T>
void store_raw(const T* in, int64_t n, const ImageHeader& h, std::vector<unsigned char>& raw,
               const std::string& path) {
  auto run = [&](auto tag) {
    using D = decltype(tag);
    raw.resize(static_cast<size_t>(n) * sizeof(D));
    const bool scaled = h.scl_slope != 0 && !(h.scl_slope == 1 && h.scl_inter == 0);
    for (int64_t i = 0; i < n; ++i) {
      double v = static_cast<double>(in[i]);
      if (scaled) v = (v - h.scl_inter) / h.scl_slope;
      D d;
      if constexpr (std::is_floating_point_v<D>) {
        d = static_cast<D>(in[i]);
        if (scaled) d = static_cast<D>(v);
      } else {
        double r = std::nearbyint(v);
        if (!std::isfinite(r) || r < static_cast<double>(std::numeric_limits<D>::lowest()) ||
            r > static_cast<double>(std::numeric_limits<D>::max()))
          throw OutputError(path, "value " + std::to_string(static_cast<double>(in[i])) +
                                      " does not fit the datatype " + datatype_name(h.datatype));
        d = static_cast<D>(r);
      }
      std::memcpy(raw.data() + static_cast<size_t>(i) * sizeof(D), &d, sizeof(D));
    }
  };
  switch (static_cast<DataType>(h.datatype)) {
    case DataType::uint8: run(uint8_t{}); break;
    case DataType::int8: run(int8_t{}); break;
    case DataType::int16: run(int16_t{}); break;
    case DataType::uint16: run(uint16_t{}); break;
    case DataType::int32: run(int32_t{}); break;
    case DataType::uint32: run(uint32_t{}); break;
    case DataType::int64: run(int64_t{}); break;
    case DataType::uint64: run(uint64_t{}); break;
    case DataType::float32: run(float{}); break;
    case DataType::float64: run(double{}); break;
    default: throw OutputError(path, std::string("cannot write datatype ") + datatype_name(h.datatype));
  }
}

void copy_text(char* dst, size_t cap, const std::string& s) {
  std::memset(dst, 0, cap);
  std::memcpy(dst, s.data(), std::min(s.size(), cap - 1));
}

// Fills a nifti_image (header fields only) from our header.
NimPtr nim_from_header(const ImageHeader& h) {
  int64_t dims[8];
  for (int i = 0; i < 8; ++i) dims[i] = h.dim[i];
  NimPtr nim(nifti_make_new_nim(dims, h.datatype, 0));
  for (int i = 0; i < 8; ++i) nim->pixdim[i] = h.pixdim[i];
  nim->dx = h.pixdim[1]; nim->dy = h.pixdim[2]; nim->dz = h.pixdim[3]; nim->dt = h.pixdim[4];
  nim->du = h.pixdim[5]; nim->dv = h.pixdim[6]; nim->dw = h.pixdim[7];
  nim->scl_slope = h.scl_slope;
  nim->scl_inter = h.scl_inter;
  nim->cal_min = h.cal_min;
  nim->cal_max = h.cal_max;
  nim->qform_code = h.qform_code;
  nim->sform_code = h.sform_code;
  nim->quatern_b = h.quatern_b; nim->quatern_c = h.quatern_c; nim->quatern_d = h.quatern_d;
  nim->qoffset_x = h.qoffset_x; nim->qoffset_y = h.qoffset_y; nim->qoffset_z = h.qoffset_z;
  nim->qfac = h.qfac;
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c) nim->sto_xyz.m[r][c] = h.sform(r, c);
  nim->xyz_units = h.xyz_units;
  nim->time_units = h.time_units;
  nim->toffset = h.toffset;
  nim->intent_code = h.intent_code;
  nim->intent_p1 = h.intent_p1; nim->intent_p2 = h.intent_p2; nim->intent_p3 = h.intent_p3;
  copy_text(nim->intent_name, sizeof(nim->intent_name), h.intent_name);
  copy_text(nim->descrip, sizeof(nim->descrip), h.descrip);
  copy_text(nim->aux_file, sizeof(nim->aux_file), h.aux_file);
  nim->freq_dim = h.freq_dim; nim->phase_dim = h.phase_dim; nim->slice_dim = h.slice_dim;
  nim->slice_code = h.slice_code;
  nim->slice_start = h.slice_start; nim->slice_end = h.slice_end;
  nim->slice_duration = h.slice_duration;
  nim->nifti_type = h.nifti_version == 2 ? NIFTI_FTYPE_NIFTI2_1 : NIFTI_FTYPE_NIFTI1_1;
  return nim;
}

// The quaternion fields verbatim, even with qform_code 0 (the library
// writes zeros then), and the text fields byte for byte.
template <size_t N>
void set_raw_text(char (&field)[N], const std::string& text) {
  std::memset(field, 0, N);
  std::memcpy(field, text.data(), std::min(text.size(), N));
}

template <class Hdr>
void set_verbatim_fields(Hdr& hdr, const ImageHeader& h) {
  set_raw_text(hdr.descrip, h.descrip);  // texts too: byte for byte
  set_raw_text(hdr.aux_file, h.aux_file);
  set_raw_text(hdr.intent_name, h.intent_name);
  using F = decltype(hdr.quatern_b);
  hdr.quatern_b = static_cast<F>(h.quatern_b);
  hdr.quatern_c = static_cast<F>(h.quatern_c);
  hdr.quatern_d = static_cast<F>(h.quatern_d);
  hdr.qoffset_x = static_cast<F>(h.qoffset_x);
  hdr.qoffset_y = static_cast<F>(h.qoffset_y);
  hdr.qoffset_z = static_cast<F>(h.qoffset_z);
}

}  // namespace

template <class T>
void write_image(const Image<T>& image, const std::string& path) {
  const ImageHeader& h = image.header;
  if (!ends_with(path, ".nii") && !ends_with(path, ".nii.gz"))
    throw OutputError(path, "output images must be named .nii or .nii.gz");
  const int64_t per = h.voxels_per_volume(), nt = h.nt();
  if (static_cast<int64_t>(image.data.size()) != per * nt)
    throw Error(ExitCode::other, path + ": internal error: image has " + std::to_string(image.data.size()) +
                                     " voxels but its header describes " + std::to_string(per * nt));
  NimPtr nim = nim_from_header(h);
  GzipWriter out(path, ends_with(path, ".gz"));
  if (h.nifti_version == 2) {
    nifti_2_header hdr;
    nim->iname_offset = 544;
    if (nifti_convert_nim2n2hdr(nim.get(), &hdr) != 0) throw OutputError(path, "cannot encode the NIfTI-2 header");
    hdr.vox_offset = 544;
    set_verbatim_fields(hdr, h);
    for (int i = 0; i < 8; ++i) {  // verbatim: the library zeroes unused dims
      hdr.dim[i] = h.dim[i];
      hdr.pixdim[i] = i == 0 ? h.qfac : h.pixdim[i];  // pixdim[0] stores qfac
    }
    out.write(&hdr, sizeof(hdr));
  } else {
    nifti_1_header hdr;
    nim->iname_offset = 352;
    if (nifti_convert_nim2n1hdr(nim.get(), &hdr) != 0) throw OutputError(path, "cannot encode the NIfTI-1 header (dimensions too large? use NIfTI-2)");
    hdr.vox_offset = 352;
    set_verbatim_fields(hdr, h);
    for (int i = 0; i < 8; ++i) {  // verbatim: the library zeroes unused dims
      hdr.dim[i] = static_cast<short>(h.dim[i]);
      hdr.pixdim[i] = static_cast<float>(i == 0 ? h.qfac : h.pixdim[i]);  // pixdim[0] stores qfac
    }
    out.write(&hdr, sizeof(hdr));
  }
  const char no_extension[4] = {0, 0, 0, 0};
  out.write(no_extension, 4);
  std::vector<unsigned char> raw;
  for (int64_t t = 0; t < nt; ++t) {
    store_raw(image.data.data() + t * per, per, h, raw, path);
    out.write(raw.data(), raw.size());
  }
  out.close();
}

template Image<float> read_image<float>(const std::string&);
template Image<double> read_image<double>(const std::string&);
template Image<int32_t> read_image<int32_t>(const std::string&);
template Image<float> read_volume<float>(const std::string&);
template Image<double> read_volume<double>(const std::string&);
template Image<int32_t> read_volume<int32_t>(const std::string&);
template void write_image<float>(const Image<float>&, const std::string&);
template void write_image<double>(const Image<double>&, const std::string&);
template void write_image<int32_t>(const Image<int32_t>&, const std::string&);
template void write_image<uint8_t>(const Image<uint8_t>&, const std::string&);

}  // namespace axon

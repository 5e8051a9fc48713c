#pragma once
// NIfTI-1 and NIfTI-2 images, .nii and .nii.gz (and .hdr/.img pairs), read
// and written through the reference NIfTI C library for headers (which
// keeps qform/sform codes that ITK 5.2's writer resets); voxel data is
// streamed volume by volume (lib/axon/io/gzip_stream.hpp: ISA-L or zlib) so
// large 4D series never need two copies. Writing uses zlib level 1.
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "axon/image/image.hpp"

namespace axon {

class GzipStream;

// The header alone. Throws InputError naming the file.
ImageHeader read_header(const std::string& path);

// Reads volumes one after another without holding the whole series.
// Read-ahead: with more than one thread allowed (OpenMP's limit, which
// --threads sets), volume t+1 is inflated on a second thread while the
// caller works on volume t; the values are the same either way.
class VolumeReader {
 public:
  enum class ReadAhead { automatic, off };
  explicit VolumeReader(const std::string& path, ReadAhead read_ahead = ReadAhead::automatic);
  ~VolumeReader();
  VolumeReader(const VolumeReader&) = delete;
  VolumeReader& operator=(const VolumeReader&) = delete;

  const ImageHeader& header() const { return header_; }
  const std::string& path() const { return path_; }
  int64_t volumes() const { return header_.nt(); }
  int64_t next_volume() const { return next_; }
  // Reads the next volume (voxels_per_volume values, scaling applied).
  void read_next(float* out);
  void read_next(double* out);
  void read_next(int32_t* out);  // throws InputError on non-integer values
  void skip_next();

 private:
  void read_raw_volume();
  void read_volume_into(std::vector<unsigned char>& raw, int64_t index);
  std::string path_;
  ImageHeader header_;
  std::unique_ptr<GzipStream> stream_;
  std::vector<unsigned char> raw_, ahead_;
  std::future<void> pending_;  // the read-ahead of volume next_ into ahead_
  bool read_ahead_ = false;
  int64_t next_ = 0;
  bool swap_ = false;
};

// Whole images. T is float, double or int32_t (labels: any integer up to
// 2^31 is exact; non-integer voxels are an error).
template <class T>
Image<T> read_image(const std::string& path);

// Reads a 3D image; a 4D input is an InputError naming `path`.
template <class T>
Image<T> read_volume(const std::string& path);

// Writes `image` to `path` (.nii or .nii.gz; the header's nifti_version
// decides NIfTI-1 or -2) with the header's datatype. Integer datatypes get
// values rounded; values that do not fit the datatype are an error. Throws
// OutputError. Callers normally write to an OutputSet's temporary path.
template <class T>
void write_image(const Image<T>& image, const std::string& path);

// True when `path` ends in .nii, .nii.gz, .hdr, .hdr.gz, .img or .img.gz.
bool has_nifti_extension(const std::string& path);

}  // namespace axon

// NIfTI read/write: header fields and voxels survive a round trip; bad files
// give InputError naming the file.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <tuple>

#include <nifti2_io.h>
#include <omp.h>

#include "axon/core/error.hpp"
#include "axon/io/gzip_writer.hpp"
#include "axon/io/nifti.hpp"
#include "real_files.hpp"

namespace fs = std::filesystem;
using axon::test::kTemplates;

namespace {
std::string temp_path(const std::string& name) {
  return (fs::temp_directory_path() / ("axon-nifti-" + std::to_string(::getpid()) + "-" + name)).string();
}

void expect_same_header(const axon::ImageHeader& a, const axon::ImageHeader& b) {
  EXPECT_EQ(a.nifti_version, b.nifti_version);
  EXPECT_EQ(a.dim, b.dim);
  for (int i = 1; i < 8; ++i) EXPECT_EQ(a.pixdim[i], b.pixdim[i]) << "pixdim " << i;
  EXPECT_EQ(a.datatype, b.datatype);
  EXPECT_EQ(a.qform_code, b.qform_code);
  EXPECT_EQ(a.sform_code, b.sform_code);
  EXPECT_EQ(a.sform, b.sform);
  EXPECT_EQ(a.quatern_b, b.quatern_b);
  EXPECT_EQ(a.quatern_c, b.quatern_c);
  EXPECT_EQ(a.quatern_d, b.quatern_d);
  EXPECT_EQ(a.qoffset_x, b.qoffset_x);
  EXPECT_EQ(a.qfac, b.qfac);
  EXPECT_EQ(a.xyz_units, b.xyz_units);
  EXPECT_EQ(a.time_units, b.time_units);
  EXPECT_EQ(a.toffset, b.toffset);
  EXPECT_EQ(a.intent_code, b.intent_code);
  EXPECT_EQ(a.descrip, b.descrip);
}
}  // namespace

TEST(Nifti, RoundTripKeepsHeaderAndVoxelsOfRealFiles) {
  for (const auto& path : axon::test::real_images()) {
    SCOPED_TRACE(path);
    auto original = axon::read_image<double>(path);
    for (const char* ext : {".nii", ".nii.gz"}) {
      std::string out = temp_path(std::string("rt") + ext);
      axon::write_image(original, out);
      auto back = axon::read_image<double>(out);
      expect_same_header(original.header, back.header);
      EXPECT_TRUE(original.data == back.data);
      std::remove(out.c_str());
    }
  }
}

TEST(Nifti, MniSformCodeFourSurvives) {
  auto h = axon::read_header(kTemplates + "ch2.nii.gz");
  EXPECT_EQ(h.sform_code, 4);
  EXPECT_EQ(h.qform_code, 0);
  auto img = axon::read_image<float>(kTemplates + "ch2.nii.gz");
  std::string out = temp_path("mni.nii.gz");
  axon::write_image(img, out);
  auto back = axon::read_header(out);
  EXPECT_EQ(back.sform_code, 4);
  EXPECT_EQ(back.qform_code, 0);
  std::remove(out.c_str());
}

TEST(Nifti, LabelsAbove255StayExact) {
  // inia19-NeuroMaps: int16 labels up to 1605 (724 labels).
  auto labels = axon::read_image<int32_t>(kTemplates + "inia19-NeuroMaps.nii.gz");
  int32_t max = *std::max_element(labels.data.begin(), labels.data.end());
  EXPECT_GT(max, 255);
  std::string out = temp_path("labels.nii.gz");
  axon::write_image(labels, out);
  auto back = axon::read_image<int32_t>(out);
  EXPECT_EQ(back.header.datatype, static_cast<int>(axon::DataType::int16));
  EXPECT_TRUE(labels.data == back.data);
  std::remove(out.c_str());
}

TEST(Nifti, BigEndianIsSwapped) {
  // nipy's anatomical.nii.gz is big-endian int16. nibabel reads its range as
  // [-610, 30393]; unswapped bytes would give a different range.
  auto img = axon::read_image<float>(axon::test::kNipy + "anatomical.nii.gz");
  EXPECT_EQ(*std::min_element(img.data.begin(), img.data.end()), -610.0f);
  EXPECT_EQ(*std::max_element(img.data.begin(), img.data.end()), 30393.0f);
}

TEST(Nifti, NiftiTwoIsReadAndWrittenAsNiftiTwo) {
  auto img = axon::read_image<double>(axon::test::kNibabel + "example_nifti2.nii.gz");
  EXPECT_EQ(img.header.nifti_version, 2);
  std::string out = temp_path("n2.nii");
  axon::write_image(img, out);
  std::ifstream in(out, std::ios::binary);
  int32_t sizeof_hdr = 0;
  in.read(reinterpret_cast<char*>(&sizeof_hdr), 4);
  EXPECT_EQ(sizeof_hdr, 540);
  std::remove(out.c_str());
}

TEST(Nifti, ValuesThatDoNotFitTheDatatypeAreRefused) {
  auto img = axon::read_image<float>(kTemplates + "ch2.nii.gz");  // uint8 on disk
  img.data[0] = 300.0f;
  std::string out = temp_path("overflow.nii");
  EXPECT_THROW(axon::write_image(img, out), axon::OutputError);
  std::remove(out.c_str());
}

TEST(Nifti, TruncatedCompressedFileIsAnInputError) {
  std::string out = temp_path("trunc.nii.gz");
  {
    std::ifstream in(kTemplates + "ch2.nii.gz", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(out, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
  }
  try {
    axon::read_image<float>(out);
    FAIL() << "expected InputError";
  } catch (const axon::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(out), std::string::npos);
  }
  std::remove(out.c_str());
}

TEST(Nifti, WrongMagicIsAnInputError) {
  std::string out = temp_path("magic.nii");
  std::ofstream(out, std::ios::binary) << std::string(400, 'x');
  EXPECT_THROW(axon::read_header(out), axon::InputError);
  std::remove(out.c_str());
}

TEST(Nifti, HeaderPromisingMoreDataThanTheFileHoldsIsAnInputError) {
  auto img = axon::read_image<float>(kTemplates + "aal.nii.gz");
  std::string full = temp_path("full.nii");
  axon::write_image(img, full);
  fs::resize_file(full, fs::file_size(full) - 1000);
  EXPECT_THROW(axon::read_image<float>(full), axon::InputError);
  std::remove(full.c_str());
}

TEST(Nifti, ReadVolumeRefuses4D) {
  EXPECT_THROW(axon::read_volume<float>(axon::test::kNipy + "functional.nii.gz"), axon::InputError);
}

TEST(Nifti, LabelReaderRefusesNonIntegerValues) {
  EXPECT_THROW(axon::read_image<int32_t>(axon::test::kNipy + "functional.nii.gz"), axon::InputError);
}

// Read-ahead (a second thread inflating the next volume) changes nothing:
// the same values, and a file cut in the middle still fails at the volume
// where its data ends, with the same error.
TEST(Nifti, ReadAheadGivesTheSameVolumesAndErrors) {
  omp_set_num_threads(2);  // read-ahead needs a second thread
  const std::string path = axon::test::kNipy + "functional.nii.gz";
  auto read_all = [](const std::string& p, axon::VolumeReader::ReadAhead mode) {
    axon::VolumeReader reader(p, mode);
    std::vector<float> all(static_cast<size_t>(reader.header().voxels_per_volume() * reader.volumes()));
    for (int64_t t = 0; t < reader.volumes(); ++t) reader.read_next(all.data() + t * reader.header().voxels_per_volume());
    return all;
  };
  EXPECT_EQ(read_all(path, axon::VolumeReader::ReadAhead::automatic),
            read_all(path, axon::VolumeReader::ReadAhead::off));
  auto img = axon::read_image<float>(path);
  const std::string cut = temp_path("cut.nii");
  axon::write_image(img, cut);
  fs::resize_file(cut, fs::file_size(cut) - 3 * img.header.voxels_per_volume());
  std::string errors[2];
  int i = 0;
  for (auto mode : {axon::VolumeReader::ReadAhead::automatic, axon::VolumeReader::ReadAhead::off}) {
    try {
      read_all(cut, mode);
      ADD_FAILURE() << "expected InputError";
    } catch (const axon::InputError& e) {
      errors[i] = e.what();
    }
    ++i;
  }
  EXPECT_EQ(errors[0], errors[1]);
  EXPECT_NE(errors[0].find("truncated"), std::string::npos) << errors[0];
  std::remove(cut.c_str());
}

// ------------------------------------------------------------ bad headers
// Headers the fuzz harness (tests/fuzz/fuzz_nifti.cpp) and issue 21 found
// mishandled: each is one InputError naming the file, with nothing else on
// stderr (nifticlib prints "** ERROR" lines of its own for some of them).

namespace {

// A small valid image (2x3x2 float32) as the bytes of a .nii file.
std::string small_nifti_bytes(int version) {
  axon::Image<float> img;
  img.header.nifti_version = version;
  img.header.dim = {3, 2, 3, 2, 1, 1, 1, 1};
  img.header.pixdim = {1, 2, 2, 2, 1, 1, 1, 1};
  img.header.datatype = static_cast<int>(axon::DataType::float32);
  for (int i = 0; i < 12; ++i) img.data.push_back(static_cast<float>(i) * 1.5f);
  const std::string path = temp_path("small.nii");
  axon::write_image(img, path);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(path.c_str());
  return bytes;
}

// Changes the NIfTI-1 (or -2) header struct at the start of `bytes`.
template <class Hdr, class F>
std::string patched(std::string bytes, F&& change) {
  Hdr h;
  std::memcpy(&h, bytes.data(), sizeof h);
  change(h);
  std::memcpy(bytes.data(), &h, sizeof h);
  return bytes;
}

// Writes `bytes` as `name` (gzip-compressed when it ends in .gz).
std::string write_bytes(const std::string& name, const std::string& bytes) {
  const std::string path = temp_path(name);
  axon::GzipWriter out(path, name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0);
  out.write(bytes.data(), bytes.size());
  out.close();
  return path;
}

// `read` fails with one InputError that starts with `path` and contains
// every fragment, and prints nothing itself.
template <class F>
void expect_refused(const std::string& path, const std::vector<std::string>& fragments, F&& read) {
  testing::internal::CaptureStderr();
  try {
    read();
    ADD_FAILURE() << path << ": read, expected an InputError";
  } catch (const axon::InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind(path + ": ", 0), 0u) << what;
    for (const auto& f : fragments) EXPECT_NE(what.find(f), std::string::npos) << what;
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

}  // namespace

// Issue 21: nifticlib reads a header without NIfTI's magic as ANALYZE 7.5,
// so a single .nii with a wrong magic was read as some other image. ANALYZE
// comes as a .hdr/.img pair only: a single file must have "n+1" / "n+2".
TEST(Nifti, SingleFileWithoutNiftiMagicIsNotReadAsAnalyze) {
  const std::string v1 = small_nifti_bytes(1), v2 = small_nifti_bytes(2);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"zero", patched<nifti_1_header>(v1, [](auto& h) { std::memset(h.magic, 0, 4); })},
      {"pair-magic", patched<nifti_1_header>(v1, [](auto& h) { std::memcpy(h.magic, "ni1", 4); })},
      {"nifti2-as-1", patched<nifti_1_header>(v1, [](auto& h) { std::memcpy(h.magic, "n+2", 4); })},
      {"nifti2-zero", patched<nifti_2_header>(v2, [](auto& h) { std::memset(h.magic, 0, 8); })},
      {"nifti2-pair", patched<nifti_2_header>(v2, [](auto& h) { std::memcpy(h.magic, "ni2", 4); })},
  };
  for (const auto& [name, bytes] : cases)
    for (const char* ext : {".nii", ".nii.gz"}) {
      SCOPED_TRACE(name + ext);
      const std::string path = write_bytes("magic-" + name + ext, bytes);
      const std::vector<std::string> says = {"not NIfTI: wrong magic",
                                             "ANALYZE 7.5 is only read as a .hdr/.img pair"};
      expect_refused(path, says, [&] { axon::read_header(path); });
      expect_refused(path, says, [&] { axon::read_image<float>(path); });
      std::remove(path.c_str());
    }
  // The untouched bytes read, as .nii and .nii.gz.
  for (const auto* bytes : {&v1, &v2}) {
    const std::string path = write_bytes("magic-good.nii.gz", *bytes);
    EXPECT_EQ(axon::read_image<float>(path).data[11], 16.5f);
    std::remove(path.c_str());
  }
}

// ... while an ANALYZE 7.5 .hdr/.img pair still reads (conventions.md: .hdr/.img
// pairs are read): the same header without the magic, the voxels in the .img.
TEST(Nifti, AnalyzePairIsStillRead) {
  const std::string v1 = small_nifti_bytes(1);
  const std::string header = patched<nifti_1_header>(v1, [](auto& h) {
    std::memset(h.magic, 0, 4);
    h.vox_offset = 0;
  }).substr(0, 348);
  const std::string hdr = write_bytes("analyze.hdr", header), img = write_bytes("analyze.img", v1.substr(352));
  const auto image = axon::read_image<float>(hdr);
  ASSERT_EQ(image.data.size(), 12u);
  EXPECT_EQ(image.data[11], 16.5f);
  std::remove(hdr.c_str());
  std::remove(img.c_str());
}

// Found by the fuzz harness: a 400-byte file whose header claims terabytes
// made the reader allocate them (std::bad_alloc, exit 1; under
// AddressSanitizer a crash) before noticing the file was short; dimensions
// whose product overflows 64 bits were undefined behaviour.
TEST(Nifti, HeaderClaimingMoreDataThanTheFileCanHoldIsRefusedBeforeAllocating) {
  const std::string huge = patched<nifti_1_header>(small_nifti_bytes(1), [](auto& h) {
    h.dim[1] = h.dim[2] = h.dim[3] = 32767;
    h.datatype = static_cast<short>(axon::DataType::float64);
    h.bitpix = 64;
  });
  for (const char* ext : {".nii", ".nii.gz"}) {
    SCOPED_TRACE(ext);
    const std::string path = write_bytes(std::string("huge") + ext, huge);
    EXPECT_EQ(axon::read_header(path).dim[1], 32767);  // the header alone is fine
    expect_refused(path, {"file is truncated", "281449207693304 bytes of voxel data"},
                   [&] { axon::read_image<float>(path); });
    expect_refused(path, {"truncated"}, [&] { axon::VolumeReader reader(path); });
    std::remove(path.c_str());
  }
  // NIfTI-2 dimensions whose product does not fit in 64 bits.
  const std::string overflow = patched<nifti_2_header>(small_nifti_bytes(2), [](auto& h) {
    h.dim[0] = 4;
    h.dim[1] = h.dim[2] = h.dim[3] = h.dim[4] = int64_t{1} << 40;
  });
  const std::string path = write_bytes("overflow.nii", overflow);
  expect_refused(path, {"more than 2^62 bytes"}, [&] { axon::read_header(path); });
  expect_refused(path, {"more than 2^62 bytes"}, [&] { axon::read_image<float>(path); });
  std::remove(path.c_str());
}

// Found by the fuzz harness: nifticlib printed "** ERROR (nifti_convert_n1hdr2nim):
// bad dim[0]" and "bad datatype" lines of its own before axon's error.
TEST(Nifti, BadDimensionCountOrDatatypeIsOneErrorLine) {
  const std::string v1 = small_nifti_bytes(1), v2 = small_nifti_bytes(2);
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"dim0-zero", patched<nifti_1_header>(v1, [](auto& h) { h.dim[0] = 0; }), "dim[0] = 0"},
      {"dim0-nine", patched<nifti_1_header>(v1, [](auto& h) { h.dim[0] = 9; }), "dim[0] = 9"},
      {"dim0-negative", patched<nifti_2_header>(v2, [](auto& h) { h.dim[0] = -3; }), "dim[0] = -3"},
      {"dim2-zero", patched<nifti_1_header>(v1, [](auto& h) { h.dim[2] = 0; }), "dim[2] = 0"},
      {"datatype-unknown", patched<nifti_1_header>(v1, [](auto& h) { h.datatype = 3; }), "unsupported datatype 3"},
      {"datatype-complex", patched<nifti_2_header>(v2, [](auto& h) { h.datatype = 32; }), "unsupported datatype 32"},
  };
  for (const auto& [name, bytes, says] : cases) {
    SCOPED_TRACE(name);
    const std::string path = write_bytes(name + ".nii", bytes);
    expect_refused(path, {says}, [&] { axon::read_header(path); });
    std::remove(path.c_str());
  }
}

// Found by the fuzz harness: a .nii.gz ending inside a header extension made
// nifticlib print "** znzread: read short by 3 bytes" before axon's error
// (and nifticlib allocates each extension's claimed size before reading it).
TEST(Nifti, FileEndingInsideAHeaderExtensionIsOneErrorLine) {
  const std::string v1 = small_nifti_bytes(1);
  std::string with_extension = patched<nifti_1_header>(v1, [](auto& h) { h.vox_offset = 352 + 64; });
  std::string extension(64, '\0');
  const int32_t size_and_code[2] = {64, 6};  // 64 bytes, a comment
  std::memcpy(extension.data(), size_and_code, 8);
  extension.replace(8, 10, "fuzz found");
  with_extension = with_extension.substr(0, 348) + std::string("\1\0\0\0", 4) + extension + v1.substr(352);
  for (const char* ext : {".nii", ".nii.gz"}) {
    SCOPED_TRACE(ext);
    const std::string whole = write_bytes(std::string("extension") + ext, with_extension);
    EXPECT_EQ(axon::read_image<float>(whole).data[11], 16.5f);
    std::remove(whole.c_str());
    for (std::size_t keep : {352 + 5, 352 + 8, 352 + 40}) {
      const std::string path = write_bytes(std::string("cut-extension") + ext, with_extension.substr(0, keep));
      expect_refused(path, {"truncated NIfTI file (it ends inside header extension 0)"},
                     [&] { axon::read_header(path); });
      std::remove(path.c_str());
    }
  }
}

// Found by the fuzz harness (UndefinedBehaviorSanitizer): with the extension
// flag set, a NIfTI-1 vox_offset (a float) of -1e34 or 1e30 was converted to
// int64 as is, which is undefined. Such a header is read or refused with
// an InputError; nothing else.
TEST(Nifti, ExtremeVoxOffsetWithExtensionFlagIsReadOrRefused) {
  const std::string v1 = small_nifti_bytes(1);
  for (float offset : {-1.03846e34f, 1e30f, -352.0f, std::numeric_limits<float>::quiet_NaN()}) {
    SCOPED_TRACE(offset);
    std::string bytes = patched<nifti_1_header>(v1, [&](auto& h) { h.vox_offset = offset; });
    bytes[348] = 1;  // the extension flag
    for (const char* ext : {".nii", ".nii.gz"}) {
      const std::string path = write_bytes(std::string("offset") + ext, bytes);
      testing::internal::CaptureStderr();
      try {
        axon::read_header(path);
        axon::read_image<float>(path);
      } catch (const axon::InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind(path + ": ", 0), 0u) << e.what();
      }
      testing::internal::GetCapturedStderr();
      std::remove(path.c_str());
    }
  }
}

// NIfTI read/write: header fields and voxels survive a round trip; bad files
// give InputError naming the file.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <omp.h>

#include "axon/core/error.hpp"
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

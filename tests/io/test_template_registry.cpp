// The template registry: the shipped manifests resolve to mricron-data's
// Colin27 images (checksums verified), a name stands for its image through
// the executables' input-name resolver, paths are never looked up, and a
// manifest whose image differs from its checksum is refused.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "axon/core/error.hpp"
#include "axon/core/input_names.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/template_registry.hpp"

namespace fs = std::filesystem;

TEST(TemplateRegistry, Colin27HeadAndBrainResolveToTheSameGrid) {
  const auto head = axon::find_template("colin27"), brain = axon::find_template("colin27-brain");
  const auto h = axon::read_header(head.image), b = axon::read_header(brain.image);
  EXPECT_EQ(h.nx(), 181);
  EXPECT_EQ(h.ny(), 217);
  EXPECT_EQ(h.nz(), 181);
  EXPECT_EQ(b.nx(), h.nx());
  EXPECT_EQ(b.ny(), h.ny());
  EXPECT_EQ(b.nz(), h.nz());
  // The brain is the head with the outside set to zero: fewer non-zero voxels.
  const auto hv = axon::read_image<float>(head.image), bv = axon::read_image<float>(brain.image);
  std::size_t head_voxels = 0, brain_voxels = 0;
  for (float v : hv.data) head_voxels += v != 0;
  for (float v : bv.data) brain_voxels += v != 0;
  EXPECT_LT(brain_voxels, head_voxels * 3 / 4);
  EXPECT_GT(brain_voxels, std::size_t(1000000));  // about 1.5 L at 1 mm
}

TEST(TemplateRegistry, NamesResolvePathsDoNot) {
  EXPECT_EQ(axon::template_image_for("colin27").value(), axon::find_template("colin27").image);
  EXPECT_FALSE(axon::template_image_for("no-such-template"));
  EXPECT_FALSE(axon::template_image_for("colin27.nii.gz"));
  EXPECT_FALSE(axon::template_image_for("some/dir/colin27"));
  axon::accept_template_names();
  EXPECT_EQ(axon::cli::resolve_input_name("colin27-brain"), axon::find_template("colin27-brain").image);
  EXPECT_EQ(axon::cli::resolve_input_name("no-such-file.nii.gz"), "no-such-file.nii.gz");
  // An existing file of a template's name wins over the template.
  const fs::path dir = fs::temp_directory_path() / ("axon-tpl-cwd-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path old = fs::current_path();
  fs::current_path(dir);
  std::ofstream("colin27") << "x";
  EXPECT_EQ(axon::cli::resolve_input_name("colin27"), "colin27");
  fs::current_path(old);
  fs::remove_all(dir);
  axon::cli::set_input_name_resolver(nullptr);
  EXPECT_EQ(axon::cli::resolve_input_name("colin27"), "colin27");
}

TEST(TemplateRegistry, UnknownNameListsTheKnownOnes) {
  try {
    axon::find_template("no-such-template");
    FAIL();
  } catch (const axon::InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("no-such-template"), std::string::npos);
    EXPECT_NE(msg.find("colin27-brain"), std::string::npos);
  }
}

TEST(TemplateRegistry, ChecksumMismatchAndMissingImageAreRefused) {
  const fs::path dir = fs::temp_directory_path() / ("axon-tpl-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "bad.json") << R"({"name": "bad", "image": "/usr/share/mricron/templates/ch2.nii.gz", "sha256": "00"})";
  std::ofstream(dir / "ghost.json") << R"({"name": "ghost", "image": "/nonexistent/ghost.nii.gz", "package": "ghost-data"})";
  setenv("AXON_TEMPLATE_PATH", dir.string().c_str(), 1);
  EXPECT_THROW(axon::find_template("bad"), axon::InputError);
  EXPECT_THROW(axon::template_image_for("bad"), axon::InputError);  // a known name with a bad image is an error, not a path
  try {
    axon::find_template("ghost");
    FAIL();
  } catch (const axon::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("ghost-data"), std::string::npos);
  }
  EXPECT_TRUE(axon::template_image_for("colin27"));  // the shipped folder is still searched after the variable's
  unsetenv("AXON_TEMPLATE_PATH");
  fs::remove_all(dir);
}

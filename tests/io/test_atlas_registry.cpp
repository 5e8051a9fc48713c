#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <filesystem>
#include <fstream>

#include "axon/core/error.hpp"
#include "axon/io/atlas_registry.hpp"
#include "axon/io/nifti.hpp"

TEST(AtlasRegistry, EveryManifestResolvesToItsImageWithTheStatedLabelCount) {
  auto atlases = axon::list_atlases();
  ASSERT_GE(atlases.size(), 5u);
  for (const auto& m : atlases) {
    SCOPED_TRACE(m.name);
    auto found = axon::find_atlas(m.name);  // image present, checksum matches
    auto labels = axon::read_image<int32_t>(found.image);
    std::set<int32_t> distinct(labels.data.begin(), labels.data.end());
    distinct.erase(0);
    EXPECT_EQ(static_cast<int>(distinct.size()), m.n_labels);
    auto table = axon::atlas_labels(found);
    if (!m.labels.empty()) {
      for (int32_t v : distinct) EXPECT_TRUE(table.names.count(v)) << "label " << v << " has no name";
    }
  }
}

TEST(AtlasRegistry, UnknownNameListsTheKnownOnes) {
  try {
    axon::find_atlas("no-such-atlas");
    FAIL();
  } catch (const axon::InputError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("no-such-atlas"), std::string::npos);
    EXPECT_NE(msg.find("aal"), std::string::npos);
  }
}

TEST(AtlasRegistry, MissingImageNamesThePackage) {
  auto dir = std::filesystem::temp_directory_path() / ("axon-atlas-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "ghost.json") << R"({"name": "ghost", "image": "/nonexistent/ghost.nii.gz", "package": "ghost-data"})";
  setenv("AXON_ATLAS_PATH", dir.string().c_str(), 1);
  try {
    axon::find_atlas("ghost");
    FAIL();
  } catch (const axon::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("ghost-data"), std::string::npos);
  }
  unsetenv("AXON_ATLAS_PATH");
  std::filesystem::remove_all(dir);
}

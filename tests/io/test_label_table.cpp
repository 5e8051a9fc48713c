#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "axon/core/error.hpp"
#include "axon/io/label_table.hpp"
#include "real_files.hpp"

using axon::test::kTemplates;

TEST(LabelTable, AalSpaceSeparatedWithCrlf) {
  auto t = axon::read_label_table(kTemplates + "aal.nii.txt");
  EXPECT_EQ(t.names.size(), 116u);
  EXPECT_EQ(t.names.at(1), "Precentral_L");  // no trailing '\r'
  EXPECT_EQ(t.names.at(116), "Vermis_10");
}

TEST(LabelTable, AichaLabelsAbove127) {
  auto t = axon::read_label_table(kTemplates + "AICHAmc.nii.txt");
  EXPECT_EQ(t.names.size(), 192u);
  EXPECT_EQ(t.names.at(192), "N_Thalamus-9");
}

TEST(LabelTable, JhuTabSeparatedKeepsNamesAndSkipsBackground) {
  auto t = axon::read_label_table(kTemplates + "JHU-WhiteMatter-labels-2mm.nii.txt");
  EXPECT_EQ(t.names.size(), 48u);
  EXPECT_EQ(t.names.count(0), 0u);
  EXPECT_EQ(t.names.at(2), "Pontine_crossing_tract_(a_part_of_MCP)");
}

TEST(LabelTable, BidsDsegTsvWithSpacesInNames) {
  auto t = axon::read_label_table(std::string(AXON_SOURCE_DIR) + "/atlases/harvard-oxford-cort.dseg.tsv");
  EXPECT_EQ(t.names.size(), 48u);
  EXPECT_EQ(t.names.at(5), "Inferior Frontal Gyrus, pars triangularis");
  EXPECT_EQ(t.name_of(99), "label_99");
}

TEST(LabelTable, GarbageIsAnInputError) {
  auto p = std::filesystem::temp_directory_path() / ("axon-labels-" + std::to_string(::getpid()) + ".txt");
  std::ofstream(p) << "one Precentral\n";
  EXPECT_THROW(axon::read_label_table(p.string()), axon::InputError);
  std::filesystem::remove(p);
}

// Label images are read as int32: an index outside that range used to wrap
// silently (strtol, then a cast: "4294967297" became label 1).
TEST(LabelTable, IndexOutsideInt32IsAnInputError) {
  auto p = std::filesystem::temp_directory_path() / ("axon-labels-range-" + std::to_string(::getpid()) + ".txt");
  for (const char* line : {"4294967297 wraps_to_one\n", "-2147483649 below\n", "99999999999999999999999 huge\n"}) {
    SCOPED_TRACE(line);
    std::ofstream(p) << "1 first\n" << line;
    EXPECT_THROW(axon::read_label_table(p.string()), axon::InputError);
  }
  std::ofstream(p) << "2147483647 largest\n-2147483648 smallest\n";
  const auto t = axon::read_label_table(p.string());
  EXPECT_EQ(t.names.at(2147483647), "largest");
  EXPECT_EQ(t.names.at(-2147483647 - 1), "smallest");
  std::filesystem::remove(p);
}

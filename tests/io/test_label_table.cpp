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

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "axon/core/error.hpp"
#include "axon/io/tsv.hpp"

namespace fs = std::filesystem;

TEST(Tsv, NumbersRoundTripExactlyAndNaIsNaN) {
  axon::Table t;
  std::vector<double> values{0.1, -1e-300, 1.0 / 3.0, std::nan(""), 12345678.125};
  t.add_column("framewise_displacement", values);
  std::string p = (fs::temp_directory_path() / ("axon-tsv-" + std::to_string(::getpid()) + ".tsv")).string();
  axon::write_tsv(t, p);
  auto back = axon::read_tsv(p);
  ASSERT_EQ(back.columns, std::vector<std::string>{"framewise_displacement"});
  auto col = back.numeric("framewise_displacement");
  ASSERT_EQ(col.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (std::isnan(values[i])) EXPECT_TRUE(std::isnan(col[i]));
    else EXPECT_EQ(col[i], values[i]);
  }
  std::ifstream in(p);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  EXPECT_EQ(first, "0.1");
  fs::remove(p);
}

TEST(Tsv, RaggedRowsAndTextInNumbersAreInputErrors) {
  std::string p = (fs::temp_directory_path() / ("axon-tsv-bad-" + std::to_string(::getpid()) + ".tsv")).string();
  std::ofstream(p) << "a\tb\n1\t2\n3\n";
  EXPECT_THROW(axon::read_tsv(p), axon::InputError);
  std::ofstream(p, std::ios::trunc) << "a\tb\r\n1\tx\r\n";
  auto t = axon::read_tsv(p);  // CRLF is accepted
  EXPECT_EQ(t.columns[1], "b");
  EXPECT_THROW(t.numeric("b", p), axon::InputError);
  EXPECT_THROW(t.numeric("c", p), axon::InputError);
  fs::remove(p);
}

TEST(Tsv, FixedDecimalsForTerminalTables) {
  EXPECT_EQ(axon::format_fixed(0.98765432, 4), "0.9877");
  EXPECT_EQ(axon::format_fixed(-2.5, 0), "-2");  // printf rounds half to even
  EXPECT_EQ(axon::format_fixed(12.0, 2), "12.00");
  EXPECT_EQ(axon::format_fixed(INFINITY, 4), "inf");  // PSNR of identical images
  EXPECT_EQ(axon::format_fixed(-INFINITY, 4), "-inf");
  EXPECT_EQ(axon::format_fixed(1e308, 2).size(), 309u + 3u);  // no truncation
}

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "axon/core/checksum.hpp"
#include "axon/core/error.hpp"

TEST(Checksum, KnownVectors) {
  // FIPS 180-2 test vector: SHA-256("abc").
  auto p = std::filesystem::temp_directory_path() / ("axon-sha-" + std::to_string(::getpid()));
  std::ofstream(p, std::ios::binary) << "abc";
  EXPECT_EQ(axon::sha256_file(p.string()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::ofstream(p, std::ios::binary | std::ios::trunc);
  EXPECT_EQ(axon::sha256_file(p.string()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::filesystem::remove(p);
  EXPECT_THROW(axon::sha256_file("/no/such/file"), axon::InputError);
}

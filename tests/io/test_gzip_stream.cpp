// GzipStream: both inflaters (ISA-L and the zlib fallback) return exactly
// the bytes that were compressed, across concatenated members and the 4 GiB
// wrap of the ISIZE trailer, and refuse truncated or corrupt files with an
// InputError naming the file. The ground truth is the data we compress here.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "axon/core/error.hpp"
#include "axon/io/gzip_stream.hpp"
#include "axon/io/nifti.hpp"
#include "gzip_test_data.hpp"
#include "real_files.hpp"

namespace fs = std::filesystem;
using axon::GzipStream;
using axon::Inflater;

namespace {

using axon::test::Bytes;
std::string temp_path(const std::string& name) { return axon::test::gzip_temp_path(name); }
Bytes sample_data(std::size_t n, unsigned seed) { return axon::test::gzip_sample_data(n, seed); }

// One gzip member from zlib's gz writer (axon writes with ISA-L where it can).
Bytes gzip_member(const Bytes& data, int level) {
  const std::string tmp = temp_path("member.gz");
  gzFile gz = gzopen(tmp.c_str(), ("wb" + std::to_string(level)).c_str());
  gzwrite(gz, data.data(), static_cast<unsigned>(data.size()));
  gzclose(gz);
  std::ifstream in(tmp, std::ios::binary);
  Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(tmp.c_str());
  return bytes;
}

void write_file(const std::string& path, const Bytes& bytes) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                              static_cast<std::streamsize>(bytes.size()));
}

Bytes concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Reads the whole stream in pieces of `piece` bytes, then checks the trailer.
Bytes read_all(const std::string& path, Inflater inflater, std::size_t piece = 65536) {
  GzipStream s(path, inflater);
  Bytes out, buf(piece);
  for (std::size_t r; (r = s.read(buf.data(), buf.size())) > 0;) out.insert(out.end(), buf.begin(), buf.begin() + r);
  s.finish();
  return out;
}

std::vector<Inflater> inflaters() {
  std::vector<Inflater> v = {Inflater::zlib};
  if (axon::isal_available()) v.push_back(Inflater::isal);
  return v;
}

// Expects an InputError whose message names the file and contains `what`.
template <class F>
void expect_input_error(const std::string& path, const std::string& what, F&& f) {
  try {
    f();
    ADD_FAILURE() << "expected an InputError (" << what << ")";
  } catch (const axon::InputError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind(path, 0), 0u) << msg;
    EXPECT_NE(msg.find(what), std::string::npos) << msg;
  }
}

}  // namespace

TEST(GzipStream, BuildHasIsal) {
  // scripts/bootstrap installs libisal-dev; a build without it still works
  // (zlib), but should not happen silently on a machine set up by bootstrap.
  EXPECT_TRUE(axon::isal_available());
}

TEST(GzipStream, BothInflatersReturnTheCompressedBytes) {
  const Bytes data = sample_data(3 << 20, 1);
  for (int level : {1, 6, 9}) {
    const std::string path = temp_path("one.gz");
    write_file(path, gzip_member(data, level));
    for (Inflater inf : inflaters()) {
      SCOPED_TRACE(std::string(axon::inflater_name(inf)) + " level " + std::to_string(level));
      EXPECT_EQ(read_all(path, inf), data);
      EXPECT_EQ(read_all(path, inf, 1021), data);  // odd piece sizes
      GzipStream s(path, inf);
      EXPECT_EQ(s.inflater(), inf);
    }
    std::remove(path.c_str());
  }
}

TEST(GzipStream, AutomaticIsIsalWhenAvailable) {
  const std::string path = temp_path("auto.gz");
  write_file(path, gzip_member(sample_data(1000, 2), 1));
  GzipStream s(path);
  EXPECT_EQ(s.inflater(), axon::isal_available() ? Inflater::isal : Inflater::zlib);
  std::remove(path.c_str());
}

TEST(GzipStream, PlainFileIsReadAsIs) {
  const Bytes data = sample_data((1 << 20) + 12345, 3);  // more than one input buffer
  const std::string path = temp_path("plain.bin");
  write_file(path, data);
  for (Inflater inf : inflaters()) {
    SCOPED_TRACE(axon::inflater_name(inf));
    GzipStream s(path, inf);
    Bytes out(data.size() + 10);
    EXPECT_EQ(s.skip(100), 100u);
    EXPECT_EQ(s.read(out.data(), out.size()), data.size() - 100);
    EXPECT_FALSE(s.compressed());
    EXPECT_TRUE(std::equal(data.begin() + 100, data.end(), out.begin()));
  }
  std::remove(path.c_str());
}

TEST(GzipStream, ConcatenatedMembersAreOneStream) {
  // Three members, one of them empty, the way `cat a.gz b.gz` or pigz -i makes them.
  const Bytes a = sample_data(1 << 20, 4), b = sample_data(5000, 5);
  const std::string path = temp_path("multi.gz");
  write_file(path, concat(concat(gzip_member(a, 1), gzip_member({}, 6)), gzip_member(b, 9)));
  for (Inflater inf : inflaters()) {
    SCOPED_TRACE(axon::inflater_name(inf));
    EXPECT_EQ(read_all(path, inf), concat(a, b));
    GzipStream s(path, inf);
    EXPECT_TRUE(s.compressed());
    EXPECT_EQ(s.skip(a.size() + 10), a.size() + 10);  // across the member boundary
    Bytes rest(b.size());
    EXPECT_EQ(s.read(rest.data(), rest.size()), b.size() - 10);
    EXPECT_TRUE(std::equal(b.begin() + 10, b.end(), rest.begin()));
  }
  std::remove(path.c_str());
}

TEST(GzipStream, TrailingBytesAfterTheLastMemberAreIgnored) {
  // As gzip -dc and zlib do (some tools pad files with zeros).
  const Bytes a = sample_data(70000, 6);
  const std::string path = temp_path("padded.gz");
  write_file(path, concat(gzip_member(a, 1), Bytes(1000, 0)));
  for (Inflater inf : inflaters()) {
    SCOPED_TRACE(axon::inflater_name(inf));
    EXPECT_EQ(read_all(path, inf), a);
  }
  std::remove(path.c_str());
}

TEST(GzipStream, TruncatedFileIsAnInputError) {
  const Bytes member = gzip_member(sample_data(2 << 20, 7), 1);
  const std::string path = temp_path("trunc.gz");
  for (std::size_t keep : {member.size() / 2, member.size() - 4, std::size_t(20)}) {
    write_file(path, Bytes(member.begin(), member.begin() + keep));
    for (Inflater inf : inflaters()) {
      SCOPED_TRACE(std::string(axon::inflater_name(inf)) + " keeping " + std::to_string(keep));
      expect_input_error(path, "truncated", [&] { read_all(path, inf); });
    }
  }
  std::remove(path.c_str());
}

TEST(GzipStream, CorruptCrcOrLengthIsAnInputError) {
  const Bytes data = sample_data(1 << 20, 8);
  const Bytes good = gzip_member(data, 1);
  const std::string path = temp_path("crc.gz");
  // The CRC-32 (4 bytes before the end), the length, and the CRC of the
  // first of two members (checked in the middle of the stream).
  std::vector<std::pair<std::string, Bytes>> cases;
  Bytes bad = good;
  bad[bad.size() - 8] ^= 0x01;
  cases.push_back({"crc", bad});
  bad = good;
  bad[bad.size() - 4] ^= 0x01;
  cases.push_back({"isize", bad});
  bad = good;
  bad[bad.size() - 6] ^= 0x80;
  cases.push_back({"first-member crc", concat(bad, good)});
  for (const auto& [name, bytes] : cases) {
    write_file(path, bytes);
    for (Inflater inf : inflaters()) {
      SCOPED_TRACE(std::string(axon::inflater_name(inf)) + " " + name);
      expect_input_error(path, "corrupt", [&] { read_all(path, inf); });
    }
  }
  std::remove(path.c_str());
}

TEST(GzipStream, CorruptDeflateDataIsAnInputError) {
  const Bytes good = gzip_member(sample_data(1 << 20, 9), 6);
  const std::string path = temp_path("bits.gz");
  Bytes bad = good;
  for (std::size_t i = bad.size() / 3; i < bad.size() / 3 + 64; ++i) bad[i] = static_cast<unsigned char>(i * 37);
  write_file(path, bad);
  for (Inflater inf : inflaters()) {
    SCOPED_TRACE(axon::inflater_name(inf));
    expect_input_error(path, "corrupt", [&] { read_all(path, inf); });
  }
  std::remove(path.c_str());
}

// Found by tests/fuzz/fuzz_gzip_stream.cpp: a member header with a reserved
// FLG bit set (RFC 1952: the reader must refuse it) was refused by zlib but
// read by ISA-L, so the same file read or failed depending on the engine.
TEST(GzipStream, ReservedHeaderFlagIsRefusedByBothEngines) {
  const Bytes good = gzip_member(sample_data(1000, 10), 6);
  const std::string path = temp_path("flags.gz");
  for (unsigned char bit : {0x20, 0x40, 0x80}) {
    Bytes bad = good;
    bad[3] |= bit;
    for (const Bytes& bytes : {bad, concat(good, bad)}) {  // first member, or a later one
      write_file(path, bytes);
      for (Inflater inf : inflaters()) {
        SCOPED_TRACE(std::string(axon::inflater_name(inf)) + " flag " + std::to_string(bit));
        expect_input_error(path, "reserved flag bits set", [&] { read_all(path, inf); });
      }
    }
  }
  std::remove(path.c_str());
}

// Found by the fuzz harness too: a GzipStream whose constructor threw (a
// bad first header; or a read error, as for a folder) never closed its
// file, and a long-running reader ran out of file descriptors.
TEST(GzipStream, RefusedFileLeavesNoDescriptorOpen) {
  auto open_descriptors = [] {
    return std::distance(fs::directory_iterator("/proc/self/fd"), fs::directory_iterator());
  };
  Bytes bad = gzip_member(sample_data(100, 11), 6);
  bad[3] |= 0x80;
  const std::string path = temp_path("leak.gz");
  write_file(path, bad);
  const std::string folder = temp_path("leak-folder");
  fs::create_directories(folder);
  const auto before = open_descriptors();
  for (int i = 0; i < 50; ++i)
    for (Inflater inf : inflaters()) {
      EXPECT_THROW(GzipStream(path, inf), axon::InputError);
      EXPECT_THROW(GzipStream(folder, inf), axon::InputError);
    }
  EXPECT_EQ(open_descriptors(), before);
  std::remove(path.c_str());
  fs::remove(folder);
}

// A member of 4 GiB + 1 MiB of zeros, built without ever holding it: a
// deflate block of 64 MiB of zeros ending in a full flush (byte-aligned,
// no back-references across it) repeated 65 times, a final empty block, and
// the trailer: CRC-32 from zlib's crc32_combine, ISIZE the length modulo 2^32.
TEST(GzipStream, MemberLongerThan4GiBWrapsIsize) {
  constexpr std::uint64_t kPiece = 64ull << 20, kRepeats = 65;
  const Bytes zeros(kPiece, 0);
  Bytes block(kPiece / 100), last(64);
  z_stream z{};
  ASSERT_EQ(deflateInit2(&z, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);  // raw deflate
  z.next_in = const_cast<unsigned char*>(zeros.data());
  z.avail_in = static_cast<uInt>(zeros.size());
  z.next_out = block.data();
  z.avail_out = static_cast<uInt>(block.size());
  ASSERT_EQ(deflate(&z, Z_FULL_FLUSH), Z_OK);
  ASSERT_EQ(z.avail_in, 0u);
  block.resize(block.size() - z.avail_out);
  z.next_out = last.data();
  z.avail_out = static_cast<uInt>(last.size());
  ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  last.resize(last.size() - z.avail_out);
  deflateEnd(&z);

  const uLong piece_crc = crc32(0, zeros.data(), static_cast<uInt>(zeros.size()));
  uLong crc = 0;
  for (std::uint64_t i = 0; i < kRepeats; ++i) crc = crc32_combine(crc, piece_crc, static_cast<z_off_t>(kPiece));
  const std::uint64_t total = kPiece * kRepeats;
  ASSERT_GT(total, 1ull << 32);
  const std::string path = temp_path("big.gz");
  auto write_big = [&](std::uint32_t isize) {
    std::ofstream out(path, std::ios::binary);
    const unsigned char header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    out.write(reinterpret_cast<const char*>(header), 10);
    for (std::uint64_t i = 0; i < kRepeats; ++i)
      out.write(reinterpret_cast<const char*>(block.data()), static_cast<std::streamsize>(block.size()));
    out.write(reinterpret_cast<const char*>(last.data()), static_cast<std::streamsize>(last.size()));
    const std::uint32_t trailer[2] = {static_cast<std::uint32_t>(crc), isize};  // little-endian host
    out.write(reinterpret_cast<const char*>(trailer), 8);
  };
  auto read_count = [&](Inflater inf) {
    GzipStream s(path, inf);
    Bytes buf(8 << 20);
    std::uint64_t n = 0;
    bool all_zero = true;
    for (std::size_t r; (r = s.read(buf.data(), buf.size())) > 0;) {
      n += r;
      all_zero = all_zero && buf[0] == 0 && buf[r - 1] == 0;
    }
    EXPECT_TRUE(all_zero);
    return n;
  };
  write_big(static_cast<std::uint32_t>(total));  // modulo 2^32, as RFC 1952 says
  for (Inflater inf : inflaters()) {
    SCOPED_TRACE(axon::inflater_name(inf));
    EXPECT_EQ(read_count(inf), total);
  }
  // Off by one in ISIZE: caught, also after the wrap (ISA-L only: the slow
  // zlib path is the same code zlib's own tests cover).
  if (axon::isal_available()) {
    write_big(static_cast<std::uint32_t>(total) + 1);
    expect_input_error(path, "corrupt", [&] { read_count(Inflater::isal); });
  }
  std::remove(path.c_str());
}

// Through the NIfTI reader: a series stored as concatenated members reads
// the same as the original; a corrupt CRC or a cut file is an InputError.
TEST(GzipStream, NiftiReaderUsesTheStream) {
  const std::string original = axon::test::kNipy + "functional.nii.gz";
  const auto img = axon::read_image<float>(original);
  const std::string plain = temp_path("func.nii"), multi = temp_path("func-multi.nii.gz");
  axon::write_image(img, plain);
  std::ifstream in(plain, std::ios::binary);
  Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t cut = 352 + 5000;  // inside the first volume
  write_file(multi, concat(gzip_member(Bytes(bytes.begin(), bytes.begin() + cut), 1),
                           gzip_member(Bytes(bytes.begin() + cut, bytes.end()), 6)));
  EXPECT_EQ(axon::read_image<float>(multi).data, img.data);

  Bytes bad = gzip_member(bytes, 1);
  bad[bad.size() - 7] ^= 0x10;  // the CRC of the last volume's member
  write_file(multi, bad);
  expect_input_error(multi, "corrupt", [&] { axon::read_image<float>(multi); });
  bad = gzip_member(bytes, 1);
  write_file(multi, Bytes(bad.begin(), bad.begin() + bad.size() * 3 / 4));
  expect_input_error(multi, "truncated", [&] { axon::read_image<float>(multi); });
  std::remove(plain.c_str());
  std::remove(multi.c_str());
}

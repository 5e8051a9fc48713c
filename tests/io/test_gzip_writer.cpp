// GzipWriter: both deflaters (ISA-L and the zlib fallback) write gzip files
// that zlib's own reader (gzread) and both of axon's inflaters return byte
// for byte, the same bytes on every run, and plain files as they are. The
// ground truth is the data written here.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "axon/core/error.hpp"
#include "axon/io/gzip_stream.hpp"
#include "axon/io/gzip_writer.hpp"
#include "gzip_test_data.hpp"

using axon::Deflater;
using axon::GzipWriter;

namespace {

using axon::test::Bytes;
std::string temp_path(const std::string& name) { return axon::test::gzip_temp_path("w-" + name); }
Bytes sample_data(std::size_t n, unsigned seed) { return axon::test::gzip_sample_data(n, seed); }

// Writes `data` in pieces of `piece` bytes (and one empty write).
void write_pieces(const std::string& path, const Bytes& data, bool compress, Deflater d, std::size_t piece) {
  GzipWriter w(path, compress, d);
  w.write(data.data(), 0);
  for (std::size_t i = 0; i < data.size(); i += piece) w.write(data.data() + i, std::min(piece, data.size() - i));
  w.close();
}

Bytes file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// zlib's reader: an implementation independent of the ISA-L writer.
Bytes zlib_read(const std::string& path) {
  gzFile gz = gzopen(path.c_str(), "rb");
  Bytes out, buf(1 << 16);
  for (int r; (r = gzread(gz, buf.data(), static_cast<unsigned>(buf.size()))) > 0;) out.insert(out.end(), buf.begin(), buf.begin() + r);
  gzclose(gz);
  return out;
}

Bytes axon_read(const std::string& path, axon::Inflater inflater) {
  axon::GzipStream s(path, inflater);
  Bytes out, buf(1 << 16);
  for (std::size_t r; (r = s.read(buf.data(), buf.size())) > 0;) out.insert(out.end(), buf.begin(), buf.begin() + r);
  s.finish();  // checks the CRC-32 and length trailer
  return out;
}

std::vector<Deflater> deflaters() {
  std::vector<Deflater> v = {Deflater::zlib};
  if (axon::isal_available()) v.push_back(Deflater::isal);
  return v;
}

}  // namespace

TEST(GzipWriter, EveryReaderReturnsTheWrittenBytes) {
  const Bytes data = sample_data((3 << 20) + 777, 1);
  for (Deflater d : deflaters()) {
    for (std::size_t piece : {std::size_t{1021}, std::size_t{1} << 20, data.size()}) {
      SCOPED_TRACE("deflater " + std::to_string(static_cast<int>(d)) + ", pieces of " + std::to_string(piece));
      const std::string path = temp_path("data.gz");
      write_pieces(path, data, true, d, piece);
      const Bytes written = file_bytes(path);
      ASSERT_GE(written.size(), 10u);
      EXPECT_EQ(written[0], 0x1f);
      EXPECT_EQ(written[1], 0x8b);
      EXPECT_LT(written.size(), data.size());  // the zeros compress
      EXPECT_EQ(zlib_read(path), data);
      EXPECT_EQ(axon_read(path, axon::Inflater::zlib), data);
      if (axon::isal_available()) {
        EXPECT_EQ(axon_read(path, axon::Inflater::isal), data);
      }
      std::remove(path.c_str());
    }
  }
}

TEST(GzipWriter, SameDataSameBytes) {
  const Bytes data = sample_data(1 << 20, 2);
  for (Deflater d : deflaters()) {
    const std::string a = temp_path("a.gz"), b = temp_path("b.gz");
    write_pieces(a, data, true, d, 4096);
    write_pieces(b, data, true, d, 65536);  // other pieces, same stream
    EXPECT_EQ(file_bytes(a), file_bytes(b));
    std::remove(a.c_str());
    std::remove(b.c_str());
  }
}

TEST(GzipWriter, EmptyDataIsAValidMember) {
  for (Deflater d : deflaters()) {
    const std::string path = temp_path("empty.gz");
    write_pieces(path, {}, true, d, 1);
    EXPECT_TRUE(zlib_read(path).empty());
    EXPECT_TRUE(axon_read(path, axon::Inflater::zlib).empty());
    std::remove(path.c_str());
  }
}

TEST(GzipWriter, AutomaticIsIsalWhenAvailable) {
  const std::string path = temp_path("auto.gz");
  GzipWriter w(path, true);
  EXPECT_EQ(w.deflater(), axon::isal_available() ? Deflater::isal : Deflater::zlib);
  w.close();
  std::remove(path.c_str());
}

TEST(GzipWriter, PlainFileIsWrittenAsIs) {
  const Bytes data = sample_data((1 << 20) + 5, 3);
  for (Deflater d : deflaters()) {
    const std::string path = temp_path("plain.nii");
    write_pieces(path, data, false, d, 1000);
    EXPECT_EQ(file_bytes(path), data);
    std::remove(path.c_str());
  }
}

TEST(GzipWriter, UnwritablePathNamesTheFile) {
  const std::string path = "/nonexistent-axon-dir/out.nii.gz";
  for (Deflater d : deflaters()) {
    try {
      GzipWriter w(path, true, d);
      ADD_FAILURE() << "expected an OutputError";
    } catch (const axon::OutputError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }
}

// Writes the bytes of FILE (e.g. an uncompressed .nii) through
// lib/axon/io/gzip_writer.hpp with each deflater (ISA-L, zlib; level 1) and
// prints the time and compressed size of each, the best of 3 runs.
// Usage: bench_deflate FILE [OUT_DIR]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "axon/core/error.hpp"
#include "axon/io/gzip_stream.hpp"
#include "axon/io/gzip_writer.hpp"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: bench_deflate FILE [OUT_DIR]\n");
    return 2;
  }
  try {
    std::ifstream in(argv[1], std::ios::binary);
    const std::vector<char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string out = std::string(argc == 3 ? argv[2] : "/tmp") + "/bench_deflate.gz";
    std::printf("{\"input_bytes\": %zu", data.size());
    for (axon::Deflater d : {axon::Deflater::isal, axon::Deflater::zlib}) {
      if (d == axon::Deflater::isal && !axon::isal_available()) continue;
      double best = 1e9;
      for (int run = 0; run < 3; ++run) {
        const auto start = std::chrono::steady_clock::now();
        axon::GzipWriter w(out, true, d);
        w.write(data.data(), data.size());
        w.close();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      }
      std::printf(", \"%s\": {\"seconds\": %.3f, \"bytes\": %ju}", d == axon::Deflater::isal ? "isal" : "zlib", best,
                  static_cast<std::uintmax_t>(std::filesystem::file_size(out)));
    }
    std::printf("}\n");
    std::filesystem::remove(out);
  } catch (const axon::Error& e) {
    std::fprintf(stderr, "bench_deflate: error: %s\n", e.what());
    return static_cast<int>(e.code());
  }
  return 0;
}

// Inflates a file through lib/axon/io/gzip_stream.hpp with each inflater
// (ISA-L, zlib) and prints the time each took, for bench/io_memory.sh.
// Usage: bench_inflate FILE.gz
#include <chrono>
#include <cstdio>
#include <vector>

#include "axon/core/error.hpp"
#include "axon/io/gzip_stream.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: bench_inflate FILE.gz\n");
    return 2;
  }
  try {
    std::vector<unsigned char> buf(4 << 20);  // about one 2 mm volume
    std::printf("{");
    const char* sep = "";
    for (axon::Inflater inf : {axon::Inflater::isal, axon::Inflater::zlib}) {
      if (inf == axon::Inflater::isal && !axon::isal_available()) continue;
      const auto start = std::chrono::steady_clock::now();
      axon::GzipStream s(argv[1], inf);
      unsigned long long bytes = 0;
      for (std::size_t r; (r = s.read(buf.data(), buf.size())) > 0;) bytes += r;
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::printf("%s\"%s\": {\"seconds\": %.3f, \"bytes\": %llu}", sep, axon::inflater_name(inf), seconds, bytes);
      sep = ", ";
    }
    std::printf("}\n");
  } catch (const axon::Error& e) {
    std::fprintf(stderr, "bench_inflate: error: %s\n", e.what());
    return static_cast<int>(e.code());
  }
  return 0;
}

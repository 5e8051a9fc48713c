#pragma once
// One run per output folder at a time: an flock on OUT/.axon-pipeline/lock,
// released by the kernel however the holder ends.
#include <string>

namespace axon::pipeline {

class OutputLock {
 public:
  // Throws OutputError (exit 4) naming the holder's pid when it is taken.
  explicit OutputLock(const std::string& out_dir);
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace axon::pipeline

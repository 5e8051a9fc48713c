#include "axon/core/atomic_output.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "axon/core/error.hpp"

namespace axon {
namespace fs = std::filesystem;

namespace {
// Registry of temporaries in flight, read by the signal handler. It must be
// a fixed-size static table: a handler may only call async-signal-safe
// functions (unlink), so it cannot walk a std::vector that might be resizing.
constexpr int kMaxPending = 256;
constexpr size_t kMaxPath = 4096;
enum SlotState : int { kFree = 0, kReserved = 1, kReady = 2 };
struct Slot {
  std::atomic<int> state{kFree};  // the handler only reads kReady slots
  char path[kMaxPath];
};
std::array<Slot, kMaxPending> g_slots;

int register_temp(const std::string& path) {
  if (path.size() >= kMaxPath) return -1;
  for (int i = 0; i < kMaxPending; ++i) {
    int expected = kFree;
    if (g_slots[i].state.compare_exchange_strong(expected, kReserved)) {
      std::memcpy(g_slots[i].path, path.c_str(), path.size() + 1);
      g_slots[i].state = kReady;
      return i;
    }
  }
  return -1;
}

void release_slot(int slot) {
  if (slot >= 0) g_slots[slot].state = kFree;
}

extern "C" void cleanup_on_signal(int sig) {
  for (auto& slot : g_slots)
    if (slot.state.load() == kReady) unlink(slot.path);
  signal(sig, SIG_DFL);
  raise(sig);
}

std::string folder_of(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// Split "dir/name.nii.gz" into "name" and ".nii.gz" so temporaries keep the
// full compound suffix.
std::string compound_suffix(const std::string& filename) {
  static const char* known[] = {".nii.gz", ".tsv.gz", ".tar.gz"};
  for (const char* s : known) {
    size_t n = std::strlen(s);
    if (filename.size() > n && filename.compare(filename.size() - n, n, s) == 0) return s;
  }
  return fs::path(filename).extension().string();
}
}  // namespace

void check_output_path(const std::string& path, bool force) {
  if (path.empty()) throw OutputError("", "empty output path");
  std::string folder = folder_of(path);
  struct stat st {};
  if (stat(folder.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw OutputError(path, "output folder '" + folder + "' does not exist");
  if (access(folder.c_str(), W_OK) != 0)
    throw OutputError(path, "output folder '" + folder + "' is not writable");
  if (stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw OutputError(path, "is a folder, not a file");
    if (!force) throw OutputError(path, "exists (use --force to overwrite)");
  }
}

PendingOutput::PendingOutput(std::string final_path, bool force) : final_path_(std::move(final_path)) {
  check_output_path(final_path_, force);
  fs::path p(final_path_);
  std::string name = p.filename().string();
  std::string suffix = compound_suffix(name);
  std::string stem = name.substr(0, name.size() - suffix.size());
  // mkstemps creates the file atomically with a unique name.
  std::string pattern = (fs::path(folder_of(final_path_)) / ("." + stem + ".axon-tmp-XXXXXX" + suffix)).string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  int fd = mkstemps(buf.data(), static_cast<int>(suffix.size()));
  if (fd < 0) throw OutputError(final_path_, std::string("cannot create a temporary file: ") + std::strerror(errno));
  close(fd);
  temp_path_ = buf.data();
  slot_ = register_temp(temp_path_);
}

PendingOutput::~PendingOutput() {
  if (!committed_) unlink(temp_path_.c_str());
  release_slot(slot_);
}

void PendingOutput::commit() {
  if (committed_) return;
  // mkstemps made the file 0600; outputs get the usual permissions.
  mode_t mask = umask(0);
  umask(mask);
  chmod(temp_path_.c_str(), 0666 & ~mask);
  if (std::rename(temp_path_.c_str(), final_path_.c_str()) != 0)
    throw OutputError(final_path_, std::string("cannot move the finished output into place: ") + std::strerror(errno));
  committed_ = true;
  release_slot(slot_);
  slot_ = -1;
}

const std::string& OutputSet::add(const std::string& final_path) {
  for (const auto& f : finals_)
    if (fs::weakly_canonical(f) == fs::weakly_canonical(final_path))
      throw OutputError(final_path, "given twice as an output");
  pending_.push_back(std::make_unique<PendingOutput>(final_path, force_));
  finals_.push_back(final_path);
  return pending_.back()->temp_path();
}

void OutputSet::commit_all() {
  for (auto& p : pending_) p->commit();
}

void install_output_cleanup_handlers() {
  struct sigaction sa {};
  sa.sa_handler = cleanup_on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  // SIGABRT too: a library that aborts (VTK without a usable display, a
  // failed assertion, std::terminate) must not leave a temporary behind; the
  // handler re-raises, so the process still dies of SIGABRT.
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGABRT}) sigaction(sig, &sa, nullptr);
}

}  // namespace axon

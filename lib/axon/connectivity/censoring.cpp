#include "axon/connectivity/censoring.hpp"

namespace axon::connectivity {

const char* censor_reason_name(CensorReason reason) {
  switch (reason) {
    case CensorReason::kept: return "kept";
    case CensorReason::dummy: return "dummy_scan";
    case CensorReason::fd: return "framewise_displacement";
    case CensorReason::dvars: return "std_dvars";
    case CensorReason::short_segment: return "short_segment";
  }
  return "kept";
}

std::vector<CensorReason> censor_volumes(long volumes, const std::vector<double>& fd,
                                         const std::vector<double>& std_dvars, const CensorOptions& options) {
  std::vector<CensorReason> reason(static_cast<std::size_t>(volumes), CensorReason::kept);
  for (long t = 0; t < volumes; ++t) {
    if (t < options.dummy_scans)
      reason[t] = CensorReason::dummy;
    else if (options.fd_threshold > 0 && t < static_cast<long>(fd.size()) && fd[t] > options.fd_threshold)
      reason[t] = CensorReason::fd;
    else if (options.std_dvars_threshold > 0 && t < static_cast<long>(std_dvars.size()) &&
             std_dvars[t] > options.std_dvars_threshold)
      reason[t] = CensorReason::dvars;
  }
  if (options.min_segment > 1) {
    long start = 0;
    while (start < volumes) {
      if (reason[start] != CensorReason::kept) {
        ++start;
        continue;
      }
      long end = start;
      while (end < volumes && reason[end] == CensorReason::kept) ++end;
      if (end - start < options.min_segment)
        for (long t = start; t < end; ++t) reason[t] = CensorReason::short_segment;
      start = end;
    }
  }
  return reason;
}

}  // namespace axon::connectivity

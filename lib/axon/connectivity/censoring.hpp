#pragma once
// Which volumes to keep: dummy scans, scrubbing by framewise displacement
// and standardised DVARS (Power et al. 2014, NeuroImage 84:320), and
// removal of kept segments too short to carry a usable time series.
#include <string>
#include <vector>

namespace axon::connectivity {

struct CensorOptions {
  int dummy_scans = 0;
  double fd_threshold = 0;         // mm; 0: off
  double std_dvars_threshold = 0;  // 0: off
  int min_segment = 0;             // 0: off
};

enum class CensorReason { kept, dummy, fd, dvars, short_segment };
const char* censor_reason_name(CensorReason reason);

// `fd` and `std_dvars` may be empty when their threshold is off; n/a (NaN,
// the first volume's) never censors. A volume above either threshold is
// censored; then every run of kept volumes shorter than min_segment.
std::vector<CensorReason> censor_volumes(long volumes, const std::vector<double>& fd,
                                         const std::vector<double>& std_dvars, const CensorOptions& options);

}  // namespace axon::connectivity

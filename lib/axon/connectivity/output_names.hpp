#pragma once
// BIDS-derivatives file names for connectivity outputs: the input's
// entities (sub, ses, task, acq, run, space, ...) plus atlas-<name>, e.g.
// sub-01_task-rest_space-MNI_atlas-aal_meas-correlation_relmat.tsv.
#include <string>

namespace axon::connectivity {

// "sub-01_task-rest_run-1_bold.nii.gz" -> "sub-01_task-rest_run-1": the
// key-value entities of the file name; a name without any gives its stem.
std::string bids_entities(const std::string& path);

// An atlas name usable as an entity value: letters and digits only
// ("harvard-oxford-cort" -> "harvardoxfordcort").
std::string entity_value(const std::string& name);

// The atlas entity of an atlas given by path: its own atlas-X entity when
// the file name has one ("sub-01_task-rest_atlas-aal_dseg.nii.gz" -> "aal":
// an atlas a pipeline brought onto the BOLD grid keeps its name), else the
// stem as an entity value.
std::string atlas_entity_of_path(const std::string& path);

}  // namespace axon::connectivity

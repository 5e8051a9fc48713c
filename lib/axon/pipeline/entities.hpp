#pragma once
// Entity tuples ({subject: 01, task: rest}) and BIDS discovery: which
// tuples exist for an input is read off the file names under a BIDS folder.
#include <map>
#include <string>
#include <vector>

namespace axon::pipeline {

using Entities = std::map<std::string, std::string>;  // entity name -> label

// Every regular file under `root`, as sorted paths relative to it. Hidden
// entries (".git", ".axon-tmp...") are skipped.
std::vector<std::string> list_files(const std::string& root);

// The tuples for which `path_template` (relative, with {entity}
// placeholders) matches one of `files`, sorted and unique.
std::vector<Entities> match_template(const std::string& path_template, const std::vector<std::string>& files);

// Natural join: every merge of a tuple of `a` with a tuple of `b` that agree
// on the entities they share; sorted and unique.
std::vector<Entities> join(const std::vector<Entities>& a, const std::vector<Entities>& b);

// Only the named entities of `e`.
Entities project(const Entities& e, const std::vector<std::string>& names);

// "sub-01_ses-1_task-rest_run-2" in BIDS order; "" for no entities.
std::string entity_chain(const Entities& e);

}  // namespace axon::pipeline

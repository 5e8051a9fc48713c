#pragma once
// Command lines as a POSIX shell reads them: used for the provenance record
// of every output and by the pipeline runner and its Snakemake export, so a
// logged command can be pasted back into a terminal unchanged.
#include <string>
#include <vector>

namespace axon {

// `word` unchanged when it holds only characters no shell treats specially,
// else in single quotes (an embedded ' written as '\'').
std::string shell_quote(const std::string& word);

// argv as one line, each word quoted only where needed.
std::string shell_join(const std::vector<std::string>& argv);

}  // namespace axon

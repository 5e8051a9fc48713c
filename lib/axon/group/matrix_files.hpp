#pragma once
// A group's connectivity matrices: square relmat TSVs (a header row of
// label names, as `axon-connectivity roi` writes), one per subject, found
// from paths, glob patterns or list files, checked to share one size and
// one label order.
#include <Eigen/Core>
#include <string>
#include <vector>

namespace axon::group {

struct MatrixSet {
  std::vector<std::string> paths, subjects;  // subject: the sub-<id> entity, else the file's stem
  std::vector<std::string> labels;           // header row, shared by all
  std::vector<Eigen::MatrixXd> matrices;     // n/a -> NaN
};

// The files named by `entries`, in order. Each entry: a path; a glob pattern
// (*, ?, [), its matches sorted; or a .txt/.lst file listing one path per
// line (relative to the list's folder; # comments). InputError (exit 3):
// a pattern matching nothing, an unreadable or empty list, no files.
std::vector<std::string> expand_inputs(const std::vector<std::string>& entries);

// The subject a file belongs to: its name's sub-<id> entity, else its stem.
std::string subject_of_path(const std::string& path);

// Each entry as for expand_inputs. InputError (exit 3) naming the file: not
// square, a size or label order different from the first file's, two files
// of the same subject.
MatrixSet read_matrix_set(const std::vector<std::string>& entries);

// Upper triangle (i < j), row by row: subjects x p(p-1)/2.
Eigen::MatrixXd upper_triangle_features(const std::vector<Eigen::MatrixXd>& matrices);

// The inverse: a symmetric matrix from its upper triangle, `diagonal` on the diagonal.
Eigen::MatrixXd from_upper_triangle(const Eigen::VectorXd& edges, Eigen::Index p, double diagonal);

}  // namespace axon::group

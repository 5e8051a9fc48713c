#pragma once
// Path and value templates: "sub-{subject}/anat/sub-{subject}_T1w.nii.gz".
// A placeholder is {name} (an identifier); "{{" and "}}" are literal braces.
// The same syntax serves parameters ({atlas}) and BIDS entities ({subject}).
// An optional entity, {name?}, comes with its key and one separator:
// "sub-{subject}/ses-{session?}/func/sub-{subject}_ses-{session?}_bold" is
// "sub-01/ses-2/func/sub-01_ses-2_bold" with a session and
// "sub-01/func/sub-01_bold" without one (fMRIPrep's and BIDS's layouts).
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace axon::pipeline {

// Thrown for a malformed template or a placeholder with no value; the
// pipeline layer turns it into a message pointing at the file's line.
class TemplateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The placeholder names used by `text`, e.g. {"subject"}.
std::set<std::string> template_names(const std::string& text);

// Replaces every placeholder by its value; an optional one without a value
// drops its chunk. With `keep_unknown`, names not in
// `values` stay as "{name}" (for a first pass with parameters only);
// otherwise an unknown name throws TemplateError("undefined ... {name}").
std::string expand_template(const std::string& text, const std::map<std::string, std::string>& values,
                            bool keep_unknown = false);

// An ECMAScript regular expression matching the paths the template can
// produce: each placeholder is a BIDS label ([A-Za-z0-9]+), a repeated
// placeholder must repeat the same value. `order` receives the names in the
// order of their capture groups (first occurrence). An optional chunk is an
// optional group; its capture group does not take part when it is absent.
std::string template_regex(const std::string& text, std::vector<std::string>& order);

}  // namespace axon::pipeline

#pragma once
// Atlas label tables: label value -> name. Formats read:
//  - "index name [code]" separated by spaces or tabs, CRLF or LF line ends
//    (mricron-data's AAL, AICHA and JHU tables);
//  - BIDS dseg.tsv (header row with "index" and "name" columns).
#include <cstdint>
#include <map>
#include <string>

namespace axon {

struct LabelTable {
  std::map<int32_t, std::string> names;  // background (0) is never listed
  std::string prefix = "label_";           // for labels the table does not name
  std::string name_of(int32_t label) const;  // the table's name or prefix + N
};

LabelTable read_label_table(const std::string& path);  // throws InputError

}  // namespace axon

#include "axon/pipeline/template.hpp"

#include <cctype>
#include <vector>

namespace axon::pipeline {
namespace {

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

// One piece of a template: literal text, or a placeholder; an optional
// placeholder ({session?}) carries the BIDS chunk that goes with it.
struct Piece {
  std::string literal;    // for a literal piece
  std::string name;       // for a placeholder (without '?')
  bool optional = false;
  std::string before, after;  // optional: the chunk's text around the value ("_ses-", "" or "ses-", "/")
};

bool is_separator(char c) { return c == '_' || c == '/'; }

// Splits `text` into pieces. An optional placeholder takes from the literal
// before it the entity key ("ses-") and one separator: the '_' before the
// key, or else the '/' or '_' after the value; the chunk vanishes when the
// entity has no value ("sub-01/ses-{session?}/func" -> "sub-01/func").
std::vector<Piece> pieces(const std::string& text) {
  std::vector<Piece> out;
  std::string lit;
  auto flush = [&] {
    if (!lit.empty()) out.push_back({lit, "", false, "", ""});
    lit.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      lit += '{';
      ++i;
    } else if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
      lit += '}';
      ++i;
    } else if (c == '{') {
      const size_t end = text.find('}', i);
      if (end == std::string::npos) throw TemplateError("unclosed '{' in '" + text + "'");
      std::string id = text.substr(i + 1, end - i - 1);
      const bool optional = !id.empty() && id.back() == '?';
      if (optional) id.pop_back();
      if (!is_identifier(id)) throw TemplateError("'{" + text.substr(i + 1, end - i - 1) + "}' in '" + text +
                                                  "' is not a placeholder name");
      Piece p{"", id, optional, "", ""};
      if (optional) {
        // The key: the literal's characters back to a separator or its start.
        size_t k = lit.size();
        while (k > 0 && !is_separator(lit[k - 1])) --k;
        if (k == lit.size() || lit.back() != '-')
          throw TemplateError("optional '{" + id + "?}' in '" + text + "' must follow an entity key such as 'ses-'");
        if (k > 0 && lit[k - 1] == '_') --k;
        p.before = lit.substr(k);
        lit.resize(k);
        if (p.before[0] != '_' && end + 1 < text.size() && is_separator(text[end + 1])) {
          p.after = text.substr(end + 1, 1);  // the separator is the chunk's
        }
      }
      flush();
      out.push_back(p);
      i = end + (p.after.empty() ? 0 : 1);
    } else if (c == '}') {
      throw TemplateError("unmatched '}' in '" + text + "' (write '}}' for a literal brace)");
    } else {
      lit += c;
    }
  }
  flush();
  return out;
}

std::string regex_escaped(const std::string& lit) {
  std::string re;
  for (char c : lit) {
    if (std::string("\\^$.|?*+()[]{}").find(c) != std::string::npos) re += '\\';
    re += c;
  }
  return re;
}

std::string brace_escaped(const std::string& lit) {
  std::string out;
  for (char c : lit) out += (c == '{' || c == '}') ? std::string(2, c) : std::string(1, c);
  return out;
}

}  // namespace

std::set<std::string> template_names(const std::string& text) {
  std::set<std::string> names;
  for (const auto& p : pieces(text))
    if (!p.name.empty()) names.insert(p.name);
  return names;
}

std::string expand_template(const std::string& text, const std::map<std::string, std::string>& values,
                            bool keep_unknown) {
  std::string out;
  for (const auto& p : pieces(text)) {
    if (p.name.empty()) {
      // Re-escape braces when placeholders are kept, so the result is
      // still a template with the same meaning.
      out += keep_unknown ? brace_escaped(p.literal) : p.literal;
      continue;
    }
    auto it = values.find(p.name);
    if (it != values.end())
      out += p.before + it->second + p.after;
    else if (keep_unknown)
      out += p.before + "{" + p.name + (p.optional ? "?" : "") + "}" + p.after;
    else if (!p.optional)
      throw TemplateError("undefined parameter or entity {" + p.name + "}");
  }
  return out;
}

std::string template_regex(const std::string& text, std::vector<std::string>& order) {
  order.clear();
  std::string re;
  for (const auto& p : pieces(text)) {
    if (p.name.empty()) {
      re += regex_escaped(p.literal);
      continue;
    }
    std::string value;
    for (size_t k = 0; k < order.size() && value.empty(); ++k)
      if (order[k] == p.name) value = "\\" + std::to_string(k + 1);
    if (value.empty()) {
      order.push_back(p.name);
      value = "([A-Za-z0-9]+)";
    }
    // A back-reference to a group that did not take part fails, so a
    // repeated optional entity is present in every place or in none.
    re += p.optional ? "(?:" + regex_escaped(p.before) + value + regex_escaped(p.after) + ")?" : value;
  }
  return re;
}

}  // namespace axon::pipeline

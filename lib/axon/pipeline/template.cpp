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

// Walks `text`, calling literal(text) and name(id) for its pieces in order.
template <class Literal, class Name>
void scan(const std::string& text, Literal literal, Name name) {
  std::string lit;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      lit += '{';
      ++i;
    } else if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
      lit += '}';
      ++i;
    } else if (c == '{') {
      size_t end = text.find('}', i);
      if (end == std::string::npos) throw TemplateError("unclosed '{' in '" + text + "'");
      std::string id = text.substr(i + 1, end - i - 1);
      if (!is_identifier(id)) throw TemplateError("'{" + id + "}' in '" + text + "' is not a placeholder name");
      if (!lit.empty()) literal(lit);
      lit.clear();
      name(id);
      i = end;
    } else if (c == '}') {
      throw TemplateError("unmatched '}' in '" + text + "' (write '}}' for a literal brace)");
    } else {
      lit += c;
    }
  }
  if (!lit.empty()) literal(lit);
}

}  // namespace

std::set<std::string> template_names(const std::string& text) {
  std::set<std::string> names;
  scan(text, [](const std::string&) {}, [&](const std::string& id) { names.insert(id); });
  return names;
}

std::string expand_template(const std::string& text, const std::map<std::string, std::string>& values,
                            bool keep_unknown) {
  std::string out;
  scan(
      text,
      [&](const std::string& lit) {
        // Re-escape braces when placeholders are kept, so the result is
        // still a template with the same meaning.
        if (!keep_unknown) {
          out += lit;
          return;
        }
        for (char c : lit) out += (c == '{' || c == '}') ? std::string(2, c) : std::string(1, c);
      },
      [&](const std::string& id) {
        auto it = values.find(id);
        if (it != values.end()) out += it->second;
        else if (keep_unknown) out += "{" + id + "}";
        else throw TemplateError("undefined parameter or entity {" + id + "}");
      });
  return out;
}

std::string template_regex(const std::string& text, std::vector<std::string>& order) {
  order.clear();
  std::string re;
  scan(
      text,
      [&](const std::string& lit) {
        for (char c : lit) {
          if (std::string("\\^$.|?*+()[]{}").find(c) != std::string::npos) re += '\\';
          re += c;
        }
      },
      [&](const std::string& id) {
        for (size_t k = 0; k < order.size(); ++k)
          if (order[k] == id) {
            re += "\\" + std::to_string(k + 1);
            return;
          }
        order.push_back(id);
        re += "([A-Za-z0-9]+)";
      });
  return re;
}

}  // namespace axon::pipeline

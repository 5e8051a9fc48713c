// Command lines in provenance records and pipeline logs must survive a
// round trip through a real POSIX shell: /bin/sh is the ground truth here.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "axon/core/shell.hpp"

namespace {
// What /bin/sh makes of `line` as the arguments of printf '%s\n'.
std::vector<std::string> words_as_shell_reads(const std::string& line) {
  const std::string cmd = "printf '%s\\n' " + line;
  std::vector<std::string> words;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return words;
  std::string current;
  for (int c; (c = std::fgetc(p)) != EOF;) {
    if (c == '\n') {
      words.push_back(current);
      current.clear();
    } else {
      current += static_cast<char>(c);
    }
  }
  pclose(p);
  return words;
}
}  // namespace

TEST(Shell, PlainWordsStayUnquoted) {
  EXPECT_EQ(axon::shell_quote("sub-01_bold.nii.gz"), "sub-01_bold.nii.gz");
  EXPECT_EQ(axon::shell_join({"axon-image", "info", "--json", "a/b.nii"}), "axon-image info --json a/b.nii");
}

TEST(Shell, EveryWordSurvivesTheShell) {
  const std::vector<std::string> argv = {"axon-x", "", "two words", "it's", "$HOME", "a\"b", "*", "semi;colon",
                                         "back\\slash", "tab\there", "--opt=1,2"};
  EXPECT_EQ(words_as_shell_reads(axon::shell_join(argv)), argv);
}

#include "apps/config/command_line.h"

#include <optional>

namespace clustersim::apps {

sim::Result<std::vector<std::string>> SplitCommandLine(std::string_view line) {
  std::vector<std::string> words;
  std::optional<std::string> word;  // set once a word has started (even an empty "" one)
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (word) words.push_back(std::move(*word));
      word.reset();
      continue;
    }
    if (!word) word.emplace();
    if (c == '\\') {
      if (++i == line.size()) return sim::Status::Error("a command line ending in a backslash");
      *word += line[i];
    } else if (c == '\'') {
      const size_t close = line.find('\'', i + 1);
      if (close == std::string_view::npos) {
        return sim::Status::Error("a command line with an unterminated ' quote");
      }
      *word += line.substr(i + 1, close - i - 1);
      i = close;
    } else if (c == '"') {
      for (++i;; ++i) {
        if (i == line.size()) {
          return sim::Status::Error("a command line with an unterminated \" quote");
        }
        if (line[i] == '"') break;
        if (line[i] == '\\' && i + 1 < line.size() &&
            std::string_view("\"\\$`").find(line[i + 1]) != std::string_view::npos) {
          ++i;
        }
        *word += line[i];
      }
    } else {
      *word += c;
    }
  }
  if (word) words.push_back(std::move(*word));
  if (words.empty()) return sim::Status::Error("an empty command line");
  return words;
}

}  // namespace clustersim::apps

// rekognition-cpp: splitting a credential_process command line into arguments.
#ifndef REKOGNITION_AUTH_SHELL_SPLIT_HPP
#define REKOGNITION_AUTH_SHELL_SPLIT_HPP

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// Splits `command` into arguments with POSIX shell-like quoting, as the aws
/// CLI does for credential_process (Python's shlex.split): blanks separate
/// arguments; '...' is literal; in "..." a backslash escapes only '"' and
/// '\\'; outside quotes a backslash escapes any character; adjacent quoted
/// and unquoted parts join into one argument, and "" is an empty argument.
/// No variables, globs, pipes or comments: nothing is interpreted by a shell.
/// Returns nullopt and sets `error` for an unclosed quote or a trailing
/// backslash. Thread-safe; throws only std::bad_alloc.
REKOGNITION_INLINE std::optional<std::vector<std::string>> SplitCommandLine(
    std::string_view command, std::string& error) {
  std::vector<std::string> arguments;
  std::string current;
  bool in_argument = false;  // true once a character or a quote pair started one
  std::size_t i = 0;
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (i < command.size()) {
    const char c = command[i];
    if (is_space(c)) {
      if (in_argument) arguments.push_back(std::move(current));
      current.clear();
      in_argument = false;
      ++i;
    } else if (c == '\\') {
      if (i + 1 >= command.size()) {
        error = "the command line ends with a lone backslash";
        return std::nullopt;
      }
      current += command[i + 1];
      in_argument = true;
      i += 2;
    } else if (c == '\'') {
      const auto close = command.find('\'', i + 1);
      if (close == std::string_view::npos) {
        error = "the command line has an unclosed single quote";
        return std::nullopt;
      }
      current.append(command.substr(i + 1, close - i - 1));
      in_argument = true;
      i = close + 1;
    } else if (c == '"') {
      ++i;
      bool closed = false;
      while (i < command.size()) {
        const char q = command[i];
        if (q == '"') {
          closed = true;
          ++i;
          break;
        }
        if (q == '\\' && i + 1 < command.size() &&
            (command[i + 1] == '"' || command[i + 1] == '\\')) {
          current += command[i + 1];
          i += 2;
          continue;
        }
        current += q;
        ++i;
      }
      if (!closed) {
        error = "the command line has an unclosed double quote";
        return std::nullopt;
      }
      in_argument = true;
    } else {
      current += c;
      in_argument = true;
      ++i;
    }
  }
  if (in_argument) arguments.push_back(std::move(current));
  return arguments;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_SHELL_SPLIT_HPP

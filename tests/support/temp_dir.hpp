// Test support: a temporary directory removed with everything in it, and the
// decoding of application/x-www-form-urlencoded bodies (STS query requests).
#ifndef REKOGNITION_TESTS_TEMP_DIR_HPP
#define REKOGNITION_TESTS_TEMP_DIR_HPP

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace testing_support {

/// A directory under /tmp, removed with its contents when this goes away.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "rekognition-test") {
    std::string name = "/tmp/" + prefix + "-XXXXXX";
    if (mkdtemp(&name[0]) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = name;
  }
  ~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// Writes (replaces) file `name` and returns its full path.
  std::string Write(const std::string& name, const std::string& text) const {
    const std::string full = path_ + "/" + name;
    std::ofstream(full, std::ios::binary | std::ios::trunc) << text;
    return full;
  }
  /// The contents of file `name` ("" when it cannot be read).
  std::string Read(const std::string& name) const {
    std::ifstream in(path_ + "/" + name, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// Decodes one form-encoded component ('+' is a space, %XX a byte).
inline std::string FormDecode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

/// The name=value pairs of a form-encoded body, decoded, in order.
inline std::vector<std::pair<std::string, std::string>> FormParams(const std::string& body) {
  std::vector<std::pair<std::string, std::string>> params;
  std::stringstream stream(body);
  std::string item;
  while (std::getline(stream, item, '&')) {
    const auto eq = item.find('=');
    params.emplace_back(FormDecode(item.substr(0, eq)),
                        eq == std::string::npos ? std::string() : FormDecode(item.substr(eq + 1)));
  }
  return params;
}

}  // namespace testing_support

#endif  // REKOGNITION_TESTS_TEMP_DIR_HPP

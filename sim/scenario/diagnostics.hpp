// Located error messages for scenario and sweep files: "file:line:col: key: message".
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace trustsim {

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
  std::string key;
  std::string message;
  std::string text() const;
};

class Diagnostics {
 public:
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  bool empty() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  std::string text() const;  // one line per diagnostic

 private:
  std::vector<Diagnostic> items_;
};

// Thrown when a scenario (or sweep) file is invalid; carries every problem found.
class InvalidInput : public std::runtime_error {
 public:
  explicit InvalidInput(Diagnostics d) : std::runtime_error(d.text()), diagnostics(std::move(d)) {}
  Diagnostics diagnostics;
};

}  // namespace trustsim

#include "scenario/diagnostics.hpp"

namespace trustsim {

std::string Diagnostic::text() const {
  std::string s = file;
  if (line > 0) s += ":" + std::to_string(line) + ":" + std::to_string(column);
  s += ": ";
  if (!key.empty()) s += key + ": ";
  return s + message;
}

std::string Diagnostics::text() const {
  std::string s;
  for (const auto& d : items_) s += d.text() + "\n";
  return s;
}

}  // namespace trustsim

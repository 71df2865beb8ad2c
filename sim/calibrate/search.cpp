#include "calibrate/search.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "core/rng.hpp"
#include "engine/simulation.hpp"

namespace trustsim::calibrate {

std::uint64_t SplitMix::next() {
  std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
double SplitMix::uniform() { return static_cast<double>(next() >> 11) * 0x1p-53; }

std::vector<std::vector<double>> latin_hypercube(int n, int d, std::uint64_t seed) {
  SplitMix rng(seed);
  std::vector<std::vector<double>> points(static_cast<std::size_t>(n),
                                          std::vector<double>(static_cast<std::size_t>(d)));
  std::vector<int> perm(static_cast<std::size_t>(n));
  for (int k = 0; k < d; ++k) {
    std::iota(perm.begin(), perm.end(), 0);
    for (int i = n - 1; i > 0; --i)  // Fisher-Yates
      std::swap(perm[static_cast<std::size_t>(i)],
                perm[static_cast<std::size_t>(rng.next() % static_cast<std::uint64_t>(i + 1))]);
    for (int i = 0; i < n; ++i)
      points[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)] =
          (perm[static_cast<std::size_t>(i)] + rng.uniform()) / n;
  }
  return points;
}

NelderMeadResult nelder_mead(const std::function<double(const std::vector<double>&)>& f, const std::vector<double>& x0,
                             double step, int max_evaluations, double tolerance) {
  const std::size_t d = x0.size();
  auto clamp = [](std::vector<double> x) {
    for (auto& v : x) v = std::clamp(v, 0.0, 1.0);
    return x;
  };
  NelderMeadResult out;
  auto eval = [&](const std::vector<double>& x) {
    ++out.evaluations;
    return f(x);
  };
  std::vector<std::vector<double>> simplex{clamp(x0)};
  for (std::size_t k = 0; k < d; ++k) {
    auto x = simplex.front();
    x[k] += x[k] + step <= 1.0 ? step : -step;
    simplex.push_back(clamp(x));
  }
  std::vector<double> fx;
  for (const auto& x : simplex) {
    if (out.evaluations >= max_evaluations) break;
    fx.push_back(eval(x));
  }
  simplex.resize(fx.size());
  auto finish = [&]() {
    const auto b = static_cast<std::size_t>(std::min_element(fx.begin(), fx.end()) - fx.begin());
    out.best = simplex[b];
    out.best_value = fx[b];
    return out;
  };
  if (fx.size() < d + 1) return finish();
  std::vector<std::size_t> order(d + 1);
  while (out.evaluations < max_evaluations) {
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return fx[a] < fx[b]; });
    const std::size_t best = order.front(), worst = order.back(), second = order[d - 1];
    double size = 0;
    for (const auto& x : simplex)
      for (std::size_t k = 0; k < d; ++k) size = std::max(size, std::fabs(x[k] - simplex[best][k]));
    if (fx[worst] - fx[best] <= tolerance && size < 1e-6) break;
    std::vector<double> c(d, 0.0);
    for (std::size_t i = 0; i <= d; ++i)
      if (i != worst)
        for (std::size_t k = 0; k < d; ++k) c[k] += simplex[i][k] / static_cast<double>(d);
    auto along = [&](double t) {  // c + t (c - worst)
      std::vector<double> x(d);
      for (std::size_t k = 0; k < d; ++k) x[k] = c[k] + t * (c[k] - simplex[worst][k]);
      return clamp(x);
    };
    const auto xr = along(1.0);
    const double fr = eval(xr);
    if (fr < fx[best]) {
      if (out.evaluations >= max_evaluations) {
        simplex[worst] = xr;
        fx[worst] = fr;
        break;
      }
      const auto xe = along(2.0);
      const double fe = eval(xe);
      if (fe < fr) {
        simplex[worst] = xe;
        fx[worst] = fe;
      } else {
        simplex[worst] = xr;
        fx[worst] = fr;
      }
      continue;
    }
    if (fr < fx[second]) {
      simplex[worst] = xr;
      fx[worst] = fr;
      continue;
    }
    if (out.evaluations >= max_evaluations) break;
    const bool outside = fr < fx[worst];
    const auto xc = along(outside ? 0.5 : -0.5);
    const double fc = eval(xc);
    if (fc < std::min(fr, fx[worst])) {
      simplex[worst] = xc;
      fx[worst] = fc;
      continue;
    }
    // Shrink toward the best point.
    for (std::size_t i = 0; i <= d && out.evaluations < max_evaluations; ++i) {
      if (i == best) continue;
      for (std::size_t k = 0; k < d; ++k) simplex[i][k] = simplex[best][k] + 0.5 * (simplex[i][k] - simplex[best][k]);
      fx[i] = eval(simplex[i]);
    }
  }
  return finish();
}

double round_significant(double v, int digits) {
  if (v == 0 || !std::isfinite(v)) return v;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return std::strtod(buf, nullptr);
}

std::uint64_t search_seed(std::uint64_t seed) {
  return derive_seed(seed, Stream::replicate_seed, 0xCA1B000000000001ull);
}
std::uint64_t verification_seed(std::uint64_t seed) {
  return derive_seed(seed, Stream::replicate_seed, 0xCA1B000000000002ull);
}

namespace {

constexpr const char* kStateHeader = "trustsim-calibration-state 1";

std::uint64_t fingerprint(const TargetsFile& tf, std::uint64_t seed, int budget) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  auto mix = [&](const std::string& s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  mix(tf.text);
  mix("|seed=" + std::to_string(seed) + "|budget=" + std::to_string(budget));
  return h;
}

std::string hex(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", v);
  return buf;
}

std::string key_of(const std::vector<double>& x) {
  std::string k;
  for (double v : x) k += hex(v) + " ";
  return k;
}

class Search {
 public:
  Search(const TargetsFile& tf, const CalibrationOptions& o, int budget)
      : tf_(tf), o_(o), budget_(budget), start_(std::chrono::steady_clock::now()), tty_(isatty(STDERR_FILENO) != 0) {
    const auto print = fingerprint(tf, o.seed, budget);
    if (o.resume) load_state(print);
    if (o.state_path.empty()) return;
    state_.open(o.state_path, o.resume && !cache_.empty() ? std::ios::app : std::ios::trunc);
    if (!state_) throw std::runtime_error("cannot write the state file " + o.state_path);
    if (!o.resume || cache_.empty()) state_ << kStateHeader << "\nfingerprint " << print << "\n" << std::flush;
  }

  // The loss at u in [0, 1]^d.
  double operator()(const std::vector<double>& u, const std::string& phase) {
    std::vector<double> x(u.size());
    for (std::size_t k = 0; k < u.size(); ++k) {
      const auto& p = tf_.free[k];
      x[k] = std::clamp(p.low + u[k] * (p.high - p.low), p.low, p.high);
    }
    const std::string key = key_of(x);
    ++calls_;
    if (auto it = seen_.find(key); it != seen_.end()) return result_.evaluations[it->second].loss;
    Evaluation e;
    if (auto it = cache_.find(key); it != cache_.end()) {
      e = it->second;
      ++result_.reused;
    } else {
      const Measurement m = evaluate(tf_, x, search_seed(o_.seed), tf_.search.replicates, o_.cancel);
      e.x = x;
      e.means = m.mean;
      e.loss = loss(tf_, m.mean);
      append(e);
    }
    e.phase = phase;
    seen_[key] = result_.evaluations.size();
    result_.evaluations.push_back(e);
    if (result_.evaluations.size() == 1 || e.loss < result_.evaluations[result_.best].loss)
      result_.best = result_.evaluations.size() - 1;
    progress(phase);
    return e.loss;
  }

  int calls() const { return calls_; }
  CalibrationResult& result() { return result_; }
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }
  void end_progress() {
    if (!o_.quiet && tty_) std::cerr << "\n";
  }

 private:
  void load_state(std::uint64_t print) {
    std::ifstream in(o_.state_path);
    if (!in) return;  // nothing to resume: start afresh
    std::string line;
    std::getline(in, line);
    if (line != kStateHeader) throw std::runtime_error(o_.state_path + ": not a calibration state file");
    std::getline(in, line);
    if (line != "fingerprint " + std::to_string(print))
      throw std::runtime_error(
          o_.state_path + ": made with another targets file, seed or budget; run without --resume to start afresh");
    while (std::getline(in, line)) {
      std::istringstream ls(line);
      Evaluation e;
      std::string tok;
      bool ok = true;
      for (std::size_t k = 0; k < tf_.free.size() && ok; ++k)
        ok = static_cast<bool>(ls >> tok), e.x.push_back(std::strtod(tok.c_str(), nullptr));
      ok = ok && static_cast<bool>(ls >> tok) && tok == "|";
      ok = ok && static_cast<bool>(ls >> tok);
      if (ok) e.loss = std::strtod(tok.c_str(), nullptr);
      for (std::size_t t = 0; t < tf_.targets.size() && ok; ++t)
        ok = static_cast<bool>(ls >> tok), e.means.push_back(std::strtod(tok.c_str(), nullptr));
      if (!ok) break;  // a line cut short by an interruption
      cache_[key_of(e.x)] = e;
    }
  }

  void append(const Evaluation& e) {
    if (!state_.is_open()) return;
    std::string line = key_of(e.x) + "| " + hex(e.loss);
    for (double v : e.means) line += " " + hex(v);
    state_ << line << "\n" << std::flush;  // whole lines, flushed: an interruption keeps every finished evaluation
  }

  void progress(const std::string& phase) {
    if (o_.quiet) return;
    const auto n = result_.evaluations.size();
    const bool improved = result_.best + 1 == n;
    char buf[200];
    std::snprintf(buf, sizeof buf, "calibrate: %-13s evaluations %4zu/%d (%d reused)  loss %9.4f  best %9.4f  %6.0f s",
                  phase.c_str(), n, budget_, result_.reused, result_.evaluations.back().loss,
                  result_.evaluations[result_.best].loss, seconds());
    if (tty_)
      std::cerr << "\r" << buf << std::flush;
    else if (improved || n % 10 == 0)
      std::cerr << buf << "\n";
  }

  const TargetsFile& tf_;
  const CalibrationOptions& o_;
  int budget_;
  std::chrono::steady_clock::time_point start_;
  bool tty_;
  std::ofstream state_;
  std::map<std::string, Evaluation> cache_;  // from the state file
  std::map<std::string, std::size_t> seen_;  // this search's evaluations
  CalibrationResult result_;
  int calls_ = 0;
};

}  // namespace

CalibrationResult calibrate(const TargetsFile& tf, const CalibrationOptions& o) {
  const int budget = o.budget > 0 ? o.budget : tf.search.budget;
  const int d = static_cast<int>(tf.free.size());
  Search search(tf, o, budget);

  // 1. Latin hypercube.
  const int n_lhs = std::min(budget, std::max(d + 1, static_cast<int>(std::lround(tf.search.lhs_share * budget))));
  const auto design = latin_hypercube(n_lhs, d, o.seed);
  std::vector<double> lhs_loss;
  lhs_loss.reserve(design.size());
  for (const auto& u : design) lhs_loss.push_back(search(u, "lhs"));

  // 2. Nelder-Mead from the best distinct hypercube points, the rest of the budget shared out.
  std::vector<std::size_t> order(design.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return lhs_loss[a] < lhs_loss[b]; });
  const int starts = std::min<int>(tf.search.starts, static_cast<int>(order.size()));
  for (int s = 0; s < starts; ++s) {
    const int left = budget - search.calls();
    if (left <= d + 1) break;
    const int share = left / (starts - s);
    const std::string phase = "nelder-mead " + std::to_string(s + 1);
    nelder_mead([&](const std::vector<double>& u) { return search(u, phase); },
                design[order[static_cast<std::size_t>(s)]], tf.search.simplex_step, share);
  }
  search.end_progress();

  // 3. The defaults: the best point, rounded; checked with fresh seeds and more replicates.
  CalibrationResult result = std::move(search.result());
  const auto& best = result.evaluations[result.best];
  for (std::size_t k = 0; k < best.x.size(); ++k)
    result.fitted.push_back(std::clamp(round_significant(best.x[k], 4), tf.free[k].low, tf.free[k].high));
  if (!o.quiet)
    std::cerr << "calibrate: checking the fitted values with " << tf.search.verify_replicates << " fresh replicates\n";
  result.verification = evaluate(tf, result.fitted, verification_seed(o.seed), tf.search.verify_replicates, o.cancel);
  result.verification_loss = loss(tf, result.verification.mean);
  result.seconds = search.seconds();
  return result;
}

}  // namespace trustsim::calibrate

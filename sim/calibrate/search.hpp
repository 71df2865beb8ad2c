// The search: a seeded Latin hypercube over the free parameters, then Nelder-Mead from the
// best points, on the loss over the targets. Every evaluation is appended to a state file,
// so an interrupted search resumes by replaying itself: evaluations already in the file are
// read back instead of run, which gives exactly the result of an uninterrupted search.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "calibrate/evaluate.hpp"

namespace trustsim::calibrate {

// ---- the pieces (unit-tested) ----------------------------------------------------------

// A small deterministic generator (splitmix64) for the search's own draws.
class SplitMix {
 public:
  explicit SplitMix(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next();
  double uniform();  // in [0, 1)
 private:
  std::uint64_t s_;
};

// n points in [0, 1]^d: in every dimension each of the n strata [k/n, (k+1)/n) holds exactly one point.
std::vector<std::vector<double>> latin_hypercube(int n, int d, std::uint64_t seed);

struct NelderMeadResult {
  std::vector<double> best;
  double best_value = 0;
  int evaluations = 0;
};
// Minimises f over the box [0, 1]^d (points are clamped into it) from x0 with an initial
// simplex of edge `step`, using at most `max_evaluations` calls of f.
NelderMeadResult nelder_mead(const std::function<double(const std::vector<double>&)>& f, const std::vector<double>& x0,
                             double step, int max_evaluations, double tolerance = 1e-10);

// ---- the calibration ----------------------------------------------------------------------

struct Evaluation {
  std::vector<double> x;  // free parameters, in their units
  double loss = 0;
  std::vector<double> means;  // per target
  std::string phase;          // "lhs" or "nelder-mead k"
};

struct CalibrationResult {
  std::vector<Evaluation> evaluations;  // in the order the search made them
  std::size_t best = 0;                 // index of the best evaluation
  int reused = 0;                       // evaluations read back from the state file
  std::vector<double> fitted;           // best point, rounded for the defaults file (4 significant digits)
  Measurement verification;             // the rounded point, with fresh seeds and verify_replicates
  double verification_loss = 0;
  double seconds = 0;
};

struct CalibrationOptions {
  std::uint64_t seed = 1;
  int budget = 0;          // 0: the targets file's
  std::string state_path;  // every evaluation is appended here
  bool resume = false;     // read the state file's evaluations first
  bool quiet = false;
  const std::atomic<bool>* cancel = nullptr;
};

// Runs the search and the final check; throws Cancelled when interrupted (the state file
// keeps every finished evaluation).
CalibrationResult calibrate(const TargetsFile& tf, const CalibrationOptions& options);

// Seeds: the search's replicates and the verification's (distinct, so the check is out of sample).
std::uint64_t search_seed(std::uint64_t seed);
std::uint64_t verification_seed(std::uint64_t seed);

// Rounded to `digits` significant digits (the values written as defaults).
double round_significant(double v, int digits);

}  // namespace trustsim::calibrate

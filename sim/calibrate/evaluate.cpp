#include "calibrate/evaluate.hpp"

#include <tbb/parallel_for.h>

#include <cmath>
#include <optional>

#include "engine/learning_rules.hpp"
#include "engine/simulation.hpp"
#include "scenario/loader.hpp"

namespace trustsim::calibrate {
namespace {

bool in_who(const Population& pop, ResidentId i, Who w) {
  const auto k = static_cast<std::size_t>(i);
  const auto s = static_cast<Status>(pop.status[k]);
  const bool origin = pop.has(i, kImmigrantOrigin), citizen = s == Status::citizen;
  switch (w) {
    case Who::all: return true;
    case Who::undocumented: return s == Status::undocumented;
    case Who::lawful_noncitizen: return s == Status::lawful_noncitizen;
    case Who::immigrant_origin: return origin;
    case Who::citizen_immigrant_origin: return citizen && origin;
    case Who::us_born_immigrant_origin_citizen: return citizen && origin && !pop.has(i, kForeignBorn);
    case Who::naturalised_citizen: return citizen && pop.has(i, kForeignBorn);
    case Who::non_immigrant_origin: return !origin;
    case Who::mixed_status: return pop.has(i, kMixedStatus);
    case Who::citizen_with_undocumented: return citizen && pop.has(i, kLivesWithUndocumented);
    case Who::foreign_born: return pop.has(i, kForeignBorn);
  }
  return false;
}

bool in_set(const Population& pop, ResidentId i, const Target& t) {
  return in_who(pop, i, t.who) && !(t.adults && pop.has(i, kMinor));
}

double nan() { return std::numeric_limits<double>::quiet_NaN(); }

// 0.975 quantile of Student's t with `df` degrees of freedom.
double t975(int df) {
  static const double table[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                 2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086};
  if (df < 1) return nan();
  if (df <= 20) return table[df - 1];
  return 1.96 + 2.4 / df;  // within 0.005 of the exact value beyond 20
}

// The statistics of one replicate of one scenario, for the targets measured on it.
class Observer {
 public:
  Observer(const TargetsFile& tf, const std::string& key, const Scenario& sc, const Simulation& sim)
      : tf_(tf), key_(key), sc_(sc), sim_(sim), pop_(sim.population()) {
    const double v = sc.params.crime.violent_daily_rate, p = sc.params.crime.property_daily_rate;
    share_violent_ = v + p > 0 ? v / (v + p) : 0.5;
    samples_.assign(kCrimeTypes, 0.0);
  }

  // Day-0 statistics, before the first day.
  void start(std::vector<double>& out) {
    const auto& B = sim_.beliefs();
    for (std::size_t t = 0; t < tf_.targets.size(); ++t) {
      const Target& g = tf_.targets[t];
      if (g.scenario != key_) continue;
      double num = 0, den = 0, a = 0, na = 0, b = 0, nb = 0;
      switch (g.statistic) {
        case Statistic::zero_fear_reporting_ratio:
          for (ResidentId i = 0; i < pop_.residents(); ++i) {
            const double pr = mix([&](CrimeType c) { return sim_.propensity(B.start_trust(i), 0.0, c); });
            if (pop_.has(i, kImmigrantOrigin)) {
              a += pr;
              na += 1;
            } else {
              b += pr;
              nb += 1;
            }
          }
          out[t] = na > 0 && nb > 0 && b > 0 ? (a / na) / (b / nb) : nan();
          break;
        case Statistic::starting_belief:
          for (ResidentId i = 0; i < pop_.residents(); ++i)
            if (in_set(pop_, i, g)) {
              num += B.start_belief(i);
              den += 1;
            }
          out[t] = den > 0 ? num / den : nan();
          break;
        case Statistic::population_share:
          for (ResidentId i = 0; i < pop_.residents(); ++i) num += in_set(pop_, i, g);
          out[t] = pop_.residents() > 0 ? num / pop_.residents() : nan();
          break;
        case Statistic::officers_per_1000:
          for (auto o : pop_.officers) num += o;
          out[t] = pop_.residents() > 0 ? 1000.0 * num / pop_.residents() : nan();
          break;
        default: break;
      }
    }
  }

  // After day d: samples of the expected reporting share.
  void day(int d) {
    const int every = tf_.search.sample_every_days;
    if ((d + 1) % every != 0 && d + 1 != sc_.days()) return;
    double sum[kCrimeTypes] = {0, 0}, n = 0;
    for (ResidentId i = 0; i < pop_.residents(); ++i) {
      if (!sim_.is_present(i)) continue;
      n += 1;
      for (int c = 0; c < kCrimeTypes; ++c)
        sum[c] += sim_.reporting_probability_at(i, static_cast<CrimeType>(c), d + 1);
    }
    if (n <= 0) return;
    for (int c = 0; c < kCrimeTypes; ++c) samples_[static_cast<std::size_t>(c)] += sum[c] / n;
    sample_count_ += 1;
  }

  // End-of-run statistics.
  void finish(const RunResult& run, std::vector<double>& out) {
    const int at = sc_.days();
    const auto& B = sim_.beliefs();
    const double tolerance = sc_.params.output.below_baseline_tolerance;
    for (std::size_t t = 0; t < tf_.targets.size(); ++t) {
      const Target& g = tf_.targets[t];
      if (g.scenario != key_) continue;
      double num = 0, den = 0;
      switch (g.statistic) {
        case Statistic::reporting_share:
          out[t] = sample_count_ > 0 ? samples_[static_cast<std::size_t>(g.crime_type)] / sample_count_ : nan();
          break;
        case Statistic::below_baseline_share:
          for (ResidentId i = 0; i < pop_.residents(); ++i) {
            if (!sim_.is_present(i) || !in_set(pop_, i, g)) continue;
            const double now = sim_.propensity(B.trust(i, at), B.fear(i, at), CrimeType::violent);
            const double start = sim_.propensity(
                B.start_trust(i), pop_.exposure[static_cast<std::size_t>(i)] * B.start_belief(i), CrimeType::violent);
            num += now < start - tolerance;
            den += 1;
          }
          out[t] = den > 0 ? num / den : nan();
          break;
        case Statistic::reporting_probability:
        case Statistic::reassurance_gain:
          for (ResidentId i = 0; i < pop_.residents(); ++i) {
            if (!sim_.is_present(i) || !in_set(pop_, i, g)) continue;
            const double with = mix([&](CrimeType c) { return sim_.reporting_probability_at(i, c, at); });
            const double without = mix([&](CrimeType c) { return sim_.reporting_probability_at(i, c, at, false); });
            num += g.statistic == Statistic::reporting_probability ? with : without - with;
            den += 1;
          }
          out[t] = den > 0 ? num / den : nan();
          break;
        case Statistic::clearance_share: {
          double reports = 0, cleared = 0;
          for (int d = 0; d < run.series.days(); ++d)
            for (int j = 0; j < run.series.sizes().jurisdictions; ++j) {
              cleared += run.series.at(SeriesId::cleared, d, {j, g.crime_type});
              for (int grp = 0; grp < kGroups; ++grp)
                reports += run.series.at(SeriesId::reports, d, {j, grp, g.crime_type});
            }
          out[t] = reports > 0 ? cleared / reports : nan();
          break;
        }
        default: break;
      }
    }
  }

 private:
  template <class F>
  double mix(F f) const {
    return share_violent_ * f(CrimeType::violent) + (1 - share_violent_) * f(CrimeType::property);
  }
  const TargetsFile& tf_;
  const std::string& key_;
  const Scenario& sc_;
  const Simulation& sim_;
  const Population& pop_;
  double share_violent_;
  std::vector<double> samples_;
  double sample_count_ = 0;
};

}  // namespace

bool within_band(const Target& t, double value) { return value >= t.low && value <= t.high; }

double loss(const TargetsFile& tf, const std::vector<double>& means) {
  double total = 0;
  for (std::size_t t = 0; t < tf.targets.size(); ++t) {
    const Target& g = tf.targets[t];
    const double v = means[t], h = g.half_width();
    if (!std::isfinite(v)) return std::numeric_limits<double>::infinity();
    const double outside = std::max({0.0, g.low - v, v - g.high}) / h;
    const double off_centre = (v - g.centre()) / h;
    total += outside * outside + tf.search.centre_weight * off_centre * off_centre;
  }
  return total;
}

Measurement evaluate(const TargetsFile& tf, const std::vector<double>& x, std::uint64_t seed, int replicates,
                     const std::atomic<bool>* cancel) {
  // The scenarios with the candidate's values (written exactly: shortest round-trip text).
  std::vector<std::string> sets = tf.city;
  for (std::size_t k = 0; k < x.size() && k < tf.free.size(); ++k)
    sets.push_back(tf.free[k].name + "=" + tf.free[k].spec->format(x[k]));
  std::vector<std::string> keys;
  std::vector<Scenario> scenarios;
  for (const auto& [key, preset] : tf.scenarios) {
    keys.push_back(key);
    scenarios.push_back(load_scenario_text("name: " + key + "\npolicy: " + preset + "\n", "calibration:" + key, sets));
  }
  const std::size_t T = tf.targets.size(), S = scenarios.size(), R = static_cast<std::size_t>(replicates);
  Measurement m;
  m.values.assign(T, std::vector<double>(R, nan()));
  // Each (scenario, replicate) owns its seed and its slots: the same bits for any thread count.
  std::vector<std::vector<double>> out(S * R, std::vector<double>(T, nan()));
  // Cancellation is caught inside each task and rethrown after the loop: an exception
  // leaving a task would cancel the whole task group, and TBB then cuts the nested parallel
  // loops of the other tasks short without an error (half-built cities).
  std::atomic<bool> cancelled{false};
  tbb::parallel_for(std::size_t{0}, S * R, [&](std::size_t task) {
    const std::size_t s = task / R, r = task % R;
    const Scenario& sc = scenarios[s];
    try {
      Simulation sim(sc, replicate_seed(seed, static_cast<int>(r)));
      Observer obs(tf, keys[s], sc, sim);
      obs.start(out[task]);
      RunResult run = sim.run([&](int d) { obs.day(d); }, cancel);
      obs.finish(run, out[task]);
    } catch (const Cancelled&) { cancelled = true; }
  });
  if (cancelled || (cancel && cancel->load())) throw Cancelled();
  for (std::size_t t = 0; t < T; ++t) {
    const Target& g = tf.targets[t];
    for (std::size_t r = 0; r < R; ++r) {
      if (g.statistic == Statistic::contact_asymmetry) {
        const LearningParams& L = scenarios.front().params.learning;
        const double t0 = 0.5;
        m.values[t][r] = (t0 - moved_trust(t0, move_for(Contact::negative, L))) /
                         (moved_trust(t0, move_for(Contact::positive, L)) - t0);
      } else {
        const auto s = static_cast<std::size_t>(std::find(keys.begin(), keys.end(), g.scenario) - keys.begin());
        m.values[t][r] = out[s * R + r][t];
      }
    }
    double mean = 0, var = 0;
    for (double v : m.values[t]) mean += v / static_cast<double>(R);
    for (double v : m.values[t]) var += (v - mean) * (v - mean) / static_cast<double>(R - 1);
    const double half = R > 1 ? t975(static_cast<int>(R) - 1) * std::sqrt(var / static_cast<double>(R)) : nan();
    m.mean.push_back(mean);
    m.ci_low.push_back(mean - half);
    m.ci_high.push_back(mean + half);
  }
  return m;
}

}  // namespace trustsim::calibrate

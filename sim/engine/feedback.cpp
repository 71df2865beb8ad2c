#include "engine/feedback.hpp"

#include <cmath>
#include <limits>
#include <numeric>

namespace trustsim {
namespace {
double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }
}  // namespace

Feedback::Feedback(const Scenario& sc, const Population& pop)
    : keep_(std::pow(0.5, 1.0 / sc.params.crime.feedback_half_life_days)),
      impunity_elasticity_(sc.params.crime.impunity_elasticity),
      targeting_elasticity_(sc.params.crime.targeting_elasticity),
      window_(static_cast<int>(sc.params.output.reporting_window_days)) {
  const auto& c = sc.params.crime;
  const auto& r = sc.params.reporting;
  const double rate = c.violent_daily_rate + c.property_daily_rate;
  const double share_violent = rate > 0 ? c.violent_daily_rate / rate : 0.5;
  // Reporting and clearing at reference trust with no fear: the level the city starts from.
  const double rv = logistic(r.intercept_violent), rp = logistic(r.intercept_property);
  reference_reporting_ = share_violent * rv + (1 - share_violent) * rp;
  reference_cleared_ = share_violent * rv * sc.params.police.clearance_violent + (1 - share_violent) * rp * sc.params.police.clearance_property;

  const auto nn = static_cast<std::size_t>(pop.neighbourhoods());
  victims_avg_.resize(nn);
  for (std::size_t n = 0; n < nn; ++n)
    victims_avg_[n] = rate * (pop.nbhd_end(static_cast<int>(n)) - pop.nbhd_begin(static_cast<int>(n)));
  reports_avg_.resize(nn);
  cleared_avg_.resize(nn);
  for (std::size_t n = 0; n < nn; ++n) {
    reports_avg_[n] = victims_avg_[n] * reference_reporting_;
    cleared_avg_[n] = victims_avg_[n] * reference_cleared_;
  }
  const std::size_t cells = sc.jurisdictions.size() * kGroups;
  group_victims_avg_.assign(cells, 0);
  for (int n = 0; n < pop.neighbourhoods(); ++n)
    for (int g = 0; g < kGroups; ++g)
      group_victims_avg_[jg(pop.jurisdiction_of[nb(n)], g)] += rate * (pop.cell_end(n, g) - pop.cell_begin(n, g));
  group_reports_avg_.resize(cells);
  for (std::size_t k = 0; k < cells; ++k) group_reports_avg_[k] = group_victims_avg_[k] * reference_reporting_;
  today_victims_.assign(nn, 0);
  today_reports_.assign(nn, 0);
  today_cleared_.assign(nn, 0);
  group_victims_.assign(cells, 0);
  group_reports_.assign(cells, 0);
  window_victims_.assign(nn, std::vector<double>(static_cast<std::size_t>(window_), 0));
  window_reports_.assign(nn, std::vector<double>(static_cast<std::size_t>(window_), 0));
}

void Feedback::end_day(int day) {
  auto fold = [this](std::vector<double>& avg, std::vector<double>& today) {
    for (std::size_t k = 0; k < avg.size(); ++k) avg[k] = keep_ * avg[k] + (1 - keep_) * today[k];
  };
  const auto slot = static_cast<std::size_t>(day % window_);
  for (std::size_t n = 0; n < today_victims_.size(); ++n) {
    window_victims_[n][slot] = today_victims_[n];
    window_reports_[n][slot] = today_reports_[n];
  }
  fold(victims_avg_, today_victims_);
  fold(reports_avg_, today_reports_);
  fold(cleared_avg_, today_cleared_);
  fold(group_victims_avg_, group_victims_);
  fold(group_reports_avg_, group_reports_);
  for (auto* v : {&today_victims_, &today_reports_, &today_cleared_, &group_victims_, &group_reports_})
    std::fill(v->begin(), v->end(), 0.0);
}

double Feedback::impunity_multiplier(int n) const {
  if (victims_avg_[nb(n)] <= 0 || reference_cleared_ <= 0) return 1.0;
  const double cleared_share = cleared_avg_[nb(n)] / victims_avg_[nb(n)];
  return std::exp(impunity_elasticity_ * (reference_cleared_ - cleared_share) / reference_cleared_);
}

double Feedback::targeting_multiplier(int j, int g) const {
  const auto k = jg(j, g);
  if (group_victims_avg_[k] <= 0 || reference_reporting_ <= 0) return 1.0;
  const double shortfall = std::max(0.0, reference_reporting_ - group_reports_avg_[k] / group_victims_avg_[k]);
  return std::exp(targeting_elasticity_ * shortfall / reference_reporting_);
}

double Feedback::norm_shift(int n) const {
  if (victims_avg_[nb(n)] <= 0) return 0.0;
  return reports_avg_[nb(n)] / victims_avg_[nb(n)] - reference_reporting_;
}

double Feedback::window_reporting_rate(int n) const {
  const double v = std::accumulate(window_victims_[nb(n)].begin(), window_victims_[nb(n)].end(), 0.0);
  const double r = std::accumulate(window_reports_[nb(n)].begin(), window_reports_[nb(n)].end(), 0.0);
  return v > 0 ? r / v : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace trustsim

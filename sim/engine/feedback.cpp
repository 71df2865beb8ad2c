#include "engine/feedback.hpp"

#include <cmath>
#include <limits>
#include <numeric>

namespace trustsim {
Feedback::Feedback(const Scenario& sc, const Population& pop)
    : keep_(std::pow(0.5, 1.0 / sc.params.crime.feedback_half_life_days)),
      impunity_elasticity_(sc.params.crime.impunity_elasticity),
      targeting_elasticity_(sc.params.crime.targeting_elasticity),
      rate_(sc.params.crime.violent_daily_rate + sc.params.crime.property_daily_rate),
      window_(static_cast<int>(sc.params.output.reporting_window_days)) {
  const auto nn = static_cast<std::size_t>(pop.neighbourhoods());
  victims_avg_.resize(nn);
  for (std::size_t n = 0; n < nn; ++n)
    victims_avg_[n] = rate_ * (pop.nbhd_end(static_cast<int>(n)) - pop.nbhd_begin(static_cast<int>(n)));
  const std::size_t cells = sc.jurisdictions.size() * kGroups;
  group_victims_avg_.assign(cells, 0);
  for (int n = 0; n < pop.neighbourhoods(); ++n)
    for (int g = 0; g < kGroups; ++g)
      group_victims_avg_[jg(pop.jurisdiction_of[nb(n)], g)] += rate_ * (pop.cell_end(n, g) - pop.cell_begin(n, g));
  for (auto* v : {&reports_avg_, &cleared_avg_, &today_victims_, &today_reports_, &today_cleared_}) v->assign(nn, 0);
  for (auto* v : {&group_reports_avg_, &group_victims_, &group_reports_}) v->assign(cells, 0);
  window_victims_.assign(nn, std::vector<double>(static_cast<std::size_t>(window_), 0));
  window_reports_.assign(nn, std::vector<double>(static_cast<std::size_t>(window_), 0));
}

void Feedback::set_start(const std::vector<double>& reported_share, const std::vector<double>& cleared_share) {
  start_reported_ = reported_share;
  start_cleared_ = cleared_share;
  double victims = 0, reports = 0;
  for (std::size_t n = 0; n < victims_avg_.size(); ++n) {
    reports_avg_[n] = victims_avg_[n] * reported_share[n];
    cleared_avg_[n] = victims_avg_[n] * cleared_share[n];
    victims += victims_avg_[n];
    reports += reports_avg_[n];
  }
  reference_reporting_ = victims > 0 ? reports / victims : 0;
  // Groups start at the city's level, so targeting grows only as a group's reporting falls.
  for (std::size_t k = 0; k < group_victims_avg_.size(); ++k)
    group_reports_avg_[k] = group_victims_avg_[k] * reference_reporting_;
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
  const double start = start_cleared_[nb(n)];
  if (victims_avg_[nb(n)] <= 0 || start <= 0) return 1.0;
  const double cleared_share = cleared_avg_[nb(n)] / victims_avg_[nb(n)];
  return std::exp(impunity_elasticity_ * (start - cleared_share) / start);
}

double Feedback::targeting_multiplier(int j, int g) const {
  const auto k = jg(j, g);
  if (group_victims_avg_[k] <= 0 || reference_reporting_ <= 0) return 1.0;
  const double shortfall = std::max(0.0, reference_reporting_ - group_reports_avg_[k] / group_victims_avg_[k]);
  return std::exp(targeting_elasticity_ * shortfall / reference_reporting_);
}

double Feedback::norm_shift(int n) const {
  if (victims_avg_[nb(n)] <= 0) return 0.0;
  return reports_avg_[nb(n)] / victims_avg_[nb(n)] - start_reported_[nb(n)];
}

double Feedback::window_reporting_rate(int n) const {
  const double v = std::accumulate(window_victims_[nb(n)].begin(), window_victims_[nb(n)].end(), 0.0);
  const double r = std::accumulate(window_reports_[nb(n)].begin(), window_reports_[nb(n)].end(), 0.0);
  return v > 0 ? r / v : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace trustsim

#include "engine/feedback.hpp"

#include <algorithm>
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
  // The averages' starting levels come from set_start.
  const auto nn = static_cast<std::size_t>(pop.neighbourhoods());
  const std::size_t cells = sc.jurisdictions.size() * kGroups;
  victims_avg_.assign(nn, 0);
  group_victims_avg_.assign(cells, 0);
  for (auto* v : {&reports_avg_, &cleared_avg_, &today_victims_, &today_reports_, &today_cleared_}) v->assign(nn, 0);
  for (auto* v : {&group_reports_avg_, &group_victims_, &group_reports_}) v->assign(cells, 0);
  window_victims_.assign(nn, std::vector<double>(static_cast<std::size_t>(window_), 0));
  window_reports_.assign(nn, std::vector<double>(static_cast<std::size_t>(window_), 0));
}

void Feedback::set_start(const std::vector<StartCell>& cells, const Population& pop) {
  // The city's starting share (the reference of targeting) and each group's own.
  const std::size_t groups = group_victims_avg_.size();
  std::vector<StartCell> group(groups);
  double residents = 0, reported = 0;
  for (int n = 0; n < pop.neighbourhoods(); ++n)
    for (int g = 0; g < kGroups; ++g) {
      const auto& c = cells[Population::cell_index(n, g)];
      auto& total = group[jg(pop.jurisdiction_of[nb(n)], g)];
      total.residents += c.residents;
      total.reported += c.reported;
      residents += c.residents;
      reported += c.reported;
    }
  reference_reporting_ = residents > 0 ? reported / residents : 0;
  std::vector<double> targeting(groups, 1.0);
  for (std::size_t k = 0; k < groups; ++k) {
    const double share = group[k].residents > 0 ? group[k].reported / group[k].residents : reference_reporting_;
    targeting[k] = targeting_at(share);
    group_victims_avg_[k] = rate_ * targeting[k] * group[k].residents;
    group_reports_avg_[k] = rate_ * targeting[k] * group[k].reported;
  }
  start_reported_.assign(victims_avg_.size(), 0);
  start_cleared_.assign(victims_avg_.size(), 0);
  for (int n = 0; n < pop.neighbourhoods(); ++n) {
    double victims = 0, reports = 0, cleared = 0;
    for (int g = 0; g < kGroups; ++g) {
      const auto& c = cells[Population::cell_index(n, g)];
      const double m = rate_ * targeting[jg(pop.jurisdiction_of[nb(n)], g)];
      victims += m * c.residents;
      reports += m * c.reported;
      cleared += m * c.cleared;
    }
    victims_avg_[nb(n)] = victims;
    reports_avg_[nb(n)] = reports;
    cleared_avg_[nb(n)] = cleared;
    start_reported_[nb(n)] = victims > 0 ? reports / victims : 0;
    start_cleared_[nb(n)] = victims > 0 ? cleared / victims : 0;
  }
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
  if (group_victims_avg_[k] <= 0) return 1.0;
  return targeting_at(group_reports_avg_[k] / group_victims_avg_[k]);
}

double Feedback::targeting_at(double reported_share) const {
  if (reference_reporting_ <= 0) return 1.0;
  const double shortfall = std::max(0.0, reference_reporting_ - reported_share);
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

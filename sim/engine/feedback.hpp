// Slow community-level signals: local impunity, offender targeting of groups that
// under-report, and the neighbourhood reporting norm (moving averages of daily counts).
#pragma once

#include <array>
#include <vector>

#include "population/population.hpp"

namespace trustsim {

// One (neighbourhood, group) cell at the start: its residents, and the sums of their
// probabilities that a victimisation of theirs is reported, and reported and cleared.
struct StartCell {
  double residents = 0, reported = 0, cleared = 0;
};

class Feedback {
 public:
  Feedback(const Scenario& sc, const Population& pop);
  // The starting levels, per (neighbourhood, group) cell (neighbourhood-major). The averages
  // start where the first day leaves them, so a city whose residents keep their starting
  // trust and fear stays in equilibrium: each group's reporting share is its own expected
  // share, its victimisations include the targeting that share draws on day 0, and each
  // neighbourhood's shares are its groups' weighted by those victimisations.
  void set_start(const std::vector<StartCell>& cells, const Population& pop);

  // Counting during the day.
  void victimised(int neighbourhood, int jurisdiction, int group) {
    ++today_victims_[nb(neighbourhood)];
    ++group_victims_[jg(jurisdiction, group)];
  }
  void reported(int neighbourhood, int jurisdiction, int group) {
    ++today_reports_[nb(neighbourhood)];
    ++group_reports_[jg(jurisdiction, group)];
  }
  void cleared(int neighbourhood) { ++today_cleared_[nb(neighbourhood)]; }
  // Folds today's counts into the moving averages and the snapshot window.
  void end_day(int day);

  double impunity_multiplier(int neighbourhood) const;
  double targeting_multiplier(int jurisdiction, int group) const;
  // Targeting of a group whose share of victimisations reported is `reported_share`.
  double targeting_at(double reported_share) const;
  double norm_shift(int neighbourhood) const;             // local reporting norm minus its starting level
  double window_reporting_rate(int neighbourhood) const;  // over the snapshot window (NaN if no crime)

 private:
  static std::size_t nb(int n) { return static_cast<std::size_t>(n); }
  std::size_t jg(int j, int g) const { return static_cast<std::size_t>(j) * kGroups + static_cast<std::size_t>(g); }

  double keep_;  // weight of yesterday's average
  double impunity_elasticity_, targeting_elasticity_;
  double rate_;                                                  // victimisations per resident-day at baseline
  double reference_reporting_ = 0;                               // city-wide starting reporting share
  std::vector<double> start_reported_, start_cleared_;           // per neighbourhood
  std::vector<double> victims_avg_, reports_avg_, cleared_avg_;  // per neighbourhood
  std::vector<double> group_victims_avg_, group_reports_avg_;    // per (jurisdiction, group)
  std::vector<double> today_victims_, today_reports_, today_cleared_, group_victims_, group_reports_;
  int window_;
  std::vector<std::vector<double>> window_victims_, window_reports_;  // ring buffers per neighbourhood
};

}  // namespace trustsim

// Phase 9: the day's metrics, and neighbourhood snapshots.
#include <array>
#include <limits>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>

#include "engine/quantiles.hpp"
#include "engine/simulation.hpp"

namespace trustsim {
void Simulation::record_metrics() {
  auto& S = result_.series;
  const int J = static_cast<int>(policy_.size());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int j = 0; j < J; ++j) {
    S.at(SeriesId::officer_hours, day_, {j, idx(Task::patrol)}) = patrol_hours_[static_cast<std::size_t>(j)];
    S.at(SeriesId::officer_hours, day_, {j, idx(Task::investigation)}) =
        investigation_hours_[static_cast<std::size_t>(j)];
    S.at(SeriesId::officer_hours, day_, {j, idx(Task::immigration)}) = immigration_hours_[static_cast<std::size_t>(j)];
    for (int p = 0; p < kPathways; ++p)
      S.at(SeriesId::ice_hours, day_, {j, p}) = ice_.hours_spent(j, static_cast<Pathway>(p));
    S.at(SeriesId::ice_budget_hours, day_, {j}) = ice_.budget(j);
    // Means from the exact group sums (groups 0-3, then the overlays: every member of a
    // mixed-status household, and the citizens among them, groups 0 and 1).
    auto in_output_group = [](int g, int gg, int mixed) {
      if (g < kGroups) return gg == g;
      if (g == kMixedStatusGroup) return mixed == 1;
      return mixed == 1 && gg <= idx(Group::citizen_immigrant_origin);
    };
    for (int g = 0; g < kGroupsWithOverlay; ++g) {
      CellSums total;
      for (int gg = 0; gg < kGroups; ++gg)
        for (int mixed = 0; mixed < 2; ++mixed) {
          if (!in_output_group(g, gg, mixed)) continue;
          const auto& c = beliefs_.cell(j, gg, mixed);
          total.count += c.count;
          total.trust += c.trust;
          total.belief += c.belief;
          total.fear += c.fear;
        }
      const double n = std::round(total.count);
      S.at(SeriesId::population, day_, {j, g}) = n;
      S.at(SeriesId::trust_mean, day_, {j, g}) = n > 0 ? total.trust / n : nan;
      S.at(SeriesId::belief_mean, day_, {j, g}) = n > 0 ? total.belief / n : nan;
      S.at(SeriesId::fear_mean, day_, {j, g}) = n > 0 ? total.fear / n : nan;
    }
  }

  // The panel, brought to the end of the day: quantiles and the below-baseline share. Each
  // member's values are computed on their own (in parallel within and across cells), then
  // gathered in member order: the same bits on any thread count.
  const int end_of_day = day_ + 1;
  constexpr std::uint8_t kAbsent = 2;
  // Stored as of today, so that no read replays more than a day of broadcasts (each member once: cells overlap).
  tbb::parallel_for(std::size_t{0}, panel_residents_.size(),
                    [&](std::size_t k) { beliefs_.refresh(panel_residents_[k], end_of_day); });
  tbb::parallel_for(std::size_t{0}, panel_.size(), std::size_t{1}, [&](std::size_t c) {
    auto& cell = panel_[c];
    const std::size_t m = cell.members.size();
    cell.trust.resize(m);
    cell.fear.resize(m);
    cell.propensity.resize(m);
    cell.state.resize(m);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, m, 128), [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t k = r.begin(); k < r.end(); ++k) {
        const ResidentId i = cell.members[k];
        if (!present(i)) {
          cell.state[k] = kAbsent;
          continue;
        }
        const auto [t, f] = beliefs_.trust_and_fear(i, end_of_day);
        cell.trust[k] = t;
        cell.fear[k] = f;
        cell.propensity[k] = propensity_from(t, f, CrimeType::violent);
        cell.state[k] = cell.propensity[k] < cell.baseline[k] - P_.output.below_baseline_tolerance;
      }
    });
    std::size_t present_count = 0, below = 0;
    double propensity = 0;  // summed in member order: the same bits on any thread count
    for (std::size_t k = 0; k < m; ++k) {
      if (cell.state[k] == kAbsent) continue;
      cell.trust[present_count] = cell.trust[k];
      cell.fear[present_count] = cell.fear[k];
      below += cell.state[k];
      propensity += cell.propensity[k];
      ++present_count;
    }
    cell.trust.resize(present_count);
    cell.fear.resize(present_count);
    const int j = static_cast<int>(c) / kGroupsWithOverlay, g = static_cast<int>(c) % kGroupsWithOverlay;
    std::array<double, kQuantiles.size()> trust_q, fear_q;
    tbb::parallel_invoke([&] { trust_q = quantiles_of(cell.trust); }, [&] { fear_q = quantiles_of(cell.fear); });
    for (std::size_t q = 0; q < kQuantiles.size(); ++q) {
      S.at(SeriesId::trust_quantiles, day_, {j, g, static_cast<int>(q)}) = trust_q[q];
      S.at(SeriesId::fear_quantiles, day_, {j, g, static_cast<int>(q)}) = fear_q[q];
    }
    S.at(SeriesId::below_baseline_share, day_, {j, g}) =
        present_count == 0 ? nan : static_cast<double>(below) / static_cast<double>(present_count);
    S.at(SeriesId::reporting_propensity, day_, {j, g}) =
        present_count == 0 ? nan : propensity / static_cast<double>(present_count);
  });

  if ((day_ + 1) % P_.output.snapshot_every_days == 0 || day_ + 1 == sc_.days()) take_snapshot();
}

void Simulation::take_snapshot() {
  const int end_of_day = day_ + 1;
  // Everyone brought up to date; this also re-derives the group sums exactly.
  beliefs_.materialise_all(end_of_day, presence_);
  auto& snap = result_.snapshots;
  snap.days.push_back(day_);
  const auto nn = static_cast<std::size_t>(pop_.neighbourhoods());
  const std::size_t at = snap.trust_mean.size();
  for (auto* v : {&snap.trust_mean, &snap.fear_mean, &snap.reporting_rate}) v->resize(at + nn);
  tbb::parallel_for(std::size_t{0}, nn, [&](std::size_t n) {
    double count = 0, t = 0, f = 0;
    for (auto i = pop_.nbhd_begin(static_cast<int>(n)); i < pop_.nbhd_end(static_cast<int>(n)); ++i) {
      if (!present(i)) continue;
      count += 1;
      const auto v = beliefs_.trust_and_fear(i, end_of_day);
      t += v.trust;
      f += v.fear;
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    snap.trust_mean[at + n] = count > 0 ? t / count : nan;
    snap.fear_mean[at + n] = count > 0 ? f / count : nan;
    snap.reporting_rate[at + n] = feedback_.window_reporting_rate(static_cast<int>(n));
  });
}

}  // namespace trustsim

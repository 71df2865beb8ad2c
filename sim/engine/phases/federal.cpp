// Phase 6: federal activity. ICE's at-large arrests (by priority, with collateral arrests)
// and joint operations with local police, visible or covert.
#include <cmath>

#include "engine/simulation.hpp"

namespace trustsim {
namespace {
constexpr double kDaysPerMonth = 365.25 / 12;
}

void Simulation::federal_enforcement(DayEvents& today) {
  const auto& ice = P_.ice;
  // At-large arrests: a record class by priority weight x pool size, then a person in it.
  const double weight[kRecords] = {ice.priority_weight_none, ice.priority_weight_nonviolent,
                                   ice.priority_weight_violent};
  const auto arrests = rng_.poisson(pop_.ice_agents * ice.at_large_per_agent_day, Stream::at_large, uday(), 0);
  for (std::uint32_t a = 0; a < arrests; ++a) {
    double total = 0;
    for (int r = 0; r < kRecords; ++r)
      total += weight[r] * static_cast<double>(at_large_pool_[static_cast<std::size_t>(r)].size());
    if (total <= 0) break;
    double u = rng_.uniform(Stream::at_large_pick, uday(), a, 0) * total;
    int r = 0;
    while (r < kRecords - 1 &&
           u >= weight[r] * static_cast<double>(at_large_pool_[static_cast<std::size_t>(r)].size())) {
      u -= weight[r] * static_cast<double>(at_large_pool_[static_cast<std::size_t>(r)].size());
      ++r;
    }
    const auto& pool = at_large_pool_[static_cast<std::size_t>(r)];
    if (pool.empty()) continue;
    const ResidentId target = pool[rng_.below(pool.size(), Stream::at_large_pick, uday(), a, 1)];
    detain(target, Pathway::at_large, today);
    // Collateral: other undocumented adults found at home.
    const auto hh = static_cast<std::size_t>(pop_.household[static_cast<std::size_t>(target)]);
    for (auto m = pop_.household_start[hh]; m < pop_.household_start[hh + 1]; ++m) {
      const ResidentId other = pop_.household_members[static_cast<std::size_t>(m)];
      if (other != target && present(other) && !pop_.has(other, kMinor) &&
          pop_.status[static_cast<std::size_t>(other)] == static_cast<std::uint8_t>(Status::undocumented) &&
          rng_.bernoulli(ice.collateral_prob, Stream::collateral, uday(), static_cast<std::uint64_t>(other)))
        detain(other, Pathway::collateral, today);
    }
  }

  // Joint operations in each jurisdiction, at the rates its policy sets.
  for (std::size_t j = 0; j < policy_.size(); ++j) {
    for (int covert = 0; covert < 2; ++covert) {
      const double per_month = covert ? policy_[j].covert_operations_per_month : policy_[j].joint_operations_per_month;
      const Stream stream = covert ? Stream::covert_operation : Stream::joint_operation;
      const auto ops = rng_.poisson(per_month / kDaysPerMonth, stream, uday(), j);
      for (std::uint32_t op = 0; op < ops; ++op) {
        // The site: a neighbourhood of the jurisdiction, in proportion to its undocumented residents.
        double total = 0;
        for (int n = 0; n < pop_.neighbourhoods(); ++n)
          if (pop_.jurisdiction_of[static_cast<std::size_t>(n)] == static_cast<int>(j))
            total += present_in_cell_[Population::cell_index(n, idx(Group::undocumented))];
        if (total <= 0) break;
        double u = rng_.uniform(stream, uday(), j, 1 + op) * total;
        int site = -1;
        for (int n = 0; n < pop_.neighbourhoods() && site < 0; ++n) {
          if (pop_.jurisdiction_of[static_cast<std::size_t>(n)] != static_cast<int>(j)) continue;
          u -= present_in_cell_[Population::cell_index(n, idx(Group::undocumented))];
          if (u < 0) site = n;
        }
        if (site >= 0)
          run_operation(static_cast<int>(j), site, covert,
                        (static_cast<std::uint64_t>(j) << 32) | (op * 2u + static_cast<std::uint32_t>(covert)), today);
      }
    }
  }
}

void Simulation::run_operation(int jurisdiction, int site, bool covert, std::uint64_t entity, DayEvents& today) {
  result_.series.add(SeriesId::joint_operations, day_, {jurisdiction, covert ? 1 : 0});
  immigration_hours_[static_cast<std::size_t>(jurisdiction)] += P_.police.hours_per_joint_operation;
  const Stream stream = covert ? Stream::covert_operation : Stream::joint_operation;
  const auto arrests = rng_.poisson(P_.ice.joint_operation_arrests, stream, uday(), entity ^ 0xABCDEF0000000000ull);
  for (std::uint32_t a = 0; a < arrests; ++a)
    if (ResidentId i = pick_present(site, idx(Group::undocumented), kGroups, stream, entity, 1000 + a, true); i >= 0)
      detain(i, Pathway::joint_operation, today);
  // The whole neighbourhood sees local police beside federal agents, told of ICE's role or not.
  today.operation_sites.push_back(site);
}

}  // namespace trustsim

// Phase 6: federal activity. Joint and covert operations with local police at the rates each
// jurisdiction's policy sets (per 100,000 residents), then ICE's at-large arrests with the
// agent-hours left (engine/actors/ice.hpp), with collateral arrests of others found there.
#include <cmath>

#include "engine/simulation.hpp"

namespace trustsim {
namespace {
constexpr double kDaysPerMonth = 365.25 / 12;
}

void Simulation::federal_enforcement(DayEvents& today) {
  const auto& ice = P_.ice;
  for (std::size_t j = 0; j < policy_.size(); ++j) {
    for (int covert = 0; covert < 2; ++covert) {
      const double per_100k_month =
          covert ? policy_[j].covert_operations_per_100k_month : policy_[j].joint_operations_per_100k_month;
      const Stream stream = covert ? Stream::covert_operation : Stream::joint_operation;
      const auto ops = rng_.poisson(per_100k_month * residents_[j] / 1e5 / kDaysPerMonth, stream, uday(), j);
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

  // At-large arrests with what is left of each jurisdiction's hours.
  for (int j = 0; j < static_cast<int>(policy_.size()); ++j) {
    ice_.pick_at_large(j, uday(), rng_, at_large_targets_);
    for (const ResidentId target : at_large_targets_) {
      detain(target, Pathway::at_large, Charge::none, today);
      // Collateral: other undocumented adults found at home.
      const auto hh = static_cast<std::size_t>(pop_.household[static_cast<std::size_t>(target)]);
      for (auto m = pop_.household_start[hh]; m < pop_.household_start[hh + 1]; ++m) {
        const ResidentId other = pop_.household_members[static_cast<std::size_t>(m)];
        if (other != target && present(other) && !pop_.has(other, kMinor) &&
            !case_pending_[static_cast<std::size_t>(other)] &&
            pop_.status[static_cast<std::size_t>(other)] == static_cast<std::uint8_t>(Status::undocumented) &&
            rng_.bernoulli(ice.collateral_prob, Stream::collateral, uday(), static_cast<std::uint64_t>(other)))
          detain(other, Pathway::collateral, Charge::none, today);
      }
    }
  }
}

// An operation arrests undocumented adults at the site and is seen by the residents around it
// (a fixed number per operation, so the share of a city that sees operations does not depend
// on its size or on how it is cut into neighbourhoods), told of ICE's role or not.
void Simulation::run_operation(int jurisdiction, int site, bool covert, std::uint64_t entity, DayEvents& today) {
  result_.series.add(SeriesId::joint_operations, day_, {jurisdiction, covert ? 1 : 0});
  immigration_hours_[static_cast<std::size_t>(jurisdiction)] += P_.police.hours_per_joint_operation;
  ice_.spend(jurisdiction, Pathway::joint_operation, P_.ice.hours_per_operation);
  const Stream stream = covert ? Stream::covert_operation : Stream::joint_operation;
  const auto arrests = rng_.poisson(P_.ice.joint_operation_arrests, stream, uday(), entity ^ 0xABCDEF0000000000ull);
  for (std::uint32_t a = 0; a < arrests; ++a)
    if (ResidentId i = pick_present(site, idx(Group::undocumented), kGroups, stream, entity, 1000 + a, true);
        i >= 0 && !case_pending_[static_cast<std::size_t>(i)])
      detain(i, Pathway::joint_operation, Charge::none, today);
  const auto witnesses = static_cast<std::uint32_t>(P_.ice.operation_witnesses);
  if (witnesses >= static_cast<std::uint32_t>(pop_.nbhd_end(site) - pop_.nbhd_begin(site))) {
    for (auto i = pop_.nbhd_begin(site); i < pop_.nbhd_end(site); ++i)
      if (present(i)) today.operation_witnesses.push_back(i);
    return;
  }
  for (std::uint32_t w = 0; w < witnesses; ++w)
    if (ResidentId i = pick_present(site, 0, kGroups, stream, entity, 100000 + w, false); i >= 0)
      today.operation_witnesses.push_back(i);
}

}  // namespace trustsim

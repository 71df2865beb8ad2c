// Population synthesis, part 1: households, members, neighbourhoods and the sorted resident layout.
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "population/build_steps.hpp"

namespace trustsim {
namespace {

enum class HouseholdKind : std::uint8_t { native, documented_immigrant, undocumented_headed };

struct HouseholdDraw {
  HouseholdKind kind;
  std::int32_t size;
};

HouseholdDraw draw_household(const PopulationParams& p, const Rng& rng, std::int64_t h) {
  double u = rng.uniform(Stream::household, 0, static_cast<std::uint64_t>(h), 0);
  HouseholdKind kind = u < p.undocumented_household_share ? HouseholdKind::undocumented_headed
                       : u < p.undocumented_household_share + p.immigrant_household_share
                           ? HouseholdKind::documented_immigrant
                           : HouseholdKind::native;
  double extra = kind == HouseholdKind::native                 ? p.native_extra_members
                 : kind == HouseholdKind::documented_immigrant ? p.immigrant_extra_members
                                                               : p.undocumented_extra_members;
  auto k = rng.poisson(extra, Stream::household, 0, static_cast<std::uint64_t>(h), 1);
  return {kind, static_cast<std::int32_t>(1 + std::min<std::uint64_t>(k, 30))};
}

struct MemberDraw {
  Status status;
  bool minor, foreign_born;
};

MemberDraw draw_member(const PopulationParams& p, const Rng& rng, HouseholdKind kind, std::int64_t h, int k) {
  const auto e = static_cast<std::uint64_t>(h);
  const auto idx = static_cast<std::uint32_t>(8 + 4 * k);
  bool head = k == 0;
  bool minor = !head && rng.bernoulli(p.minor_share_of_members, Stream::household, 0, e, idx);
  double u = rng.uniform(Stream::household, 0, e, idx + 1);
  switch (kind) {
    case HouseholdKind::native: return {Status::citizen, minor, false};
    case HouseholdKind::undocumented_headed:
      if (head || u < p.undocumented_member_undocumented_share) return {Status::undocumented, minor, true};
      if (u < p.undocumented_member_undocumented_share + p.undocumented_member_lawful_share)
        return {Status::lawful_noncitizen, minor, true};
      return {Status::citizen, minor, false};  // US-born
    case HouseholdKind::documented_immigrant:
      if (head) return {u < p.naturalised_head_share ? Status::citizen : Status::lawful_noncitizen, false, true};
      if (u < p.immigrant_member_lawful_share) return {Status::lawful_noncitizen, minor, true};
      if (u < p.immigrant_member_lawful_share + p.immigrant_member_naturalised_share)
        return {Status::citizen, minor, true};
      return {Status::citizen, minor, false};
  }
  return {Status::citizen, minor, false};
}

}  // namespace

void lay_out_neighbourhoods(const Scenario& sc, Population& pop) {
  const int n = static_cast<int>(sc.params.population.neighbourhoods);
  const int cols = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
  pop.jurisdiction_of.assign(static_cast<std::size_t>(n), 0);
  pop.x.resize(static_cast<std::size_t>(n));
  pop.y.resize(static_cast<std::size_t>(n));
  // Jurisdictions take contiguous runs of neighbourhoods (largest remainder, at least one each).
  double cumulative = 0;
  int start = 0;
  const int jn = static_cast<int>(sc.jurisdictions.size());
  for (int j = 0; j < jn; ++j) {
    cumulative += sc.jurisdictions[static_cast<std::size_t>(j)].neighbourhood_share;
    int end = j == jn - 1 ? n : std::clamp(static_cast<int>(std::lround(cumulative * n)), start + 1, n - (jn - 1 - j));
    for (int k = start; k < end; ++k) pop.jurisdiction_of[static_cast<std::size_t>(k)] = j;
    start = end;
  }
  for (int k = 0; k < n; ++k) {
    const int column = k % cols, row = k / cols;  // the square grid, row by row
    pop.x[static_cast<std::size_t>(k)] = static_cast<float>(column);
    pop.y[static_cast<std::size_t>(k)] = static_cast<float>(row);
  }
}

void synthesise_residents(const Scenario& sc, const Rng& rng, Population& pop) {
  const auto& p = sc.params.population;
  const std::int64_t target = p.residents;
  const int n_nbhd = pop.neighbourhoods();

  // Household draws are keyed by household index, so we can over-draw in parallel and cut.
  std::vector<HouseholdDraw> draws;
  std::vector<std::int64_t> first;  // first provisional resident id of each household
  std::int64_t capacity = target / 2 + 16;
  for (;;) {
    draws.resize(static_cast<std::size_t>(capacity));
    tbb::parallel_for(std::int64_t{0}, capacity,
                      [&](std::int64_t h) { draws[static_cast<std::size_t>(h)] = draw_household(p, rng, h); });
    first.assign(static_cast<std::size_t>(capacity) + 1, 0);
    for (std::int64_t h = 0; h < capacity; ++h)
      first[static_cast<std::size_t>(h + 1)] =
          first[static_cast<std::size_t>(h)] + draws[static_cast<std::size_t>(h)].size;
    if (first.back() >= target) break;
    capacity *= 2;
  }
  std::int64_t households = std::upper_bound(first.begin(), first.end(), target - 1) - first.begin();
  draws.resize(static_cast<std::size_t>(households));
  first.resize(static_cast<std::size_t>(households) + 1);
  draws.back().size -= static_cast<std::int32_t>(first.back() - target);  // the last household is cut to fit
  first.back() = target;

  // Immigrant households concentrate in attractive neighbourhoods (log-normal attraction).
  std::vector<double> native_cdf(static_cast<std::size_t>(n_nbhd)), immigrant_cdf(static_cast<std::size_t>(n_nbhd));
  double acc_native = 0, acc_imm = 0;
  for (int k = 0; k < n_nbhd; ++k) {
    double z = rng.normal(Stream::neighbourhood, 0, static_cast<std::uint64_t>(k));
    acc_native += 1.0;
    acc_imm += std::exp(p.segregation * z);
    native_cdf[static_cast<std::size_t>(k)] = acc_native;
    immigrant_cdf[static_cast<std::size_t>(k)] = acc_imm;
  }

  const auto N = static_cast<std::size_t>(target);
  std::vector<std::int32_t> hh_nbhd(static_cast<std::size_t>(households));
  std::vector<std::uint8_t> status(N), flags(N);
  tbb::parallel_for(std::int64_t{0}, households, [&](std::int64_t h) {
    const auto& d = draws[static_cast<std::size_t>(h)];
    const auto& cdf = d.kind == HouseholdKind::native ? native_cdf : immigrant_cdf;
    double u = rng.uniform(Stream::household, 0, static_cast<std::uint64_t>(h), 2) * cdf.back();
    hh_nbhd[static_cast<std::size_t>(h)] = static_cast<std::int32_t>(
        std::min<std::ptrdiff_t>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin(), n_nbhd - 1));
    bool any_undoc = false, any_doc = false;
    const auto base = static_cast<std::size_t>(first[static_cast<std::size_t>(h)]);
    for (int k = 0; k < d.size; ++k) {
      auto m = draw_member(p, rng, d.kind, h, k);
      status[base + static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(m.status);
      std::uint8_t f = (m.minor ? kMinor : 0) | (m.foreign_born ? kForeignBorn : 0) |
                       (d.kind != HouseholdKind::native ? kImmigrantOrigin : 0);
      flags[base + static_cast<std::size_t>(k)] = f;
      (m.status == Status::undocumented ? any_undoc : any_doc) = true;
    }
    for (int k = 0; k < d.size; ++k) {
      auto& f = flags[base + static_cast<std::size_t>(k)];
      if (any_undoc && any_doc) f |= kMixedStatus;
      if (any_undoc && status[base + static_cast<std::size_t>(k)] != static_cast<std::uint8_t>(Status::undocumented))
        f |= kLivesWithUndocumented;
    }
  });

  // Counting sort of provisional residents by (neighbourhood, group): each cell becomes a range.
  auto group_of = [&](std::size_t r) -> int {
    auto s = static_cast<Status>(status[r]);
    if (s == Status::undocumented) return idx(Group::undocumented);
    if (s == Status::lawful_noncitizen) return idx(Group::lawful_noncitizen);
    return (flags[r] & kImmigrantOrigin) ? idx(Group::citizen_immigrant_origin) : idx(Group::citizen_non_immigrant);
  };
  pop.cell_start.assign(static_cast<std::size_t>(n_nbhd) * kGroups + 1, 0);
  std::vector<std::int32_t> cell_of(N);
  for (std::int64_t h = 0; h < households; ++h)
    for (auto r = static_cast<std::size_t>(first[static_cast<std::size_t>(h)]);
         r < static_cast<std::size_t>(first[static_cast<std::size_t>(h + 1)]); ++r) {
      cell_of[r] = hh_nbhd[static_cast<std::size_t>(h)] * kGroups + group_of(r);
      ++pop.cell_start[static_cast<std::size_t>(cell_of[r]) + 1];
    }
  std::partial_sum(pop.cell_start.begin(), pop.cell_start.end(), pop.cell_start.begin());
  std::vector<std::int32_t> cursor(pop.cell_start.begin(), pop.cell_start.end() - 1), final_id(N);
  for (std::size_t r = 0; r < N; ++r) final_id[r] = cursor[static_cast<std::size_t>(cell_of[r])]++;

  pop.household.resize(N);
  pop.neighbourhood.resize(N);
  pop.group.resize(N);
  pop.status.resize(N);
  pop.flags.resize(N);
  pop.household_start.assign(first.begin(), first.end());
  pop.household_members.resize(N);
  tbb::parallel_for(std::int64_t{0}, households, [&](std::int64_t h) {
    for (auto r = static_cast<std::size_t>(first[static_cast<std::size_t>(h)]);
         r < static_cast<std::size_t>(first[static_cast<std::size_t>(h + 1)]); ++r) {
      auto i = static_cast<std::size_t>(final_id[r]);
      pop.household[i] = static_cast<std::int32_t>(h);
      pop.neighbourhood[i] = hh_nbhd[static_cast<std::size_t>(h)];
      pop.group[i] = static_cast<std::uint8_t>(cell_of[r] % kGroups);
      pop.status[i] = status[r];
      pop.flags[i] = flags[r];
      pop.household_members[r] = final_id[r];
    }
  });
}

}  // namespace trustsim

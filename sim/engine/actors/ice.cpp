#include "engine/actors/ice.hpp"

#include <cmath>

namespace trustsim {

IceOffice::IceOffice(const Params& params, const Population& pop, int jurisdictions)
    : ice_(params.ice), pop_(pop), memory_(std::pow(0.5, 1.0 / 30.0)) {
  const auto J = static_cast<std::size_t>(jurisdictions);
  agents_.assign(J, 0.0);
  for (int n = 0; n < pop.neighbourhoods(); ++n)
    agents_[static_cast<std::size_t>(pop.jurisdiction_of[static_cast<std::size_t>(n)])] +=
        ice_.agents_per_100k * (pop.nbhd_end(n) - pop.nbhd_begin(n)) / 1e5;
  for (auto* v : {&budget_, &issued_today_, &declined_today_, &issued_avg_, &declined_avg_}) v->assign(J, 0.0);
  spent_.assign(J, {});
  wanted_.resize(J);
  pool_.resize(J);
  pool_position_.assign(static_cast<std::size_t>(pop.residents()), -1);
  wanted_flag_.assign(static_cast<std::size_t>(pop.residents()), 0);
}

void IceOffice::enter_pool(ResidentId i) {
  const auto k = static_cast<std::size_t>(i);
  if (pool_position_[k] >= 0 || pop_.status[k] != static_cast<std::uint8_t>(Status::undocumented) ||
      (pop_.flags[k] & kMinor))
    return;
  auto& pool = pool_[static_cast<std::size_t>(pop_.jurisdiction(i))][pop_.record[k]];
  pool_position_[k] = static_cast<std::int32_t>(pool.size());
  pool.push_back(i);
}

void IceOffice::leave_pool(ResidentId i) {
  const auto k = static_cast<std::size_t>(i);
  if (pool_position_[k] < 0) return;
  auto& pool = pool_[static_cast<std::size_t>(pop_.jurisdiction(i))][pop_.record[k]];  // swap-remove
  const ResidentId last = pool.back();
  pool[static_cast<std::size_t>(pool_position_[k])] = last;
  pool_position_[static_cast<std::size_t>(last)] = pool_position_[k];
  pool.pop_back();
  pool_position_[k] = -1;
}

void IceOffice::open_day() {
  for (std::size_t j = 0; j < budget_.size(); ++j) {
    const double declined = issued_avg_[j] > 0 ? declined_avg_[j] / issued_avg_[j] : 0.0;
    budget_[j] =
        agents_[j] * ice_.hours_per_agent_day * ice_.arrest_hours_share * (1.0 + ice_.refusal_surge * declined);
    spent_[j] = {};
    issued_today_[j] = declined_today_[j] = 0;
  }
}

void IceOffice::detainer(int j, ResidentId who, bool declined, bool pursue) {
  const auto jj = static_cast<std::size_t>(j);
  issued_today_[jj] += 1;
  if (!declined) return;
  declined_today_[jj] += 1;
  if (pursue && !wanted_flag_[static_cast<std::size_t>(who)]) {
    wanted_flag_[static_cast<std::size_t>(who)] = 1;
    wanted_[jj].push_back(who);
  }
}

void IceOffice::pick_at_large(int j, std::uint32_t day, const Rng& rng, std::vector<ResidentId>& out) {
  out.clear();
  const auto jj = static_cast<std::size_t>(j);
  double used = 0;
  for (double h : spent_[jj]) used += h;
  const double left = budget_[jj] - used;
  if (left <= 0 || ice_.hours_per_at_large_arrest <= 0) return;
  const auto count =
      rng.poisson(left / ice_.hours_per_at_large_arrest, Stream::at_large, day, static_cast<std::uint64_t>(j));
  const double weight[kRecords] = {ice_.priority_weight_none, ice_.priority_weight_nonviolent,
                                   ice_.priority_weight_violent};
  auto& pools = pool_[jj];
  for (std::uint32_t a = 0; a < count; ++a) {
    ResidentId target = -1;
    // Wanted persons first: skip those no longer at large (detained, removed, or with an open case).
    while (target < 0 && !wanted_[jj].empty()) {
      const ResidentId w = wanted_[jj].front();
      wanted_[jj].pop_front();
      wanted_flag_[static_cast<std::size_t>(w)] = 0;
      if (pool_position_[static_cast<std::size_t>(w)] >= 0) target = w;
    }
    if (target < 0) {  // then a record class by priority weight x pool size, and a person in it
      double total = 0;
      for (int r = 0; r < kRecords; ++r)
        total += weight[r] * static_cast<double>(pools[static_cast<std::size_t>(r)].size());
      if (total <= 0) break;
      double u = rng.uniform(Stream::at_large_pick, day, (static_cast<std::uint64_t>(j) << 32) | a, 0) * total;
      int r = 0;
      while (r < kRecords - 1 && u >= weight[r] * static_cast<double>(pools[static_cast<std::size_t>(r)].size())) {
        u -= weight[r] * static_cast<double>(pools[static_cast<std::size_t>(r)].size());
        ++r;
      }
      const auto& pool = pools[static_cast<std::size_t>(r)];
      if (pool.empty()) continue;
      target = pool[rng.below(pool.size(), Stream::at_large_pick, day, (static_cast<std::uint64_t>(j) << 32) | a, 1)];
    }
    leave_pool(target);  // picked once today at most
    out.push_back(target);
    spend(j, Pathway::at_large, ice_.hours_per_at_large_arrest);
  }
}

void IceOffice::close_day() {
  for (std::size_t j = 0; j < budget_.size(); ++j) {
    issued_avg_[j] = memory_ * issued_avg_[j] + (1 - memory_) * issued_today_[j];
    declined_avg_[j] = memory_ * declined_avg_[j] + (1 - memory_) * declined_today_[j];
  }
}

}  // namespace trustsim

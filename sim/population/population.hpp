// The synthetic city: residents, households, neighbourhoods, ties, officers.
// Structure of arrays; residents are sorted by (neighbourhood, group), so every
// (neighbourhood, group) cell is a contiguous range of resident ids.
#pragma once

#include <Eigen/SparseCore>

#include <cstdint>
#include <vector>

#include "core/rng.hpp"
#include "core/types.hpp"
#include "core/uninit_vector.hpp"
#include "scenario/scenario.hpp"

namespace trustsim {

using ResidentId = std::int32_t;

enum ResidentFlag : std::uint8_t {
  kMixedStatus = 1,            // household holds undocumented and documented members
  kMinor = 2,                  // never stopped, arrested or an offender; counted in children affected
  kLivesWithUndocumented = 4,  // documented member of a household with an undocumented person
  kForeignBorn = 8,
  kImmigrantOrigin = 16,
};

// Social ties: a symmetric sparse matrix in compressed-row form (Eigen's layout);
// row i holds i's ties and their weights.
struct TieGraph {
  UninitVector<std::int32_t> row_start;  // size residents + 1
  UninitVector<std::int32_t> column;
  UninitVector<float> weight;
  using Matrix = Eigen::Map<const Eigen::SparseMatrix<float, Eigen::RowMajor, std::int32_t>>;
  Matrix matrix() const {
    const auto n = static_cast<Eigen::Index>(row_start.size() - 1);
    return Matrix(n, n, static_cast<Eigen::Index>(column.size()), row_start.data(), column.data(), weight.data());
  }
};

struct Population {
  // Residents
  std::vector<std::int32_t> household;
  std::vector<std::int32_t> neighbourhood;
  std::vector<std::uint8_t> group;   // Group
  std::vector<std::uint8_t> status;  // Status
  std::vector<std::uint8_t> record;  // Record
  std::vector<std::uint8_t> flags;   // ResidentFlag bits
  std::vector<float> exposure;       // e_i of MODEL.md
  std::vector<float> propensity;     // relative offending propensity (0 for minors)

  // Households: members of household h are household_members[household_start[h] .. household_start[h+1])
  std::vector<std::int32_t> household_start;
  std::vector<ResidentId> household_members;

  // Neighbourhoods
  std::vector<std::int32_t> jurisdiction_of;  // per neighbourhood
  std::vector<float> x, y;                    // grid position
  std::vector<std::int32_t> cell_start;       // (n, g) range: [cell_start[n*4+g], cell_start[n*4+g+1])
  std::vector<std::int32_t> officers;         // local officers assigned per neighbourhood

  // Offender draws: one alias table per neighbourhood over its residents, weighted by propensity
  std::vector<float> alias_prob;
  std::vector<std::int32_t> alias_other;

  TieGraph ties;

  std::int32_t residents() const { return static_cast<std::int32_t>(group.size()); }
  std::int32_t households() const { return static_cast<std::int32_t>(household_start.size() - 1); }
  std::int32_t neighbourhoods() const { return static_cast<std::int32_t>(jurisdiction_of.size()); }
  // Index of cell (neighbourhood n, group g); widened before multiplying.
  static std::size_t cell_index(int n, int g) {
    return static_cast<std::size_t>(n) * kGroups + static_cast<std::size_t>(g);
  }
  std::int32_t cell_begin(int n, int g) const { return cell_start[cell_index(n, g)]; }
  std::int32_t cell_end(int n, int g) const { return cell_start[cell_index(n, g) + 1]; }
  std::int32_t nbhd_begin(int n) const { return cell_begin(n, 0); }
  std::int32_t nbhd_end(int n) const { return cell_begin(n + 1, 0); }
  int jurisdiction(ResidentId i) const {
    return jurisdiction_of[static_cast<std::size_t>(neighbourhood[static_cast<std::size_t>(i)])];
  }
  bool has(ResidentId i, ResidentFlag f) const { return (flags[static_cast<std::size_t>(i)] & f) != 0; }

  // A resident of neighbourhood n drawn with probability proportional to offending propensity.
  ResidentId draw_offender(int n, double u1, double u2) const;
};

Population build_population(const Scenario& scenario, const Rng& rng);

}  // namespace trustsim

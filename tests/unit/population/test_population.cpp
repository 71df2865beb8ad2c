// Population synthesis: the synthetic city's composition (MODEL.md calibration figure 8),
// layout invariants and the tie graph.
#include <catch2/catch.hpp>

#include <Eigen/SparseCore>

#include "helpers.hpp"
#include "population/population.hpp"

using namespace trustsim;

TEST_CASE("the default city has the composition of MODEL.md figure 8", "[population][calibration]") {
  Scenario sc = test::tiny("baseline", {"population.residents=200000", "population.neighbourhoods=100"});
  Population pop = build_population(sc, Rng(11));
  const double N = pop.residents();
  REQUIRE(N == 200000);
  double undocumented = 0, mixed = 0, citizens_with_undocumented = 0, foreign_born = 0;
  for (ResidentId i = 0; i < pop.residents(); ++i) {
    const auto k = static_cast<std::size_t>(i);
    undocumented += pop.status[k] == idx(Status::undocumented);
    mixed += pop.has(i, kMixedStatus);
    citizens_with_undocumented += pop.status[k] == idx(Status::citizen) && pop.has(i, kLivesWithUndocumented);
    foreign_born += pop.has(i, kForeignBorn);
  }
  CHECK(undocumented / N == Approx(0.04).margin(0.004));
  CHECK(mixed / N == Approx(0.065).margin(0.01));
  CHECK(citizens_with_undocumented / N == Approx(0.034).margin(0.006));
  CHECK(foreign_born / N >= 0.145);
  CHECK(foreign_born / N <= 0.165);
}

TEST_CASE("residents are laid out by (neighbourhood, group) and households are whole", "[population]") {
  Scenario sc = test::tiny("baseline");
  Population pop = build_population(sc, Rng(3));
  for (int n = 0; n < pop.neighbourhoods(); ++n)
    for (int g = 0; g < kGroups; ++g)
      for (auto i = pop.cell_begin(n, g); i < pop.cell_end(n, g); ++i) {
        REQUIRE(pop.neighbourhood[static_cast<std::size_t>(i)] == n);
        REQUIRE(pop.group[static_cast<std::size_t>(i)] == g);
      }
  for (std::int32_t h = 0; h < pop.households(); ++h)
    for (auto m = pop.household_start[static_cast<std::size_t>(h)];
         m < pop.household_start[static_cast<std::size_t>(h) + 1]; ++m)
      REQUIRE(pop.household[static_cast<std::size_t>(pop.household_members[static_cast<std::size_t>(m)])] == h);
  // Immigrant concentration is uneven across neighbourhoods.
  double lo = 1, hi = 0;
  for (int n = 0; n < pop.neighbourhoods(); ++n) {
    const double share = double(pop.nbhd_end(n) - pop.cell_begin(n, 1)) / (pop.nbhd_end(n) - pop.nbhd_begin(n));
    lo = std::min(lo, share);
    hi = std::max(hi, share);
  }
  CHECK(hi > 2 * lo);
}

TEST_CASE("the tie graph is symmetric, has no self-ties or repeated pairs, and shows homophily", "[population]") {
  Scenario sc = test::tiny("baseline");
  Population pop = build_population(sc, Rng(4));
  Eigen::SparseMatrix<float, Eigen::RowMajor, std::int32_t> W = pop.ties.matrix();
  Eigen::SparseMatrix<float, Eigen::RowMajor, std::int32_t> Wt = W.transpose();
  CHECK((W - Wt).norm() == 0.0f);
  double same = 0, cross = 0;
  for (ResidentId i = 0; i < pop.residents(); ++i)
    for (decltype(pop.ties.matrix())::InnerIterator it(pop.ties.matrix(), i); it; ++it) {
      REQUIRE(it.col() != i);
      if (it.value() < 1.0f)
        (pop.has(i, kImmigrantOrigin) == pop.has(static_cast<ResidentId>(it.col()), kImmigrantOrigin) ? same : cross) +=
            1;
    }
  CHECK(same / (same + cross) > 0.7);  // homophily 0.7 plus same-origin pairs drawn by chance
  // Each pair once: columns strictly increase along every row (a pair drawn twice is merged).
  std::size_t repeated = 0;
  for (std::size_t i = 0; i + 1 < pop.ties.row_start.size(); ++i)
    for (auto k = pop.ties.row_start[i] + 1; k < pop.ties.row_start[i + 1]; ++k)
      repeated += pop.ties.column[static_cast<std::size_t>(k)] <= pop.ties.column[static_cast<std::size_t>(k - 1)];
  CHECK(repeated == 0);
}

// Population synthesis, part 3: the social tie graph.
// Household members are tied to each other; each resident also starts a few weak ties,
// mostly in its own neighbourhood and with homophily by origin. Ties are mutual.
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/uninit_vector.hpp"
#include "population/build_steps.hpp"

namespace trustsim {
namespace {

// Residents of neighbourhood n of one origin: non-immigrant citizens are group 0, the
// immigrant-origin groups 1-3 follow it, so each origin is one contiguous range.
std::pair<std::int32_t, std::int32_t> origin_range(const Population& pop, int n, bool immigrant) {
  return immigrant ? std::pair{pop.cell_begin(n, 1), pop.nbhd_end(n)}
                   : std::pair{pop.nbhd_begin(n), pop.cell_begin(n, 1)};
}

ResidentId draw_weak_tie(const PopulationParams& p, const Rng& rng, const Population& pop, ResidentId i,
                         std::uint32_t k) {
  const auto e = static_cast<std::uint64_t>(i);
  int n = pop.neighbourhood[static_cast<std::size_t>(i)];
  const int nn = pop.neighbourhoods();
  if (nn > 1 && rng.bernoulli(p.cross_neighbourhood_tie_share, Stream::ties, 0, e, 4 * k)) {
    int other = static_cast<int>(rng.below(static_cast<std::uint64_t>(nn - 1), Stream::ties, 0, e, 4 * k + 1));
    n = other >= n ? other + 1 : other;
  }
  bool immigrant = pop.has(i, kImmigrantOrigin);
  if (!rng.bernoulli(p.homophily, Stream::ties, 0, e, 4 * k + 2)) immigrant = !immigrant;
  auto [b, end] = origin_range(pop, n, immigrant);
  if (end <= b) {
    b = pop.nbhd_begin(n);
    end = pop.nbhd_end(n);
  }
  if (end <= b) return -1;
  auto j = static_cast<ResidentId>(
      b + static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(end - b), Stream::ties, 0, e, 4 * k + 3)));
  return j == i ? -1 : j;
}

}  // namespace

void build_ties(const Scenario& sc, const Rng& rng, Population& pop) {
  const auto& p = sc.params.population;
  const auto N = static_cast<std::size_t>(pop.residents());
  const auto whole = static_cast<std::uint32_t>(p.weak_ties_per_resident);
  const double fraction = p.weak_ties_per_resident - whole;
  const std::uint32_t slots = whole + (fraction > 0 ? 1 : 0);

  // Residents fall in blocks of consecutive ids; a weak tie i -> j is drawn in i's block and
  // lands in j's. Each pass below works block by block and writes only its own block's rows
  // or counters, so no two threads write the same place: no atomics, whose contention on
  // random targets cost more than the draws themselves. At most 2048 blocks keep the
  // block-by-block table small (32 MB at most).
  const std::size_t block = std::max<std::size_t>(4096, (N + 2047) / 2048);
  const std::size_t blocks = (N + block - 1) / block;
  auto blocks_of = [&](auto&& body) {
    tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) { body(b, b * block, std::min(N, (b + 1) * block)); });
  };

  // 1. Draw each resident's weak ties (-1 marks an empty slot); count each row's own entries
  //    (household members and the ties it starts) and the ties going from each block to each.
  UninitVector<ResidentId> weak(N * slots);  // every slot written by its drawing block
  UninitVector<std::int32_t> degree(N);
  std::vector<std::int64_t> between(blocks * blocks, 0);  // [from block][to block], then offsets
  blocks_of([&](std::size_t b, std::size_t first, std::size_t last) {
    std::int64_t* to_block = &between[b * blocks];
    for (std::size_t i = first; i < last; ++i) {
      const auto hh = static_cast<std::size_t>(pop.household[i]);
      degree[i] = pop.household_start[hh + 1] - pop.household_start[hh] - 1;
      for (std::uint32_t k = 0; k < slots; ++k) {
        ResidentId j = -1;
        if (k < whole || rng.bernoulli(fraction, Stream::ties, 1, i, k))
          j = draw_weak_tie(p, rng, pop, static_cast<ResidentId>(i), k);
        weak[i * slots + k] = j;
        if (j < 0) continue;
        ++degree[i];
        ++to_block[static_cast<std::size_t>(j) / block];
      }
    }
  });

  // 2. Every tie's reverse end, grouped by the block it lands in: offsets in (to, from) order,
  //    then each drawing block writes its own ranges.
  std::vector<std::int64_t> landing_start(blocks + 1, 0);
  std::int64_t offset = 0;
  for (std::size_t to = 0; to < blocks; ++to) {
    landing_start[to] = offset;
    for (std::size_t from = 0; from < blocks; ++from) {
      const std::int64_t count = between[from * blocks + to];
      between[from * blocks + to] = offset;
      offset += count;
    }
  }
  landing_start[blocks] = offset;
  struct Reverse {
    ResidentId to, from;
  };
  UninitVector<Reverse> reverse(static_cast<std::size_t>(offset));
  blocks_of([&](std::size_t b, std::size_t first, std::size_t last) {
    std::int64_t* cursor = &between[b * blocks];
    for (std::size_t i = first; i < last; ++i)
      for (std::uint32_t k = 0; k < slots; ++k)
        if (const ResidentId j = weak[i * slots + k]; j >= 0)
          reverse[static_cast<std::size_t>(cursor[static_cast<std::size_t>(j) / block]++)] = {
              j, static_cast<ResidentId>(i)};
  });
  blocks_of([&](std::size_t b, std::size_t, std::size_t) {
    for (auto e = landing_start[b]; e < landing_start[b + 1]; ++e)
      ++degree[static_cast<std::size_t>(reverse[static_cast<std::size_t>(e)].to)];
  });

  // 3. Rows: household members, the ties the resident started, the ties that reached it.
  auto& g = pop.ties;
  g.row_start.resize(N + 1);
  g.row_start[0] = 0;
  for (std::size_t i = 0; i < N; ++i) g.row_start[i + 1] = g.row_start[i] + degree[i];
  const auto nnz = static_cast<std::size_t>(g.row_start[N]);
  g.column.resize(nnz);
  g.weight.resize(nnz);
  const auto hw = static_cast<float>(p.household_tie_weight), ww = static_cast<float>(p.weak_tie_weight);
  blocks_of([&](std::size_t b, std::size_t first, std::size_t last) {
    std::int32_t* fill = &degree[0];  // reused as each row's next free place
    auto put = [&](std::size_t row, ResidentId col, float w) {
      const auto at = static_cast<std::size_t>(fill[row]++);
      g.column[at] = col;
      g.weight[at] = w;
    };
    for (std::size_t i = first; i < last; ++i) {
      fill[i] = g.row_start[i];
      const auto hh = static_cast<std::size_t>(pop.household[i]);
      for (auto m = pop.household_start[hh]; m < pop.household_start[hh + 1]; ++m)
        if (const ResidentId j = pop.household_members[static_cast<std::size_t>(m)]; static_cast<std::size_t>(j) != i)
          put(i, j, hw);
      for (std::uint32_t k = 0; k < slots; ++k)
        if (const ResidentId j = weak[i * slots + k]; j >= 0) put(i, j, ww);
    }
    for (auto e = landing_start[b]; e < landing_start[b + 1]; ++e) {
      const Reverse& r = reverse[static_cast<std::size_t>(e)];
      put(static_cast<std::size_t>(r.to), r.from, ww);
    }
  });
  // 4. Each row sorted by column. A pair tied twice (a weak tie drawn from both ends, or
  // between members of one household) becomes one entry whose weight is the sum: the graph is
  // a proper sparse matrix (no repeated entries), and a detention reaches each tie once, at its
  // weight. Merged rows are packed at the start of their block's range (a row only moves left,
  // over rows already packed), then the blocks are moved together, in order.
  std::vector<std::int64_t> packed_end(blocks);
  blocks_of([&](std::size_t b, std::size_t first, std::size_t last) {
    thread_local std::vector<std::pair<std::int32_t, float>> row;  // reused: rows are short and many
    auto out = static_cast<std::size_t>(g.row_start[first]);
    for (std::size_t i = first; i < last; ++i) {
      const auto from = static_cast<std::size_t>(g.row_start[i]), to = static_cast<std::size_t>(g.row_start[i + 1]);
      row.resize(to - from);
      for (auto k = from; k < to; ++k) row[k - from] = {g.column[k], g.weight[k]};
      std::sort(row.begin(), row.end());
      if (i > first)
        g.row_start[i] = static_cast<std::int32_t>(
            out);  // the first row stays: its start is the block boundary, read by the block before
      const std::size_t row_begin = out;
      for (const auto& [column, weight] : row) {
        if (out > row_begin && g.column[out - 1] == column) {
          g.weight[out - 1] += weight;
          continue;
        }
        g.column[out] = column;
        g.weight[out] = weight;
        ++out;
      }
    }
    packed_end[b] = static_cast<std::int64_t>(out);
  });
  std::vector<std::int32_t> shift(blocks);  // how far left each block moves
  std::int64_t at = 0;
  for (std::size_t b = 0; b < blocks; ++b) {
    const auto first = static_cast<std::int64_t>(g.row_start[b * block]);
    shift[b] = static_cast<std::int32_t>(first - at);
    const auto src = static_cast<std::ptrdiff_t>(first), end = static_cast<std::ptrdiff_t>(packed_end[b]);
    const auto dst = static_cast<std::ptrdiff_t>(at);
    if (dst != src) {  // left, so copying forwards is safe
      std::copy(g.column.begin() + src, g.column.begin() + end, g.column.begin() + dst);
      std::copy(g.weight.begin() + src, g.weight.begin() + end, g.weight.begin() + dst);
    }
    at += end - src;
  }
  blocks_of([&](std::size_t b, std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) g.row_start[i] -= shift[b];
  });
  g.row_start[N] = static_cast<std::int32_t>(at);
  g.column.resize(static_cast<std::size_t>(at));
  g.weight.resize(static_cast<std::size_t>(at));
}

}  // namespace trustsim

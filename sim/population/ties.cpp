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

// Residents fall in blocks of consecutive ids; a weak tie i -> j is drawn in i's block and
// lands in j's. Each pass of the build works block by block and writes only its own block's
// rows or counters, so no two threads write the same place: no atomics, whose contention on
// random targets cost more than the draws themselves. At most 2048 blocks keep the
// block-by-block table small (32 MB at most).
struct Blocks {
  std::size_t residents, size, count;
  explicit Blocks(std::size_t n)
      : residents(n), size(std::max<std::size_t>(4096, (n + 2047) / 2048)), count((n + size - 1) / size) {}
  std::size_t of(ResidentId i) const { return static_cast<std::size_t>(i) / size; }
  template <class Body>  // body(block, first resident, one past the last)
  void each(Body&& body) const {
    tbb::parallel_for(std::size_t{0}, count,
                      [&](std::size_t b) { body(b, b * size, std::min(residents, (b + 1) * size)); });
  }
};

// The weak ties a resident starts, `slots` per resident (-1 marks an empty slot), and each
// row's own entries (household members and the ties it starts) in `degree`. `between`
// [from block][to block] counts the ties going from each block to each.
struct Drawn {
  std::uint32_t slots = 0;
  UninitVector<ResidentId> weak;
  UninitVector<std::int32_t> degree;
  std::vector<std::int64_t> between;
};

Drawn draw_weak_ties(const PopulationParams& p, const Rng& rng, const Population& pop, const Blocks& blocks) {
  const auto whole = static_cast<std::uint32_t>(p.weak_ties_per_resident);
  const double fraction = p.weak_ties_per_resident - whole;
  Drawn d;
  d.slots = whole + (fraction > 0 ? 1 : 0);
  d.weak.resize(blocks.residents * d.slots);  // every slot written by its drawing block
  d.degree.resize(blocks.residents);
  d.between.assign(blocks.count * blocks.count, 0);
  blocks.each([&](std::size_t b, std::size_t first, std::size_t last) {
    std::int64_t* to_block = &d.between[b * blocks.count];
    for (std::size_t i = first; i < last; ++i) {
      const auto hh = static_cast<std::size_t>(pop.household[i]);
      d.degree[i] = pop.household_start[hh + 1] - pop.household_start[hh] - 1;
      for (std::uint32_t k = 0; k < d.slots; ++k) {
        ResidentId j = -1;
        if (k < whole || rng.bernoulli(fraction, Stream::ties, 1, i, k))
          j = draw_weak_tie(p, rng, pop, static_cast<ResidentId>(i), k);
        d.weak[i * d.slots + k] = j;
        if (j < 0) continue;
        ++d.degree[i];
        ++to_block[blocks.of(j)];
      }
    }
  });
  return d;
}

// Every weak tie's reverse end, grouped by the block it lands in (the ties landing in block b
// are reverse[landing_start[b], landing_start[b + 1])), and added to its row's degree.
struct Reverse {
  ResidentId to, from;
};
struct Landing {
  UninitVector<Reverse> reverse;
  std::vector<std::int64_t> start;
};

Landing reverse_ends(Drawn& d, const Blocks& blocks) {
  Landing l;
  l.start.assign(blocks.count + 1, 0);
  std::int64_t offset = 0;  // offsets in (to, from) order: each drawing block writes its own ranges
  for (std::size_t to = 0; to < blocks.count; ++to) {
    l.start[to] = offset;
    for (std::size_t from = 0; from < blocks.count; ++from) {
      const std::int64_t count = d.between[from * blocks.count + to];
      d.between[from * blocks.count + to] = offset;
      offset += count;
    }
  }
  l.start[blocks.count] = offset;
  l.reverse.resize(static_cast<std::size_t>(offset));
  blocks.each([&](std::size_t b, std::size_t first, std::size_t last) {
    std::int64_t* cursor = &d.between[b * blocks.count];
    for (std::size_t i = first; i < last; ++i)
      for (std::uint32_t k = 0; k < d.slots; ++k)
        if (const ResidentId j = d.weak[i * d.slots + k]; j >= 0)
          l.reverse[static_cast<std::size_t>(cursor[blocks.of(j)]++)] = {j, static_cast<ResidentId>(i)};
  });
  blocks.each([&](std::size_t b, std::size_t, std::size_t) {
    for (auto e = l.start[b]; e < l.start[b + 1]; ++e)
      ++d.degree[static_cast<std::size_t>(l.reverse[static_cast<std::size_t>(e)].to)];
  });
  return l;
}

// Rows in arrival order: household members, the ties the resident started, the ties that
// reached it. `d.degree` is used up as each row's next free place.
void fill_rows(const PopulationParams& p, const Population& pop, Drawn& d, const Landing& l, const Blocks& blocks,
               TieGraph& g) {
  const std::size_t N = blocks.residents;
  g.row_start.resize(N + 1);
  g.row_start[0] = 0;
  for (std::size_t i = 0; i < N; ++i) g.row_start[i + 1] = g.row_start[i] + d.degree[i];
  const auto nnz = static_cast<std::size_t>(g.row_start[N]);
  g.column.resize(nnz);
  g.weight.resize(nnz);
  const auto hw = static_cast<float>(p.household_tie_weight), ww = static_cast<float>(p.weak_tie_weight);
  blocks.each([&](std::size_t b, std::size_t first, std::size_t last) {
    auto put = [&](std::size_t row, ResidentId col, float w) {
      const auto at = static_cast<std::size_t>(d.degree[row]++);
      g.column[at] = col;
      g.weight[at] = w;
    };
    for (std::size_t i = first; i < last; ++i) {
      d.degree[i] = g.row_start[i];
      const auto hh = static_cast<std::size_t>(pop.household[i]);
      for (auto m = pop.household_start[hh]; m < pop.household_start[hh + 1]; ++m)
        if (const ResidentId j = pop.household_members[static_cast<std::size_t>(m)]; static_cast<std::size_t>(j) != i)
          put(i, j, hw);
      for (std::uint32_t k = 0; k < d.slots; ++k)
        if (const ResidentId j = d.weak[i * d.slots + k]; j >= 0) put(i, j, ww);
    }
    for (auto e = l.start[b]; e < l.start[b + 1]; ++e) {
      const Reverse& r = l.reverse[static_cast<std::size_t>(e)];
      put(static_cast<std::size_t>(r.to), r.from, ww);
    }
  });
}

// Each row sorted by column. A pair tied twice (a weak tie drawn from both ends, or between
// members of one household) becomes one entry whose weight is the sum: the graph is a proper
// sparse matrix (no repeated entries), and a detention reaches each tie once, at its weight.
// Merged rows are packed at the start of their block's range (a row only moves left, over rows
// already packed), then the blocks are moved together, in order.
void merge_and_pack_rows(const Blocks& blocks, TieGraph& g) {
  std::vector<std::int64_t> packed_end(blocks.count);
  blocks.each([&](std::size_t b, std::size_t first, std::size_t last) {
    thread_local std::vector<std::pair<std::int32_t, float>> row;  // reused: rows are short and many
    auto out = static_cast<std::size_t>(g.row_start[first]);
    for (std::size_t i = first; i < last; ++i) {
      const auto from = static_cast<std::size_t>(g.row_start[i]), to = static_cast<std::size_t>(g.row_start[i + 1]);
      row.resize(to - from);
      for (auto k = from; k < to; ++k) row[k - from] = {g.column[k], g.weight[k]};
      std::sort(row.begin(), row.end());
      // The block's first row stays where it is: its start is the block boundary, which the
      // block before reads as the end of its last row.
      if (i > first) g.row_start[i] = static_cast<std::int32_t>(out);
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
  std::vector<std::int32_t> shift(blocks.count);  // how far left each block moves
  std::int64_t at = 0;
  for (std::size_t b = 0; b < blocks.count; ++b) {
    const auto src = static_cast<std::ptrdiff_t>(g.row_start[b * blocks.size]);
    const auto end = static_cast<std::ptrdiff_t>(packed_end[b]), dst = static_cast<std::ptrdiff_t>(at);
    shift[b] = static_cast<std::int32_t>(src - dst);
    if (dst != src) {  // left, so copying forwards is safe
      std::copy(g.column.begin() + src, g.column.begin() + end, g.column.begin() + dst);
      std::copy(g.weight.begin() + src, g.weight.begin() + end, g.weight.begin() + dst);
    }
    at += end - src;
  }
  blocks.each([&](std::size_t b, std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) g.row_start[i] -= shift[b];
  });
  g.row_start[blocks.residents] = static_cast<std::int32_t>(at);
  g.column.resize(static_cast<std::size_t>(at));
  g.weight.resize(static_cast<std::size_t>(at));
}

}  // namespace

void build_ties(const Scenario& sc, const Rng& rng, Population& pop) {
  const auto& p = sc.params.population;
  const Blocks blocks(static_cast<std::size_t>(pop.residents()));
  Drawn drawn = draw_weak_ties(p, rng, pop, blocks);
  const Landing landing = reverse_ends(drawn, blocks);
  fill_rows(p, pop, drawn, landing, blocks, pop.ties);
  merge_and_pack_rows(blocks, pop.ties);
}

}  // namespace trustsim

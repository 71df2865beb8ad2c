#include "sweep/summary.hpp"

#include <cmath>
#include <functional>
#include <limits>

#include "core/types.hpp"

namespace trustsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
double ratio(double a, double b) { return b > 0 ? a / b : kNaN; }

// Totals over a range of days, summed over jurisdictions; group sums leave out the
// mixed-status overlays (indices 4 and 5), whose members are counted in their own groups too.
struct Totals {
  double victims[kGroupsWithOverlay][kCrimeTypes] = {}, reports[kGroupsWithOverlay][kCrimeTypes] = {};
  double cleared[kCrimeTypes] = {}, detentions[kPathways][kRecords] = {}, removals = 0, hours[kTasks] = {};
  double resident_days = 0;

  Totals(const SeriesBuffers& s, int from, int to) {
    const int J = s.sizes().jurisdictions;
    for (int d = from; d < to; ++d)
      for (int j = 0; j < J; ++j) {
        for (int g = 0; g < kGroupsWithOverlay; ++g) {
          for (int c = 0; c < kCrimeTypes; ++c) {
            victims[g][c] += s.at(SeriesId::victimisations, d, {j, g, c});
            reports[g][c] += s.at(SeriesId::reports, d, {j, g, c});
          }
          if (g < kGroups) {
            removals += s.at(SeriesId::removals, d, {j, g});
            resident_days += s.at(SeriesId::population, d, {j, g});
          }
        }
        for (int c = 0; c < kCrimeTypes; ++c) cleared[c] += s.at(SeriesId::cleared, d, {j, c});
        for (int p = 0; p < kPathways; ++p)
          for (int r = 0; r < kRecords; ++r)
            for (int ch = 0; ch < kCharges; ++ch)
              for (int st = 0; st < kStatuses; ++st)
                detentions[p][r] += s.at(SeriesId::detentions, d, {j, p, ch, r, st});
        for (int t = 0; t < kTasks; ++t) hours[t] += s.at(SeriesId::officer_hours, d, {j, t});
      }
  }
  double victims_of(int g) const { return victims[g][0] + victims[g][1]; }
  double reports_of(int g) const { return reports[g][0] + reports[g][1]; }
  double all(const double (&x)[kGroupsWithOverlay][kCrimeTypes], int c) const {
    double t = 0;
    for (int g = 0; g < kGroups; ++g) t += c < 0 ? x[g][0] + x[g][1] : x[g][c];
    return t;
  }
  double detained(int record = -1) const {
    double t = 0;
    for (int p = 0; p < kPathways; ++p)
      for (int r = 0; r < kRecords; ++r) t += (record < 0 || r == record) ? detentions[p][r] : 0;
    return t;
  }
};

// A per-(jurisdiction, group) mean on one day, city-wide, weighted by who is present.
double city_mean(const SeriesBuffers& s, SeriesId id, int day, int g) {
  double num = 0, den = 0;
  for (int j = 0; j < s.sizes().jurisdictions; ++j) {
    const double w = s.at(SeriesId::population, day, {j, g});
    const double v = s.at(id, day, {j, g});
    if (w > 0 && std::isfinite(v)) {
      num += w * v;
      den += w;
    }
  }
  return ratio(num, den);
}
double city_mean_all_groups(const SeriesBuffers& s, SeriesId id, int day) {
  double num = 0, den = 0;
  for (int j = 0; j < s.sizes().jurisdictions; ++j)
    for (int g = 0; g < kGroups; ++g) {
      const double w = s.at(SeriesId::population, day, {j, g});
      const double v = s.at(id, day, {j, g});
      if (w > 0 && std::isfinite(v)) {
        num += w * v;
        den += w;
      }
    }
  return ratio(num, den);
}

struct Output {
  OutputSpec spec;
  std::function<double(const Totals&, const SeriesBuffers&, int last_day, int window)> value;
};

const std::vector<Output>& outputs() {
  static const std::vector<Output> table = [] {
    std::vector<Output> o;
    auto add = [&](std::string name, std::string units, std::string meaning, auto fn) {
      o.push_back({{std::move(name), std::move(units), std::move(meaning)}, fn});
    };
    const std::string in_window = " over the summary window (the run's last window_days days)";
    add("reporting_rate", "share", "Reports / victimisations, every group and crime type" + in_window,
        [](const Totals& t, auto&, int, int) { return ratio(t.all(t.reports, -1), t.all(t.victims, -1)); });
    for (int c = 0; c < kCrimeTypes; ++c)
      add("reporting_rate." + std::string(kCrimeTypeNames[c]), "share",
          "Reports / victimisations, " + std::string(kCrimeTypeNames[c]) + " crime" + in_window,
          [c](const Totals& t, auto&, int, int) { return ratio(t.all(t.reports, c), t.all(t.victims, c)); });
    for (int g = 0; g < kGroupsWithOverlay; ++g) {
      const std::string gn(kGroupNames[g]);
      add("reporting_rate." + gn, "share", "Reports / victimisations of " + gn + " victims" + in_window,
          [g](const Totals& t, auto&, int, int) { return ratio(t.reports_of(g), t.victims_of(g)); });
      for (int c = 0; c < kCrimeTypes; ++c)
        add("reporting_rate." + gn + "." + std::string(kCrimeTypeNames[c]), "share",
            "Reports / victimisations of " + gn + " victims, " + std::string(kCrimeTypeNames[c]) + " crime" + in_window,
            [g, c](const Totals& t, auto&, int, int) { return ratio(t.reports[g][c], t.victims[g][c]); });
    }
    add("victimisation_rate", "per 1,000 residents per year",
        "Victimisations per 1,000 residents present, per year" + in_window,
        [](const Totals& t, auto&, int, int) { return ratio(t.all(t.victims, -1) * 1000 * 365, t.resident_days); });
    add("clearance_rate", "share", "Cleared / reported crimes" + in_window,
        [](const Totals& t, auto&, int, int) { return ratio(t.cleared[0] + t.cleared[1], t.all(t.reports, -1)); });
    for (int c = 0; c < kCrimeTypes; ++c)
      add("clearance_rate." + std::string(kCrimeTypeNames[c]), "share",
          "Cleared / reported " + std::string(kCrimeTypeNames[c]) + " crimes" + in_window,
          [c](const Totals& t, auto&, int, int) { return ratio(t.cleared[c], t.all(t.reports, c)); });
    add("detentions", "persons per 1,000 residents per year", "Immigration detentions, every pathway" + in_window,
        [](const Totals& t, auto&, int, int) { return ratio(t.detained() * 1000 * 365, t.resident_days); });
    for (int p = 0; p < kPathways; ++p)
      add("detentions." + std::string(kPathwayNames[p]), "persons per 1,000 residents per year",
          "Immigration detentions through the " + std::string(kPathwayNames[p]) + " pathway" + in_window,
          [p](const Totals& t, auto&, int, int) {
            return ratio((t.detentions[p][0] + t.detentions[p][1] + t.detentions[p][2]) * 1000 * 365, t.resident_days);
          });
    add("detentions.no_record_share", "share", "Share of detainees with no criminal record" + in_window,
        [](const Totals& t, auto&, int, int) { return ratio(t.detained(0), t.detained()); });
    add("detentions.no_violent_record_share", "share", "Share of detainees with no violent record" + in_window,
        [](const Totals& t, auto&, int, int) { return ratio(t.detained(0) + t.detained(1), t.detained()); });
    add("removals", "persons per 1,000 residents per year", "Removals ordered at hearings" + in_window,
        [](const Totals& t, auto&, int, int) { return ratio(t.removals * 1000 * 365, t.resident_days); });
    add("immigration_hours_share", "share", "Share of local officer hours spent on immigration work" + in_window,
        [](const Totals& t, auto&, int, int) { return ratio(t.hours[2], t.hours[0] + t.hours[1] + t.hours[2]); });
    add("trust_mean", "0-1", "Mean trust in the local police on the last day, every group",
        [](const Totals&, const SeriesBuffers& s, int last, int) {
          return city_mean_all_groups(s, SeriesId::trust_mean, last);
        });
    add("fear_mean", "0-1", "Mean fear on the last day, every group",
        [](const Totals&, const SeriesBuffers& s, int last, int) {
          return city_mean_all_groups(s, SeriesId::fear_mean, last);
        });
    for (int g = 0; g < kGroupsWithOverlay; ++g) {
      const std::string gn(kGroupNames[g]);
      add("trust_mean." + gn, "0-1", "Mean trust of " + gn + " residents on the last day",
          [g](const Totals&, const SeriesBuffers& s, int last, int) {
            return city_mean(s, SeriesId::trust_mean, last, g);
          });
      add("fear_mean." + gn, "0-1", "Mean fear of " + gn + " residents on the last day",
          [g](const Totals&, const SeriesBuffers& s, int last, int) {
            return city_mean(s, SeriesId::fear_mean, last, g);
          });
      add("below_baseline_share." + gn, "share",
          "Share of " + gn + " panel members whose own reporting probability is below its day-0 value, on the last day",
          [g](const Totals&, const SeriesBuffers& s, int last, int) {
            return city_mean(s, SeriesId::below_baseline_share, last, g);
          });
    }
    add("court_backlog", "cases", "Immigration-court cases waiting on the last day (both dockets)",
        [](const Totals&, const SeriesBuffers& s, int last, int) {
          return s.at(SeriesId::court_backlog, last, {0}) + s.at(SeriesId::court_backlog, last, {1});
        });
    return o;
  }();
  return table;
}

}  // namespace

const std::vector<OutputSpec>& output_specs() {
  static const std::vector<OutputSpec> specs = [] {
    std::vector<OutputSpec> s;
    for (const auto& o : outputs()) s.push_back(o.spec);
    return s;
  }();
  return specs;
}

int find_output(const std::string& name) {
  const auto& s = output_specs();
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i].name == name) return static_cast<int>(i);
  return -1;
}

std::size_t SummarySeriesSpec::inner() const {
  std::size_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

const std::vector<SummarySeriesSpec>& summary_series_specs() {
  static const std::vector<SummarySeriesSpec> specs = {
      {"victimisations",
       {"group", "crime_type"},
       {kGroupsWithOverlay, kCrimeTypes},
       "crimes",
       "Victimisations in the period"},
      {"reports",
       {"group", "crime_type"},
       {kGroupsWithOverlay, kCrimeTypes},
       "crimes",
       "Victimisations reported in the period"},
      {"cleared", {"crime_type"}, {kCrimeTypes}, "crimes", "Reported crimes cleared in the period"},
      {"detentions", {"pathway"}, {kPathways}, "persons", "Immigration detentions in the period"},
      {"removals", {}, {}, "persons", "Removals ordered in the period"},
      {"population", {"group"}, {kGroupsWithOverlay}, "residents", "Residents present on the period's last day"},
      {"trust_mean", {"group"}, {kGroupsWithOverlay}, "0-1", "Mean trust on the period's last day"},
      {"fear_mean", {"group"}, {kGroupsWithOverlay}, "0-1", "Mean fear on the period's last day"},
      {"below_baseline_share",
       {"group"},
       {kGroupsWithOverlay},
       "share",
       "Panel share below its day-0 reporting probability, on the period's last day"},
      {"court_backlog", {}, {}, "cases", "Immigration-court backlog on the period's last day (both dockets)"},
  };
  return specs;
}

int period_count(int days, int period_days) { return (days + period_days - 1) / period_days; }

RunSummary summarise(const RunResult& run, int period_days, int window_days) {
  const SeriesBuffers& s = run.series;
  const int D = s.days(), last = D - 1, window = std::min(window_days, D);
  RunSummary out;
  const Totals in_window(s, D - window, D);
  for (const auto& o : outputs()) out.outputs.push_back(o.value(in_window, s, last, window));

  const int P = period_count(D, period_days);
  for (const auto& spec : summary_series_specs())
    out.series.emplace_back(static_cast<std::size_t>(P) * spec.inner(), 0.0);
  for (int p = 0; p < P; ++p) {
    const int from = p * period_days, to = std::min(D, from + period_days), end = to - 1;
    const Totals t(s, from, to);
    auto row = [&](std::size_t k) {
      return out.series[k].begin() + static_cast<std::ptrdiff_t>(p * summary_series_specs()[k].inner());
    };
    for (int g = 0; g < kGroupsWithOverlay; ++g)
      for (int c = 0; c < kCrimeTypes; ++c) {
        row(0)[g * kCrimeTypes + c] = t.victims[g][c];
        row(1)[g * kCrimeTypes + c] = t.reports[g][c];
      }
    for (int c = 0; c < kCrimeTypes; ++c) row(2)[c] = t.cleared[c];
    for (int pw = 0; pw < kPathways; ++pw) row(3)[pw] = t.detentions[pw][0] + t.detentions[pw][1] + t.detentions[pw][2];
    row(4)[0] = t.removals;
    for (int g = 0; g < kGroupsWithOverlay; ++g) {
      double present = 0;
      for (int j = 0; j < s.sizes().jurisdictions; ++j) present += s.at(SeriesId::population, end, {j, g});
      row(5)[g] = present;
      row(6)[g] = city_mean(s, SeriesId::trust_mean, end, g);
      row(7)[g] = city_mean(s, SeriesId::fear_mean, end, g);
      row(8)[g] = city_mean(s, SeriesId::below_baseline_share, end, g);
    }
    row(9)[0] = s.at(SeriesId::court_backlog, end, {0}) + s.at(SeriesId::court_backlog, end, {1});
  }
  return out;
}

}  // namespace trustsim

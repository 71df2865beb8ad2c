// The recorded quantities, declared once: the engine fills them, the writer stores them,
// `trustsim output-format` documents them, and the reader follows the documented names.
#pragma once

#include <array>
#include <string_view>
#include <vector>

namespace trustsim {

enum class Axis {
  replicate,
  day,
  jurisdiction,
  group,
  crime_type,
  pathway,
  record,
  status,
  task,
  quantile,
  operation,
  charge,
  docket
};

inline constexpr std::array<std::string_view, 13> kAxisNames = {
    "replicate", "day",  "jurisdiction", "group",     "crime_type", "pathway", "record",
    "status",    "task", "quantile",     "operation", "charge",     "docket"};
inline constexpr std::array<std::string_view, 2> kOperationNames = {"visible", "covert"};

enum class Kind { count, real };

struct SeriesSpec {
  std::string_view name;
  std::vector<Axis> axes;  // after the leading (replicate, day)
  Kind kind;
  std::string_view units;
  std::string_view meaning;
};

// clang-format off
#define TRUSTSIM_SERIES(X) \
  X(population, (Axis::jurisdiction, Axis::group), count, "residents", "Residents present in the city at the end of the day (not held, not removed)") \
  X(victimisations, (Axis::jurisdiction, Axis::group, Axis::crime_type), count, "crimes", "Victimisations") \
  X(reports, (Axis::jurisdiction, Axis::group, Axis::crime_type), count, "crimes", "Victimisations reported to the local police") \
  X(cleared, (Axis::jurisdiction, Axis::crime_type), count, "crimes", "Reported crimes cleared by an arrest") \
  X(stops, (Axis::jurisdiction, Axis::group), count, "stops", "Police stops") \
  X(status_checks, (Axis::jurisdiction, Axis::group), count, "checks", "Immigration status checks at stops") \
  X(arrests, (Axis::jurisdiction, Axis::group), count, "arrests", "Arrests booked into jail (clearances and stops)") \
  X(bookings, (Axis::jurisdiction, Axis::charge), count, "arrests", "Arrests booked into jail by charge (charge 'none' is never used here)") \
  X(detentions, (Axis::jurisdiction, Axis::pathway, Axis::charge, Axis::record, Axis::status), count, "persons", "Immigration detentions by pathway, booking charge ('none' when no booking led to it), criminal record and status") \
  X(ice_hours, (Axis::jurisdiction, Axis::pathway), real, "hours", "ICE agent hours spent by pathway (collateral arrests come with at-large ones and cost nothing extra)") \
  X(ice_budget_hours, (Axis::jurisdiction), real, "hours", "ICE agent hours available for arrests and pickups, after any surge toward jurisdictions that decline detainers") \
  X(removals, (Axis::jurisdiction, Axis::group), count, "persons", "Removals ordered at a hearing") \
  X(releases, (Axis::jurisdiction, Axis::group), count, "persons", "Cases ending in release at a hearing") \
  X(children_affected, (Axis::jurisdiction), count, "persons", "Minors in households that lost a member to removal") \
  X(joint_operations, (Axis::jurisdiction, Axis::operation), count, "operations", "Joint operations with federal agents, visible or covert") \
  X(officer_hours, (Axis::jurisdiction, Axis::task), real, "hours", "Local officer hours by task") \
  X(news_stories, (Axis::jurisdiction), count, "stories", "Local news stories about police-linked immigration detentions (they reach the jurisdiction's news followers)") \
  X(announcement_weight, (Axis::jurisdiction), real, "", "Weight on a news follower's belief of the day's policy announcement (learning.announcement_salience x publicity x change in the chance that a stop ends in ICE custody, at most 1 when heard); negative when it reassures") \
  X(trust_mean, (Axis::jurisdiction, Axis::group), real, "0-1", "Mean trust in the local police at the end of the day") \
  X(belief_mean, (Axis::jurisdiction, Axis::group), real, "0-1", "Mean belief that a police contact brings immigration consequences") \
  X(fear_mean, (Axis::jurisdiction, Axis::group), real, "0-1", "Mean fear (exposure x belief)") \
  X(trust_quantiles, (Axis::jurisdiction, Axis::group, Axis::quantile), real, "0-1", "Quantiles of trust in the fixed panel") \
  X(fear_quantiles, (Axis::jurisdiction, Axis::group, Axis::quantile), real, "0-1", "Quantiles of fear in the fixed panel") \
  X(below_baseline_share, (Axis::jurisdiction, Axis::group), real, "share", "Share of the panel whose own violent-crime reporting probability (trust and fear, without the local norm) is below its day-0 value") \
  X(reporting_propensity, (Axis::jurisdiction, Axis::group), real, "probability", "Mean over the panel's present members of their own violent-crime reporting probability (trust and fear, without the local norm): reporting without the noise of who happens to be victimised, for comparisons") \
  X(court_backlog, (Axis::docket), count, "cases", "Immigration-court cases waiting for a decision, by docket (city-wide)") \
  X(court_mean_wait_days, (Axis::docket), real, "days", "Mean wait of the cases decided that day, by docket (NaN when none)")
// clang-format on

#define TRUSTSIM_SERIES_ID(name, axes, kind, units, meaning) name,
enum class SeriesId { TRUSTSIM_SERIES(TRUSTSIM_SERIES_ID) };
#undef TRUSTSIM_SERIES_ID

const std::vector<SeriesSpec>& series_specs();

}  // namespace trustsim

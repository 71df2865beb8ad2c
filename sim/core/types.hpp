// The categories the model and its outputs are broken down by.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace trustsim {

enum class Status : std::uint8_t { citizen = 0, lawful_noncitizen = 1, undocumented = 2 };
enum class Record : std::uint8_t { none = 0, non_violent = 1, violent = 2 };
enum class CrimeType : std::uint8_t { violent = 0, property = 1 };
enum class Pathway : std::uint8_t { stop = 0, detainer = 1, at_large = 2, collateral = 3, joint_operation = 4 };
// The charge an arrest is booked on (none: a detention that followed no booking).
enum class Charge : std::uint8_t {
  none = 0,
  violent_felony = 1,
  other_felony = 2,
  misdemeanour = 3,
  traffic_other = 4
};
// The immigration court's dockets: detained cases are decided in weeks, the others wait years.
enum class Docket : std::uint8_t { detained = 0, non_detained = 1 };
enum class Task : std::uint8_t { patrol = 0, investigation = 1, immigration = 2 };
enum class Presence : std::uint8_t { home = 0, held = 1, removed = 2 };

// Reporting groups of MODEL.md. The mixed-status overlay is a flag, not a group.
enum class Group : std::uint8_t {
  citizen_non_immigrant = 0,
  citizen_immigrant_origin = 1,
  lawful_noncitizen = 2,
  undocumented = 3
};

inline constexpr int kStatuses = 3, kRecords = 3, kCrimeTypes = 2, kPathways = 5, kCharges = 5, kDockets = 2,
                     kTasks = 3, kGroups = 4;
// Output groups: the four groups, then two overlays: every member of a mixed-status household
// (index 4), and the citizens among them (index 5), where the spill-over to citizens is read.
inline constexpr int kMixedStatusGroup = kGroups, kMixedStatusCitizenGroup = kGroups + 1;
inline constexpr int kGroupsWithOverlay = kGroups + 2;

inline constexpr std::array<std::string_view, kGroupsWithOverlay> kGroupNames = {
    "citizen_non_immigrant", "citizen_immigrant_origin", "lawful_noncitizen", "undocumented",
    "mixed_status",          "mixed_status_citizen"};
inline constexpr std::array<std::string_view, kStatuses> kStatusNames = {"citizen", "lawful_noncitizen",
                                                                         "undocumented"};
inline constexpr std::array<std::string_view, kRecords> kRecordNames = {"none", "non_violent", "violent"};
inline constexpr std::array<std::string_view, kCrimeTypes> kCrimeTypeNames = {"violent", "property"};
inline constexpr std::array<std::string_view, kPathways> kPathwayNames = {"stop", "detainer", "at_large", "collateral",
                                                                          "joint_operation"};
inline constexpr std::array<std::string_view, kCharges> kChargeNames = {"none", "violent_felony", "other_felony",
                                                                        "misdemeanour", "traffic_other"};
inline constexpr std::array<std::string_view, kDockets> kDocketNames = {"detained", "non_detained"};
inline constexpr std::array<std::string_view, kTasks> kTaskNames = {"patrol", "investigation", "immigration"};
inline constexpr std::array<double, 5> kQuantiles = {0.1, 0.25, 0.5, 0.75, 0.9};

// Detentions through the local police feed vicarious learning; at-large arrests by ICE alone do not.
constexpr bool through_police(Pathway p) {
  return p == Pathway::stop || p == Pathway::detainer || p == Pathway::joint_operation;
}

template <class E>
constexpr int idx(E e) {
  return static_cast<int>(e);
}

}  // namespace trustsim

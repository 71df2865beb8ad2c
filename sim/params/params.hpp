// Typed parameter structs, generated from the registry in params.def.
#pragma once

#include <cstdint>

#include "params/params.def"

namespace trustsim {

namespace detail {
template <int T>
struct ParamCType;
}
enum class ParamType { Int, Real, Bool, Choice };
namespace detail {
template <>
struct ParamCType<0> {
  using type = std::int64_t;
};
template <>
struct ParamCType<1> {
  using type = double;
};
template <>
struct ParamCType<2> {
  using type = bool;
};
template <>
struct ParamCType<3> {
  using type = int;
};
}  // namespace detail

#define TRUSTSIM_FIELD(name, ptype, unit, def, lo, hi, choices, meaning, source) \
  detail::ParamCType<static_cast<int>(ParamType::ptype)>::type name =            \
      static_cast<detail::ParamCType<static_cast<int>(ParamType::ptype)>::type>(def);

struct SimulationParams {
  TRUSTSIM_SIMULATION_PARAMS(TRUSTSIM_FIELD)
};
struct PopulationParams {
  TRUSTSIM_POPULATION_PARAMS(TRUSTSIM_FIELD)
};
struct CrimeParams {
  TRUSTSIM_CRIME_PARAMS(TRUSTSIM_FIELD)
};
struct ReportingParams {
  TRUSTSIM_REPORTING_PARAMS(TRUSTSIM_FIELD)
};
struct PoliceParams {
  TRUSTSIM_POLICE_PARAMS(TRUSTSIM_FIELD)
};
struct IceParams {
  TRUSTSIM_ICE_PARAMS(TRUSTSIM_FIELD)
};
struct CourtParams {
  TRUSTSIM_COURT_PARAMS(TRUSTSIM_FIELD)
};
struct LearningParams {
  TRUSTSIM_LEARNING_PARAMS(TRUSTSIM_FIELD)
};
struct OutputParams {
  TRUSTSIM_OUTPUT_PARAMS(TRUSTSIM_FIELD)
};
struct PolicyParams {
  TRUSTSIM_POLICY_PARAMS(TRUSTSIM_FIELD)
};

#undef TRUSTSIM_FIELD

enum class DetainerPolicy { all = 0, violent_only = 1, none = 2, judicial_warrant = 3, notice_only = 4 };
enum class Method { event = 0, per_resident = 1 };

// City-wide parameters (policy is per jurisdiction and lives in the scenario).
struct Params {
  SimulationParams simulation;
  PopulationParams population;
  CrimeParams crime;
  ReportingParams reporting;
  PoliceParams police;
  IceParams ice;
  CourtParams court;
  LearningParams learning;
  OutputParams output;
};

}  // namespace trustsim

#include "population/population.hpp"

#include "population/build_steps.hpp"

namespace trustsim {

Population build_population(const Scenario& scenario, const Rng& rng) {
  Population pop;
  lay_out_neighbourhoods(scenario, pop);
  synthesise_residents(scenario, rng, pop);
  assign_records_and_exposure(scenario, rng, pop);
  build_offender_tables(pop);
  assign_officers(scenario, pop);
  build_ties(scenario, rng, pop);
  return pop;
}

}  // namespace trustsim

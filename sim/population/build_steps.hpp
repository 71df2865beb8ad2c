// The steps of population synthesis, in the order build_population runs them.
#pragma once

#include "population/population.hpp"

namespace trustsim {

void lay_out_neighbourhoods(const Scenario& sc, Population& pop);
void synthesise_residents(const Scenario& sc, const Rng& rng, Population& pop);
void assign_records_and_exposure(const Scenario& sc, const Rng& rng, Population& pop);
void build_offender_tables(Population& pop);
void assign_officers(const Scenario& sc, Population& pop);
void build_ties(const Scenario& sc, const Rng& rng, Population& pop);

}  // namespace trustsim

// What happens in one day, passed from phase to phase as one explicit value: each phase
// reads what earlier phases produced and appends its own events; learning consumes them.
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "engine/learning_rules.hpp"
#include "population/population.hpp"

namespace trustsim {

struct ContactEvent {
  ResidentId who;
  Contact kind;
};

struct Victim {
  ResidentId who;
  CrimeType type;
  std::uint32_t ordinal;  // the victim's draw number in its cell (keys its random draws)
};

// What follows one victimisation: see Simulation::reporting_and_response.
struct Response {
  bool reported = false, cleared = false, good = false;
  ResidentId offender = -1;
  Charge charge = Charge::none;  // the offender's booking charge
};

struct Arrest {
  ResidentId who;
  Charge charge;
};

struct DayEvents {
  std::vector<Victim> victims;
  std::vector<Response> responses;  // one per victim, in victims' order
  std::vector<Arrest> arrests;      // booked into jail today
  std::vector<ContactEvent> contacts;
  std::vector<ResidentId> police_detainees;     // detained today through the local police
  std::vector<ResidentId> removed;              // removed at a hearing today
  std::vector<ResidentId> operation_witnesses;  // residents who saw an operation today

  // Empties every list, keeping the memory for tomorrow.
  void clear() {
    victims.clear();
    responses.clear();
    arrests.clear();
    contacts.clear();
    police_detainees.clear();
    removed.clear();
    operation_witnesses.clear();
  }
};

}  // namespace trustsim

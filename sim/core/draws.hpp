// Named draw slots. A random draw is keyed by (stream, day, entity, index); within one
// stream and entity, each purpose owns a named slot, and an entity's n-th event of that
// kind takes index = n * Slots::count + slot. Two purposes of one stream can then never
// share a key, and Rng::words checks that the index stays inside its 24 bits (above them
// sits the stream: an index that reached them would read another stream's numbers).
#pragma once

#include <cstdint>

namespace trustsim {

inline constexpr std::uint32_t kIndexBits = 24;
inline constexpr std::uint64_t kIndexLimit = std::uint64_t{1} << kIndexBits;

// The slots of one stream: an enum whose last enumerator is `count`.
template <class Slots>
constexpr std::uint32_t draw_index(Slots slot, std::uint32_t ordinal = 0) {
  return ordinal * static_cast<std::uint32_t>(Slots::count) + static_cast<std::uint32_t>(slot);
}
// How many events of one kind an entity may have in a day before its indices would leave
// the 24 bits (tests check every layout against the largest ordinal the engine can reach).
template <class Slots>
constexpr std::uint64_t max_ordinals() {
  return kIndexLimit / static_cast<std::uint64_t>(Slots::count);
}

// Stream::stop_outcome, per stop (entity: the stop's cell, ordinal: the stop's number in it).
enum class StopDraw : std::uint32_t { designated, check, pickup, arrest, charge, count };
// Stream::booking, per arrest.
enum class BookingDraw : std::uint32_t { detainer_issued, warrant, release_pickup, pursuit, count };
// Stream::court: held and removal per resident, wait per case (entity: its detention row).
enum class CourtDraw : std::uint32_t { held, removal, wait, count };
// Stream::response, per victimisation (ordinal: the victim's draw number).
enum class ResponseDraw : std::uint32_t { cleared, good, charge, count };

}  // namespace trustsim

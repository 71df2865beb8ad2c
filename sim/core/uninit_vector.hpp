// A std::vector whose resize and size constructor leave new elements default-initialised:
// for trivial types, not written at all. Large arrays that a parallel loop fills anyway are
// then first touched by that loop, on every thread, instead of zeroed by one thread before it
// (the zeroing and its page faults were a sequential tenth of the tie graph's build).
#pragma once

#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace trustsim {

template <class T>
struct DefaultInitAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  DefaultInitAllocator() = default;
  template <class U>
  explicit DefaultInitAllocator(const DefaultInitAllocator<U>& /*other*/) noexcept {}
  template <class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;  // default-, not value-initialised
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

template <class T>
using UninitVector = std::vector<T, DefaultInitAllocator<T>>;

}  // namespace trustsim

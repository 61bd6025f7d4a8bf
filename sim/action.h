#pragma once

#include <concepts>
#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

#include "sim/check.h"

namespace clustersim::sim {

// A move-only, type-erased `void()` callable with inline storage. It never allocates: the callable
// is placement-constructed into a 48-byte buffer, and a callable that does not fit is a compile
// error (capture a pointer or an index instead of a big object). sizeof(Action) == 64, one cache
// line. Used for every event the simulator runs, so it must stay cheap to move: callables that are
// trivially copyable (the usual `[this, id]` lambda) move with a fixed-size memcpy and are
// destroyed for free; others go through a per-type move/destroy function.
class Action {
 public:
  static constexpr std::size_t kCapacity = 48;

  // The empty action: operator bool is false, and calling it is an invariant violation.
  Action() noexcept = default;

  template <typename F>
  requires(!std::same_as<std::remove_cvref_t<F>, Action> && std::invocable<std::remove_cvref_t<F>&>)
      Action(F&& f) {  // NOLINT(google-explicit-constructor): lambdas convert implicitly by design.
    using D = std::remove_cvref_t<F>;
    static_assert(sizeof(D) <= kCapacity,
                  "clustersim::sim::Action: callable is larger than the 48-byte inline buffer. "
                  "Action never allocates; capture less (a pointer or an index to the state, not "
                  "the state itself).");
    static_assert(alignof(D) <= alignof(std::max_align_t),
                  "clustersim::sim::Action: callable is over-aligned for the inline buffer.");
    static_assert(std::is_nothrow_move_constructible_v<D>,
                  "clustersim::sim::Action: callable must be nothrow move constructible.");
    if constexpr (std::is_pointer_v<D> || std::is_member_pointer_v<D>) {
      if (f == nullptr) return;  // A null function pointer makes an empty action.
    }
    ::new (static_cast<void*>(storage_)) D(std::forward<F>(f));
    ops_ = &kOps<D>;
  }

  Action(Action&& other) noexcept : ops_(other.ops_) {
    if (ops_ != nullptr) {
      MoveStorageFrom(other);
      other.ops_ = nullptr;
    }
  }

  Action& operator=(Action&& other) noexcept {
    if (this != &other) {
      Reset();
      ops_ = other.ops_;
      if (ops_ != nullptr) {
        MoveStorageFrom(other);
        other.ops_ = nullptr;
      }
    }
    return *this;
  }

  Action(const Action&) = delete;
  Action& operator=(const Action&) = delete;

  ~Action() { Reset(); }

  // Destroys the callable (and whatever it captured); the action becomes empty.
  void Reset() noexcept {
    if (ops_ != nullptr) {
      if (ops_->destroy != nullptr) ops_->destroy(storage_);
      ops_ = nullptr;
    }
  }

  explicit operator bool() const noexcept { return ops_ != nullptr; }

  // Precondition: not empty. The action stays callable afterwards.
  void operator()() {
    SIM_CHECK_MSG(ops_ != nullptr, "called an empty Action");
    ops_->invoke(storage_);
  }

 private:
  struct Ops {
    void (*invoke)(void* storage);
    // Move-constructs into dst from src, then destroys src. Null: relocate with memcpy.
    void (*relocate)(void* dst, void* src) noexcept;
    // Null: trivially destructible, nothing to do.
    void (*destroy)(void* storage) noexcept;
  };

  template <typename D>
  static void InvokeImpl(void* storage) {
    (*std::launder(static_cast<D*>(storage)))();
  }
  template <typename D>
  static void RelocateImpl(void* dst, void* src) noexcept {
    D* from = std::launder(static_cast<D*>(src));
    ::new (dst) D(std::move(*from));
    from->~D();
  }
  template <typename D>
  static void DestroyImpl(void* storage) noexcept {
    std::launder(static_cast<D*>(storage))->~D();
  }

  template <typename D>
  static constexpr Ops kOps = {
      &InvokeImpl<D>,
      std::is_trivially_copyable_v<D> ? nullptr : &RelocateImpl<D>,
      std::is_trivially_destructible_v<D> ? nullptr : &DestroyImpl<D>,
  };

  // Precondition: ops_ == other.ops_ != nullptr.
  void MoveStorageFrom(Action& other) noexcept {
    if (ops_->relocate == nullptr) {
      // Copies the whole buffer: a fixed-size copy compiles to a few vector moves, cheaper than
      // dispatching on the callable's size. Bytes past the callable are copied but never read.
      std::memcpy(storage_, other.storage_, kCapacity);
    } else {
      ops_->relocate(storage_, other.storage_);
    }
  }

  alignas(std::max_align_t) unsigned char storage_[kCapacity];
  const Ops* ops_ = nullptr;
};

static_assert(sizeof(Action) == 64, "Action is meant to fill exactly one cache line");

}  // namespace clustersim::sim

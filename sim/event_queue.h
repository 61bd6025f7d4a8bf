#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/action.h"
#include "sim/time.h"

namespace clustersim::sim {
namespace internal {

// Storage for the event queue's big arrays. Blocks of 2 MiB and more are 2 MiB-aligned and, on
// Linux, advised to use transparent huge pages: the slot pool is read at random, and with 4 KiB
// pages a million pending events means a TLB miss per event. Smaller blocks are 64-byte aligned.
void* AllocateQueueArray(size_t bytes);
void FreeQueueArray(void* p, size_t bytes) noexcept;

template <typename T>
struct QueueArrayAllocator {
  using value_type = T;
  QueueArrayAllocator() = default;
  template <typename U>
  QueueArrayAllocator(const QueueArrayAllocator<U>&) {}  // NOLINT: allocator rebinding.
  T* allocate(size_t n) { return static_cast<T*>(AllocateQueueArray(n * sizeof(T))); }
  void deallocate(T* p, size_t n) noexcept { FreeQueueArray(p, n * sizeof(T)); }
  friend bool operator==(const QueueArrayAllocator&, const QueueArrayAllocator&) { return true; }
};

}  // namespace internal

// Names one scheduled event. A default-constructed id is invalid and never pending. Ids are not
// reused: once the event has run or been cancelled, its id stays dead even after its slot holds a
// new event (the slot's generation moved on).
struct EventId {
  uint32_t slot = 0;
  uint32_t generation = 0;
  bool valid() const { return generation != 0; }
  friend bool operator==(const EventId&, const EventId&) = default;
};

struct TimedAction {
  Time time;
  Action action;
};

// The pending events of a simulation, ordered by (time, insertion sequence): events at the same
// time come out in the order they were inserted. The five-method shape of ns-3's Scheduler
// (Insert, IsEmpty, PeekNext, RemoveNext, Remove/Cancel).
//
// Implementation: the actions live in a slot pool (a vector with a free list; each slot carries a
// generation so stale EventIds are detected). The ordering lives in an implicit 4-ary min-heap of
// 16-byte keys, (time, sequence << kSlotBits | slot) as one 128-bit integer, in an array whose
// sibling groups are cache-line aligned, so one sift level reads one line; the next level's four
// lines are prefetched while the current one is compared, and the smallest sibling is found
// without branches. RemoveNext leaves the root empty and the next Insert fills it, so the usual
// "run an event, schedule the next" costs one sift-down instead of a pop plus a push. Cancel is
// lazy: the slot's action is destroyed at once, its heap key stays behind and is dropped when it
// reaches the top (or when cancelled keys outnumber live ones, by one O(n) rebuild).
//
// Complexity (n = keys in the heap: live + cancelled-not-yet-dropped, at most 2x live + 64):
//   Insert        O(log n); O(1) expected for a random time when it fills no hole
//   IsEmpty       O(1)
//   PeekNextTime  O(1)
//   RemoveNext    O(log n)
//   Cancel        O(1) amortised (plus dropping cancelled keys that surface at the top)
//   IsPending     O(1)
// Memory: 64 bytes per slot + 16 bytes per heap key. Once the arrays have grown to the working size
// nothing is allocated per event. Bench: bench/engine_bench.cc, figures in bench/RESULTS.md.
class EventQueue {
 public:
  EventQueue();
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;
  EventQueue(EventQueue&&) noexcept;
  EventQueue& operator=(EventQueue&&) noexcept;
  ~EventQueue();

  // Precondition: `action` is not empty. Fails (SIM_CHECK) past 2^28 simultaneously pending
  // events.
  EventId Insert(Time at, Action action);
  bool IsEmpty() const { return live_ == 0; }
  // Number of pending (inserted, not yet removed or cancelled) events.
  size_t size() const { return live_; }
  // Precondition: !IsEmpty().
  Time PeekNextTime() const;
  // Removes and returns the earliest event. Precondition: !IsEmpty().
  TimedAction RemoveNext();
  // Returns false if the event already ran, was already cancelled, or the id is invalid/stale.
  // Destroys the action (and what it captured) immediately.
  bool Cancel(EventId id);
  bool IsPending(EventId id) const;

  // Pre-sizes the pool and the heap for `n` pending events.
  void Reserve(size_t n);

  // Testing hook: makes the insertion sequence wrap (and the queue renumber its keys) after
  // `limit` insertions instead of 2^36, so the renumbering path can be exercised.
  void SetSequenceLimitForTesting(uint64_t limit) { sequence_limit_ = limit; }
  // Testing hook: keys in the heap, live and cancelled (a rebuild drops the cancelled ones).
  size_t HeapSizeForTesting() const { return heap_size(); }

 private:
  __extension__ using Key = unsigned __int128;

  static constexpr int kSlotBits = 28;
  static constexpr uint64_t kSlotMask = (uint64_t{1} << kSlotBits) - 1;
  static constexpr uint64_t kMaxSequence = uint64_t{1} << (64 - kSlotBits);
  // The root sits at physical index kRootOffset so that every group of four siblings starts on a
  // 64-byte boundary.
  static constexpr size_t kRootOffset = 3;

  // 64 bytes: Action's tail padding holds the generation ([[no_unique_address]] lets the
  // Itanium ABI reuse it).
  struct Slot {
    [[no_unique_address]] Action action;
    uint32_t generation = 1;
  };
#if defined(__GNUC__)
  static_assert(sizeof(Slot) == 64, "a slot should fill one cache line");
#endif

  static Key MakeKey(Time at, uint64_t sequence, uint32_t slot) {
    const uint64_t biased_time = static_cast<uint64_t>(at.micros()) ^ (uint64_t{1} << 63);
    return (static_cast<Key>(biased_time) << 64) | (sequence << kSlotBits) | slot;
  }
  static Time KeyTime(Key k) {
    return Time::Micros(static_cast<int64_t>(static_cast<uint64_t>(k >> 64) ^ (uint64_t{1} << 63)));
  }
  static uint32_t KeySlot(Key k) {
    return static_cast<uint32_t>(static_cast<uint64_t>(k) & kSlotMask);
  }

  size_t heap_size() const { return heap_end_ - kRootOffset; }
  void HeapPush(Key key);
  Key HeapPopTop();
  void SiftDown(size_t hole, Key key);
  void SiftDownFromHole(size_t hole, Key key);
  void FillRootHole();
  size_t MinRootChild() const;
  void Rebuild();
  void DropCancelledTop();
  void CompactIfMostlyCancelled();
  void Renumber();
  void GrowHeap();
  void FreeSlot(uint32_t slot) { free_slots_.push_back(slot); }

  // The heap occupies heap_[kRootOffset, heap_end_). A raw 64-byte-aligned array, not a
  // std::vector, so the child groups stay aligned.
  Key* heap_ = nullptr;
  size_t heap_end_ = kRootOffset;
  size_t heap_capacity_ = 0;  // physical entries allocated
  // RemoveNext leaves the root empty (but counted in heap_end_) for the next Insert to fill; any
  // other operation that needs a proper heap fills it with the last key first. Only while no
  // cancelled key is in the heap, so the smallest root child is always live.
  bool root_hole_ = false;

  std::vector<Slot, internal::QueueArrayAllocator<Slot>> slots_;
  std::vector<uint32_t, internal::QueueArrayAllocator<uint32_t>> free_slots_;
  size_t live_ = 0;
  size_t cancelled_in_heap_ = 0;
  uint64_t next_sequence_ = 0;
  uint64_t sequence_limit_ = kMaxSequence;
};

}  // namespace clustersim::sim

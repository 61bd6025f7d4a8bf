#include "sim/event_queue.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

#include "sim/check.h"

namespace clustersim::sim {
namespace {

constexpr std::align_val_t kHeapAlignment{64};

// Physical index arithmetic of the 4-ary heap with its root at physical index 3: logical node i
// lives at physical i + 3, its children at logical 4i+1..4i+4, i.e. physical 4p-8..4p-5, which
// start on a multiple of four keys (a 64-byte line when the array is 64-byte aligned).
constexpr size_t FirstChild(size_t p) { return 4 * p - 8; }
constexpr size_t Parent(size_t p) { return p / 4 + 2; }

void BumpGeneration(uint32_t& generation) {
  if (++generation == 0) generation = 1;  // 0 is reserved for the invalid EventId.
}

}  // namespace

EventQueue::EventQueue() = default;

EventQueue::EventQueue(EventQueue&& other) noexcept
    : heap_(std::exchange(other.heap_, nullptr)),
      heap_end_(std::exchange(other.heap_end_, kRootOffset)),
      heap_capacity_(std::exchange(other.heap_capacity_, 0)),
      slots_(std::move(other.slots_)),
      free_slots_(std::move(other.free_slots_)),
      live_(std::exchange(other.live_, 0)),
      cancelled_in_heap_(std::exchange(other.cancelled_in_heap_, 0)),
      next_sequence_(std::exchange(other.next_sequence_, 0)),
      sequence_limit_(other.sequence_limit_) {
  other.slots_.clear();
  other.free_slots_.clear();
}

EventQueue& EventQueue::operator=(EventQueue&& other) noexcept {
  if (this != &other) {
    EventQueue tmp(std::move(other));
    std::swap(heap_, tmp.heap_);
    std::swap(heap_end_, tmp.heap_end_);
    std::swap(heap_capacity_, tmp.heap_capacity_);
    std::swap(slots_, tmp.slots_);
    std::swap(free_slots_, tmp.free_slots_);
    std::swap(live_, tmp.live_);
    std::swap(cancelled_in_heap_, tmp.cancelled_in_heap_);
    std::swap(next_sequence_, tmp.next_sequence_);
    std::swap(sequence_limit_, tmp.sequence_limit_);
  }
  return *this;
}

EventQueue::~EventQueue() {
  if (heap_ != nullptr) ::operator delete(heap_, kHeapAlignment);
}

void EventQueue::Reserve(size_t n) {
  slots_.reserve(n);
  free_slots_.reserve(n);
  while (heap_capacity_ < n + kRootOffset) GrowHeap();
}

void EventQueue::GrowHeap() {
  const size_t new_capacity = heap_capacity_ == 0 ? 64 : 2 * heap_capacity_;
  Key* grown = static_cast<Key*>(::operator new(new_capacity * sizeof(Key), kHeapAlignment));
  if (heap_ != nullptr) {
    std::memcpy(grown, heap_, heap_end_ * sizeof(Key));
    ::operator delete(heap_, kHeapAlignment);
  }
  heap_ = grown;
  heap_capacity_ = new_capacity;
}

EventId EventQueue::Insert(Time at, Action action) {
  SIM_CHECK_MSG(static_cast<bool>(action), "EventQueue::Insert: empty action");
  if (next_sequence_ >= sequence_limit_) Renumber();
  uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    SIM_CHECK_MSG(slots_.size() <= kSlotMask, "EventQueue: more than 2^28 pending events");
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& s = slots_[slot];
  s.action = std::move(action);
  HeapPush(MakeKey(at, next_sequence_++, slot));
  ++live_;
  return EventId{slot, s.generation};
}

Time EventQueue::PeekNextTime() const {
  SIM_CHECK_MSG(live_ != 0, "EventQueue::PeekNextTime on an empty queue");
  return KeyTime(heap_[kRootOffset]);
}

TimedAction EventQueue::RemoveNext() {
  SIM_CHECK_MSG(live_ != 0, "EventQueue::RemoveNext on an empty queue");
  const Key top = HeapPopTop();
  const uint32_t slot = KeySlot(top);
  Slot& s = slots_[slot];
  TimedAction out{KeyTime(top), std::move(s.action)};
  BumpGeneration(s.generation);
  free_slots_.push_back(slot);
  --live_;
  if (cancelled_in_heap_ != 0) DropCancelledTop();
  // The next RemoveNext will need the new top's action; start loading it now, while the caller
  // runs this one.
  if (heap_end_ > kRootOffset) __builtin_prefetch(&slots_[KeySlot(heap_[kRootOffset])]);
  return out;
}

bool EventQueue::IsPending(EventId id) const {
  return id.generation != 0 && id.slot < slots_.size() &&
         slots_[id.slot].generation == id.generation;
}

bool EventQueue::Cancel(EventId id) {
  if (!IsPending(id)) return false;
  Slot& s = slots_[id.slot];
  s.action.Reset();  // An empty action in a slot that is still in the heap marks it cancelled.
  BumpGeneration(s.generation);
  --live_;
  ++cancelled_in_heap_;
  DropCancelledTop();
  if (cancelled_in_heap_ > 64 && cancelled_in_heap_ > live_) Rebuild();
  return true;
}

void EventQueue::DropCancelledTop() {
  // Keeps the invariant that the top key, if any, is live, so PeekNextTime can stay O(1) and const.
  while (heap_end_ > kRootOffset && !slots_[KeySlot(heap_[kRootOffset])].action) {
    const uint32_t slot = KeySlot(HeapPopTop());
    FreeSlot(slot);
    --cancelled_in_heap_;
  }
}

void EventQueue::HeapPush(Key key) {
  if (heap_end_ >= heap_capacity_) GrowHeap();
  size_t hole = heap_end_++;
  while (hole > kRootOffset) {
    const size_t parent = Parent(hole);
    if (!(key < heap_[parent])) break;
    heap_[hole] = heap_[parent];
    hole = parent;
  }
  heap_[hole] = key;
}

EventQueue::Key EventQueue::HeapPopTop() {
  const Key top = heap_[kRootOffset];
  const Key last = heap_[--heap_end_];
  if (heap_end_ > kRootOffset) SiftDown(kRootOffset, last);
  return top;
}

// Places `key` in the subtree rooted at `hole`, whose children subtrees are heaps. Floyd's variant:
// walk the hole down to a leaf along the smallest children (3 comparisons per level, no comparison
// against `key`), then sift `key` up from there. The key placed here is usually the heap's last
// leaf, which belongs near the bottom, so the sift-up is short: fewer comparisons overall than the
// textbook sift-down.
void EventQueue::SiftDown(size_t hole, Key key) {
  const size_t start = hole;
  const size_t end = heap_end_;
  for (;;) {
    const size_t c = FirstChild(hole);
    if (c + 3 < end) {
      // The next level down is one of four groups, 256 contiguous bytes: fetch them all now, so
      // the miss overlaps with this level's comparisons.
      const size_t grandchildren = FirstChild(c);
      if (grandchildren < end) {
        const char* g = reinterpret_cast<const char*>(heap_ + grandchildren);
        __builtin_prefetch(g);
        __builtin_prefetch(g + 64);
        __builtin_prefetch(g + 128);
        __builtin_prefetch(g + 192);
      }
      // Branch-free tournament: which child wins is data, not control flow, because it is
      // unpredictable (a mispredicted branch per comparison costs more than the comparisons).
      const size_t m01 = c + static_cast<size_t>(heap_[c + 1] < heap_[c]);
      const size_t m23 = c + 2 + static_cast<size_t>(heap_[c + 3] < heap_[c + 2]);
      const size_t m = heap_[m23] < heap_[m01] ? m23 : m01;
      heap_[hole] = heap_[m];
      hole = m;
    } else {
      if (c < end) {  // A partial last group: its members are leaves.
        size_t m = c;
        for (size_t i = c + 1; i < end; ++i) {
          if (heap_[i] < heap_[m]) m = i;
        }
        heap_[hole] = heap_[m];
        hole = m;
      }
      break;
    }
  }
  while (hole > start) {
    const size_t parent = Parent(hole);
    if (!(key < heap_[parent])) break;
    heap_[hole] = heap_[parent];
    hole = parent;
  }
  heap_[hole] = key;
}

// Drops every cancelled key and re-heapifies bottom-up: O(n). Called when cancelled keys
// outnumber live ones, so its cost is paid for by the cancellations that preceded it.
void EventQueue::Rebuild() {
  size_t out = kRootOffset;
  for (size_t i = kRootOffset; i < heap_end_; ++i) {
    const uint32_t slot = KeySlot(heap_[i]);
    if (slots_[slot].action) {
      heap_[out++] = heap_[i];
    } else {
      FreeSlot(slot);
    }
  }
  heap_end_ = out;
  cancelled_in_heap_ = 0;
  if (heap_end_ - kRootOffset < 2) return;
  for (size_t p = Parent(heap_end_ - 1) + 1; p-- > kRootOffset;) SiftDown(p, heap_[p]);
}

// The sequence field has 36 bits. When it runs out, renumber the pending keys 0..n-1 in their
// current order (sorting them, and a sorted array is a valid heap). O(n log n), once per 2^36
// insertions.
void EventQueue::Renumber() {
  Rebuild();
  std::sort(heap_ + kRootOffset, heap_ + heap_end_);
  uint64_t sequence = 0;
  for (size_t i = kRootOffset; i < heap_end_; ++i) {
    heap_[i] = MakeKey(KeyTime(heap_[i]), sequence++, KeySlot(heap_[i]));
  }
  next_sequence_ = sequence;
  SIM_CHECK_MSG(next_sequence_ < sequence_limit_, "EventQueue: sequence space exhausted");
}

}  // namespace clustersim::sim

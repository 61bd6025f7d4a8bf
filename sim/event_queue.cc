#include "sim/event_queue.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

#include "sim/check.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace clustersim::sim {
namespace {

constexpr size_t kCacheLine = 64;
constexpr size_t kHugePage = size_t{2} << 20;

// Physical index arithmetic of the 4-ary heap with its root at physical index 3: logical node i
// lives at physical i + 3, its children at logical 4i+1..4i+4, i.e. physical 4p-8..4p-5, which
// start on a multiple of four keys (a 64-byte line when the array is 64-byte aligned).
constexpr size_t FirstChild(size_t p) { return 4 * p - 8; }
constexpr size_t Parent(size_t p) { return p / 4 + 2; }

__extension__ using Key128 = unsigned __int128;

// A heap key split in halves, with the heap index it came from.
struct Candidate {
  uint64_t lo;
  uint64_t hi;
  size_t index;
};

inline Candidate Load(const Key128* heap, size_t i) {
  return {static_cast<uint64_t>(heap[i]), static_cast<uint64_t>(heap[i] >> 64), i};
}

// a = min(a, b), without a branch. Which sibling is smallest is unpredictable, and a mispredicted
// branch costs more than the whole comparison; but compilers turn a select between 128-bit values
// into a jump, so on x86-64 the compare-and-move is spelled out: cmp/sbb compare the 128-bit keys,
// three cmovs take b if it is smaller. (Measured: 10-17% more events/s in the hold benchmark.)
// Define CLUSTERSIM_PORTABLE_HEAP to build (and test) the portable version on x86-64.
inline void TakeIfLess(Candidate& a, const Candidate& b) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(CLUSTERSIM_PORTABLE_HEAP)
  uint64_t scratch;
  asm("cmp %[a_lo], %[b_lo]\n\t"  // b.lo - a.lo: borrow out iff b.lo < a.lo
      "mov %[b_hi], %[t]\n\t"
      "sbb %[a_hi], %[t]\n\t"  // b.hi - a.hi - borrow: CF set iff b < a as 128-bit keys
      "cmovb %[b_lo], %[a_lo]\n\t"
      "cmovb %[b_hi], %[a_hi]\n\t"
      "cmovb %[b_index], %[a_index]"
      : [a_lo] "+r"(a.lo), [a_hi] "+r"(a.hi), [a_index] "+r"(a.index), [t] "=&r"(scratch)
      : [b_lo] "r"(b.lo), [b_hi] "r"(b.hi), [b_index] "r"(b.index)
      : "cc");
#else
  if (b.hi < a.hi || (b.hi == a.hi && b.lo < a.lo)) a = b;
#endif
}

// The smallest of the four siblings heap[c..c+3] (a tournament: two independent comparisons, then
// one), returned as its key; *index gets its position.
inline Key128 MinOfFour(const Key128* heap, size_t c, size_t* index) {
  Candidate a = Load(heap, c);
  Candidate b = Load(heap, c + 2);
  TakeIfLess(a, Load(heap, c + 1));
  TakeIfLess(b, Load(heap, c + 3));
  TakeIfLess(a, b);
  *index = a.index;
  return (static_cast<Key128>(a.hi) << 64) | a.lo;
}

// The smallest of heap[c..end), end - c < 4 (a partial last sibling group).
inline Key128 MinOfFew(const Key128* heap, size_t c, size_t end, size_t* index) {
  size_t m = c;
  for (size_t i = c + 1; i < end; ++i) {
    if (heap[i] < heap[m]) m = i;
  }
  *index = m;
  return heap[m];
}

// The level below siblings c..c+3 is their four child groups, 256 contiguous bytes: start loading
// them all now so the misses overlap this level's comparisons instead of following them.
// always_inline: GCC deems a function that only prefetches free of effects and deletes its calls.
[[gnu::always_inline]] inline void PrefetchChildGroups(const Key128* heap, size_t c, size_t end) {
  const size_t g = FirstChild(c);
  if (g < end) {
    const char* p = reinterpret_cast<const char*>(heap + g);
    __builtin_prefetch(p);
    __builtin_prefetch(p + 64);
    __builtin_prefetch(p + 128);
    __builtin_prefetch(p + 192);
  }
}

void BumpGeneration(uint32_t& generation) {
  if (++generation == 0) generation = 1;  // 0 is reserved for the invalid EventId.
}

}  // namespace

namespace internal {

// Measured with bench/engine_bench.cc (hold model): +5-10% events/s at 100k pending, +65% at 1M.
void* AllocateQueueArray(size_t bytes) {
  if (bytes < kHugePage) return ::operator new (bytes, std::align_val_t{kCacheLine});
  void* p = ::operator new (bytes, std::align_val_t{kHugePage});
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  // Advice only: if the kernel has transparent huge pages off, nothing changes.
  const size_t whole_pages = bytes / kHugePage * kHugePage;
  madvise(p, whole_pages, MADV_HUGEPAGE);
#endif
  return p;
}

void FreeQueueArray(void* p, size_t bytes) noexcept {
  ::operator delete (p, std::align_val_t{bytes < kHugePage ? kCacheLine : kHugePage});
}

}  // namespace internal

EventQueue::EventQueue() = default;

EventQueue::EventQueue(EventQueue&& other) noexcept
    : heap_(std::exchange(other.heap_, nullptr)),
      heap_end_(std::exchange(other.heap_end_, kRootOffset)),
      heap_capacity_(std::exchange(other.heap_capacity_, 0)),
      root_hole_(std::exchange(other.root_hole_, false)),
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
    std::swap(root_hole_, tmp.root_hole_);
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
  if (heap_ != nullptr) internal::FreeQueueArray(heap_, heap_capacity_ * sizeof(Key));
}

void EventQueue::Reserve(size_t n) {
  slots_.reserve(n);
  free_slots_.reserve(n);
  while (heap_capacity_ < n + kRootOffset) GrowHeap();
}

void EventQueue::GrowHeap() {
  const size_t new_capacity = heap_capacity_ == 0 ? 64 : 2 * heap_capacity_;
  Key* grown = static_cast<Key*>(internal::AllocateQueueArray(new_capacity * sizeof(Key)));
  if (heap_ != nullptr) {
    std::memcpy(grown, heap_, heap_end_ * sizeof(Key));
    internal::FreeQueueArray(heap_, heap_capacity_ * sizeof(Key));
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
  const Key key = MakeKey(at, next_sequence_++, slot);
  if (root_hole_) {
    // The previous RemoveNext left the root empty: the new key goes in at the top and sinks, one
    // sift instead of a pop's plus a push's.
    root_hole_ = false;
    SiftDownFromHole(kRootOffset, key);
  } else {
    HeapPush(key);
  }
  ++live_;
  return EventId{slot, s.generation};
}

Time EventQueue::PeekNextTime() const {
  SIM_CHECK_MSG(live_ != 0, "EventQueue::PeekNextTime on an empty queue");
  if (!root_hole_) return KeyTime(heap_[kRootOffset]);
  return KeyTime(heap_[MinRootChild()]);  // With the root empty, the next key is a root child.
}

size_t EventQueue::MinRootChild() const {
  const size_t c = FirstChild(kRootOffset);
  size_t m = c;
  if (c + 3 < heap_end_) {
    MinOfFour(heap_, c, &m);
  } else if (c < heap_end_) {
    MinOfFew(heap_, c, heap_end_, &m);
  }
  return m;
}

void EventQueue::FillRootHole() {
  if (!root_hole_) return;
  root_hole_ = false;
  const Key last = heap_[--heap_end_];
  if (heap_end_ > kRootOffset) SiftDown(kRootOffset, last);
}

TimedAction EventQueue::RemoveNext() {
  SIM_CHECK_MSG(live_ != 0, "EventQueue::RemoveNext on an empty queue");
  FillRootHole();
  const Key top = heap_[kRootOffset];
  const uint32_t slot = KeySlot(top);
  Slot& s = slots_[slot];
  TimedAction out{KeyTime(top), std::move(s.action)};
  BumpGeneration(s.generation);
  free_slots_.push_back(slot);
  --live_;
  // Leave the root empty: an event usually schedules another, and that Insert will fill it.
  root_hole_ = true;
  if (cancelled_in_heap_ != 0) {
    FillRootHole();  // The hole is only kept while no cancelled key can surface (see root_hole_).
    DropCancelledTop();
  }
  // The next event is the root or one of its children: start loading their actions now, while the
  // caller runs this one. A key usually stays among them for a few events, so its action is
  // requested well before it is needed. (Measured: fetching only the likeliest is no faster.)
  const size_t end = std::min(heap_end_, FirstChild(kRootOffset) + 4);
  for (size_t i = kRootOffset + (root_hole_ ? 1 : 0); i < end; ++i) {
    __builtin_prefetch(&slots_[KeySlot(heap_[i])]);
  }
  return out;
}

bool EventQueue::IsPending(EventId id) const {
  return id.generation != 0 && id.slot < slots_.size() &&
         slots_[id.slot].generation == id.generation;
}

bool EventQueue::Cancel(EventId id) {
  if (!IsPending(id)) return false;
  FillRootHole();
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
    size_t m;
    if (c + 3 < end) {
      PrefetchChildGroups(heap_, c, end);
      heap_[hole] = MinOfFour(heap_, c, &m);
      hole = m;
    } else {
      if (c < end) {  // A partial last group: its members are leaves.
        heap_[hole] = MinOfFew(heap_, c, end, &m);
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

// Places `key` in the empty slot `hole`, whose children subtrees are heaps: the textbook sift-down,
// which stops as soon as `key` is no greater than the smallest child. Used when a new key fills the
// root left empty by RemoveNext: new events are often due soon, and then it stops near the top.
void EventQueue::SiftDownFromHole(size_t hole, Key key) {
  const size_t end = heap_end_;
  for (;;) {
    const size_t c = FirstChild(hole);
    size_t m;
    if (c + 3 < end) {
      PrefetchChildGroups(heap_, c, end);
      const Key smallest = MinOfFour(heap_, c, &m);
      if (!(smallest < key)) break;
      heap_[hole] = smallest;
      hole = m;
    } else {
      if (c < end) {
        const Key smallest = MinOfFew(heap_, c, end, &m);
        if (smallest < key) {
          heap_[hole] = smallest;
          hole = m;
        }
      }
      break;
    }
  }
  heap_[hole] = key;
}

// Drops every cancelled key and re-heapifies bottom-up: O(n). Called when cancelled keys
// outnumber live ones, so its cost is paid for by the cancellations that preceded it.
void EventQueue::Rebuild() {
  FillRootHole();
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

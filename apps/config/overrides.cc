#include "apps/config/overrides.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <optional>

namespace clustersim::apps {
namespace {

bool IsKeyChar(char c) {
  return c != '.' && c != '[' && c != ']' && c != '=' && c != ' ' && c != '\t' && c != '\n' &&
         c != '\r';
}

// "a.b[1]: " for messages about the node at `walked`, or "" at the root.
std::string Where(const std::vector<PathElement>& walked) {
  return walked.empty() ? "" : FormatKeyPath(walked) + ": ";
}

std::string Describe(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  if (node.IsScalar()) return fmt::format("'{}'", node.Scalar());
  return "an empty value";
}

// The value under scalar key `key` of mapping `map`, if any (a handle into the tree).
std::optional<YAML::Node> FindKey(const YAML::Node& map, const std::string& key) {
  for (const auto& kv : map) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return YAML::Node(kv.second);
  }
  return std::nullopt;
}

std::string NoSuchKey(const YAML::Node& map, const std::string& key) {
  std::vector<std::string> keys;
  for (const auto& kv : map) {
    if (kv.first.IsScalar()) keys.push_back(kv.first.Scalar());
  }
  std::sort(keys.begin(), keys.end());
  std::string list;
  for (const std::string& k : keys) list += (list.empty() ? "" : ", ") + k;
  const std::optional<std::string> nearest = ClosestMatch(key, keys);
  if (keys.empty()) return fmt::format("no key '{}' (the mapping is empty)", key);
  if (nearest) return fmt::format("no key '{}' (did you mean '{}'? keys: {})", key, *nearest, list);
  return fmt::format("no key '{}' (keys: {})", key, list);
}

// Counts the occurrences of one node (by identity) under a root. Two kinds of alias make a naive
// walk fail: an alias inside its own anchor (`--set x='&a [1, *a]'`) is a cycle, which overflowed
// the stack (a fuzz finding), so collections on the way down are not entered again; and aliases of
// aliases can make a small document expand to billions of nodes ("billion laughs", which hung), so
// the walk has a budget. yaml-cpp gives no node identity to memoise on.
class OccurrenceCounter {
 public:
  explicit OccurrenceCounter(const YAML::Node& node) : node_(node) {}

  // How many times the node appears under `root`: more than once when a YAML alias (*name)
  // shares it. A tree too large to walk counts as shared, which only makes the caller copy before
  // writing (always correct, merely unnecessary for an unshared node).
  int In(const YAML::Node& root) {
    const int n = Count(root);
    return budget_ < 0 ? 2 : n;
  }

 private:
  static constexpr int kVisitBudget = 1'000'000;

  int Count(const YAML::Node& root) {
    if (--budget_ < 0) return 0;
    if (root.is(node_)) return 1;  // an alias repeats a whole subtree: do not count inside twice
    if (!root.IsMap() && !root.IsSequence()) return 0;
    for (const YAML::Node& ancestor : above_) {
      if (root.is(ancestor)) return 0;
    }
    above_.push_back(root);
    int n = 0;
    if (root.IsMap()) {
      for (const auto& kv : root) n += Count(kv.second);
    } else {
      for (const auto& child : root) n += Count(child);
    }
    above_.pop_back();
    return n;
  }

  const YAML::Node& node_;
  std::vector<YAML::Node> above_;  // the collections on the way down to the current one
  int budget_ = kVisitBudget;
};

int Occurrences(const YAML::Node& root, const YAML::Node& node) {
  return OccurrenceCounter(node).In(root);
}

// Why a node shared through a YAML alias cannot be written (only in a document whose root is not
// a mapping: see NewNodeIn).
std::string Shared(std::vector<PathElement> walked, const PathElement& step) {
  walked.push_back(step);
  return fmt::format(
      "{} is shared through a YAML alias (*name), so setting it would change the original too; "
      "write that part out in full to override it",
      FormatKeyPath(walked));
}

// `value` wrapped in mappings for path[from..]: {b: {c: value}} for a.b.c with from = 1.
YAML::Node Nest(std::span<const PathElement> path, size_t from, const YAML::Node& value) {
  YAML::Node node = value;
  for (size_t k = path.size(); k-- > from;) {
    YAML::Node outer(YAML::NodeType::Map);
    outer[path[k].key] = node;
    node = outer;
  }
  return node;
}

// Whether step k of `path`, absent from mapping `map`, may be created: it is not a near miss of a
// present key, and it and every later step are keys.
bool CanCreate(const YAML::Node& map, std::span<const PathElement> path, size_t k) {
  if (!map.IsMap() && !map.IsNull()) return false;
  for (size_t i = k; i < path.size(); ++i) {
    if (!path[i].is_key()) return false;
  }
  std::vector<std::string> keys;
  for (const auto& kv : map) {
    if (kv.first.IsScalar()) keys.push_back(kv.first.Scalar());
  }
  return !ClosestMatch(path[k].key, keys);
}

// --- Copy before write: a node shared through a YAML alias is copied out of the slot being
// written, so the aliased original keeps its value. yaml-cpp assigns through a handle (changing
// every alias of the node), so the parent's slot is replaced by rebuilding the parent one level
// deep. New nodes must live in the document's own memory: yaml-cpp frees a node with the memory
// of the handle that made it, and a node made by a stand-alone handle and linked in through
// another one can dangle (ASan showed a use-after-free). Hence NewNodeIn.

// A fresh empty collection in the memory of `root` (a mapping), made by adding and removing a
// scratch key.
YAML::Node NewNodeIn(YAML::Node& root, YAML::NodeType::value type) {
  static const std::string kScratch = "\x01clustersim-scratch";
  YAML::Node node = root[kScratch];
  root.remove(kScratch);
  node = YAML::Node(type);
  return node;
}

// A one-level copy of a collection: a new container holding the same children.
YAML::Node ShallowCopy(YAML::Node& root, const YAML::Node& node) {
  YAML::Node copy = NewNodeIn(root, node.IsMap() ? YAML::NodeType::Map : YAML::NodeType::Sequence);
  if (node.IsMap()) {
    for (const auto& kv : node) copy.force_insert(kv.first, kv.second);
  } else {
    for (const auto& child : node) copy.push_back(child);
  }
  return copy;
}

// Points slot `step` of `parent` (not itself shared) at `child` by giving `parent` a rebuilt
// container; `parent`'s own source position is lost, its children keep theirs.
void ReplaceSlot(YAML::Node& root, YAML::Node& parent, const PathElement& step,
                 const YAML::Node& child) {
  YAML::Node copy =
      NewNodeIn(root, parent.IsMap() ? YAML::NodeType::Map : YAML::NodeType::Sequence);
  if (parent.IsMap()) {
    for (const auto& kv : parent) {
      const bool hit = kv.first.IsScalar() && kv.first.Scalar() == step.key;
      copy.force_insert(kv.first, hit ? child : kv.second);
    }
  } else {
    for (size_t i = 0; i < parent.size(); ++i) copy.push_back(i == step.index ? child : parent[i]);
  }
  parent = copy;  // `parent` is not shared, so assigning through it changes only this slot
}

// The child at `step` of `parent`, first copied into its slot if an alias shares it; nothing if
// it is shared but cannot be copied (a document whose root is not a mapping).
std::optional<YAML::Node> Unshared(YAML::Node& root, YAML::Node& parent, const PathElement& step,
                                   const YAML::Node& child) {
  if (Occurrences(root, child) <= 1) return child;
  if (!root.IsMap()) return std::nullopt;
  const YAML::Node copy = ShallowCopy(root, child);
  ReplaceSlot(root, parent, step, copy);
  return copy;
}

std::string OutOfRange(size_t index, size_t size) {
  if (size == 0) return fmt::format("index {} out of range (the list is empty)", index);
  return fmt::format("index {} out of range (valid: 0..{})", index, size - 1);
}

}  // namespace

namespace {

// Sets step `last` of `parent` (reached through `walked`) to `value`; the reason if it cannot.
std::optional<std::string> SetLast(YAML::Node& root, YAML::Node& parent,
                                   const std::vector<PathElement>& walked, const PathElement& last,
                                   const YAML::Node& value) {
  if (last.is_key()) {
    if (!parent.IsMap() && !parent.IsNull()) {
      return fmt::format("{}expected a mapping to set '{}' in, got {}", Where(walked), last.key,
                         Describe(parent));
    }
    if (std::optional<YAML::Node> existing = FindKey(parent, last.key)) {
      if (Occurrences(root, *existing) > 1) {
        if (!root.IsMap()) return Shared(walked, last);
        ReplaceSlot(root, parent, last, value);
      } else {
        *existing = value;
      }  // rebinds the node in the tree
    } else {
      parent[last.key] = value;  // creates the key (and turns an empty value into a mapping)
    }
  } else {
    if (!parent.IsSequence()) {
      return fmt::format("{}expected a list to index with [{}], got {}", Where(walked), last.index,
                         Describe(parent));
    }
    if (last.index >= parent.size()) {
      return Where(walked) + OutOfRange(last.index, parent.size());
    }
    YAML::Node element = parent[last.index];
    if (Occurrences(root, element) > 1) {
      if (!root.IsMap()) return Shared(walked, last);
      ReplaceSlot(root, parent, last, value);
    } else {
      element = value;
    }
  }
  return std::nullopt;
}

}  // namespace

sim::Result<std::vector<PathElement>> ParseKeyPath(std::string_view path) {
  const auto invalid = [&](std::string_view what, size_t pos) {
    return sim::Status::Error(
        fmt::format("invalid key path '{}': {} at position {}", path, what, pos + 1));
  };
  if (path.empty()) return sim::Status::Error("invalid key path '': empty");
  std::vector<PathElement> out;
  size_t pos = 0;
  bool expect_key = true;  // at the start or after a dot
  while (pos < path.size()) {
    if (path[pos] == '[' && !(expect_key && !out.empty()) &&
        path.substr(pos).find('=') < path.substr(pos).find(']')) {
      // [key=value]
      const size_t start = ++pos;
      while (pos < path.size() && IsKeyChar(path[pos])) ++pos;
      if (pos == start) return invalid("expected a key before '='", start);
      if (pos >= path.size() || path[pos] != '=') return invalid("expected '='", pos);
      const std::string key(path.substr(start, pos - start));
      const size_t value_start = ++pos;
      while (pos < path.size() && path[pos] != ']' && path[pos] != ' ' && path[pos] != '\t') ++pos;
      if (pos == value_start) return invalid("expected a value after '='", value_start);
      if (pos >= path.size() || path[pos] != ']') return invalid("expected ']'", pos);
      out.push_back(
          PathElement::Select(key, std::string(path.substr(value_start, pos - value_start))));
      ++pos;
    } else if (path[pos] == '[' && !(expect_key && !out.empty())) {
      const size_t start = ++pos;
      while (pos < path.size() && path[pos] >= '0' && path[pos] <= '9') ++pos;
      if (pos == start) return invalid("expected a list index (digits)", start);
      size_t index = 0;
      const auto [ptr, ec] = std::from_chars(path.data() + start, path.data() + pos, index);
      if (ec != std::errc() || ptr != path.data() + pos) return invalid("index too large", start);
      if (pos >= path.size() || path[pos] != ']') return invalid("expected ']'", pos);
      ++pos;
      out.push_back(PathElement::Index(index));
    } else {
      const size_t start = pos;
      while (pos < path.size() && IsKeyChar(path[pos])) ++pos;
      if (pos == start) {
        if (expect_key) return invalid("empty key", start);
        return invalid(fmt::format("unexpected '{}'", path[pos]), pos);
      }
      out.push_back(PathElement::Key(std::string(path.substr(start, pos - start))));
    }
    expect_key = false;
    if (pos < path.size() && path[pos] == '.') {
      ++pos;
      expect_key = true;
      if (pos == path.size()) return invalid("empty key", pos);
    } else if (pos < path.size() && path[pos] != '[') {
      return invalid(fmt::format("unexpected '{}'", path[pos]), pos);
    }
  }
  return out;
}

std::string FormatKeyPath(std::span<const PathElement> path) {
  std::string out;
  for (const PathElement& e : path) {
    if (e.is_key()) {
      if (!out.empty()) out += '.';
      out += e.key;
    } else if (e.kind == PathElement::Kind::kSelect) {
      out += fmt::format("[{}={}]", e.key, e.value);
    } else {
      out += fmt::format("[{}]", e.index);
    }
  }
  return out;
}

namespace {

// `path` with each [key=value] step replaced by the index of the element it selects, found by
// walking `root` without changing it; the reason if a selection cannot be made.
sim::Result<std::vector<PathElement>> ResolveSelections(const YAML::Node& root,
                                                        std::vector<PathElement> path) {
  YAML::Node current = root;
  bool exists = true;
  std::vector<PathElement> walked;
  for (PathElement& step : path) {
    if (step.kind == PathElement::Kind::kSelect) {
      if (!exists || !current.IsSequence()) {
        return sim::Status::Error(fmt::format("{}expected a list to select [{}={}] in",
                                              Where(walked), step.key, step.value));
      }
      std::vector<size_t> hits;
      std::vector<std::string> present;
      for (size_t i = 0; i < current.size(); ++i) {
        const YAML::Node element = current[i];
        if (!element.IsMap()) continue;
        std::optional<YAML::Node> v = FindKey(element, step.key);
        if (!v || !v->IsScalar()) continue;
        present.push_back(v->Scalar());
        if (v->Scalar() == step.value) hits.push_back(i);
      }
      if (hits.size() != 1) {
        return sim::Status::Error(fmt::format(
            "{}{} element has {}: {} (present: {})", Where(walked),
            hits.empty() ? "no" : "more than one", step.key, step.value,
            present.empty() ? std::string("none") : fmt::format("{}", fmt::join(present, ", "))));
      }
      step = PathElement::Index(hits.front());
    }
    if (exists) {
      std::optional<YAML::Node> next;
      if (step.is_key()) {
        if (current.IsMap()) next = FindKey(current, step.key);
      } else if (current.IsSequence() && step.index < current.size()) {
        next = current[step.index];
      }
      exists = next.has_value();
      if (exists) current.reset(*next);
    }
    walked.push_back(step);
  }
  return path;
}

// The '=' of PATH=VALUE: the first one outside a [key=value] selection; npos if none.
size_t AssignmentEquals(std::string_view assignment) {
  for (size_t i = 0, depth = 0; i < assignment.size(); ++i) {
    if (assignment[i] == '[') ++depth;
    if (assignment[i] == ']' && depth > 0) --depth;
    if (assignment[i] == '=' && depth == 0) return i;
  }
  return std::string_view::npos;
}

// Why an assignment has no '=' outside a selection: an '=' inside an unclosed '[' is read as a
// selection's, so say that rather than "no '='".
std::string MissingEqualsProblem(std::string_view assignment) {
  const bool unclosed = std::count(assignment.begin(), assignment.end(), '[') >
                        std::count(assignment.begin(), assignment.end(), ']');
  return unclosed ? "a '[' is not closed by ']' (expected PATH=VALUE, e.g. --set "
                    "frameworks[0].count=2)"
                  : "expected PATH=VALUE, e.g. --set seed=7";
}

}  // namespace

sim::Status ApplyOverride(YamlDocument& doc, std::string_view assignment) {
  const auto fail = [&](std::string_view message) {
    return sim::Status::Error(fmt::format("--set {}: {}", assignment, message));
  };
  const size_t eq = AssignmentEquals(assignment);
  if (eq == std::string_view::npos) return fail(MissingEqualsProblem(assignment));
  const sim::Result<std::vector<PathElement>> parsed = ParseKeyPath(assignment.substr(0, eq));
  if (!parsed.ok()) return fail(parsed.error());
  const sim::Result<std::vector<PathElement>> resolved =
      ResolveSelections(doc.mutable_root(), *parsed);
  if (!resolved.ok()) return fail(resolved.error());
  const std::vector<PathElement>& path = *resolved;

  YAML::Node value;
  try {
    value = YAML::Load(std::string(assignment.substr(eq + 1)));
  } catch (const YAML::ParserException& e) {
    return fail(fmt::format("invalid YAML value: {} (at column {})", e.msg,
                            e.mark.is_null() ? 0 : e.mark.column + 1));
  } catch (const YAML::Exception& e) {
    return fail(fmt::format("invalid YAML value: {}", e.msg));
  }

  // Walk to the parent of the last step without modifying anything. Handles are kept in a
  // vector: assigning to a yaml-cpp Node handle would overwrite the node it refers to.
  std::vector<YAML::Node> chain = {doc.mutable_root()};
  std::vector<PathElement> walked;
  std::optional<size_t> create_from;  // the first step of `path` that does not exist yet
  for (size_t k = 0; k + 1 < path.size(); ++k) {
    const YAML::Node& current = chain.back();
    const PathElement& step = path[k];
    if (step.is_key()) {
      if (!current.IsMap() && !current.IsNull()) {
        return fail(fmt::format("{}expected a mapping to look up '{}' in, got {}", Where(walked),
                                step.key, Describe(current)));
      }
      std::optional<YAML::Node> child = FindKey(current, step.key);
      if (!child) {
        // An absent block is created (`master.allocator=drf` without `master:`), unless the key
        // looks like a typo of a present one or the rest of the path indexes a list.
        if (!CanCreate(current, path, k)) return fail(Where(walked) + NoSuchKey(current, step.key));
        create_from = k;
        break;
      }
      std::optional<YAML::Node> own = Unshared(doc.mutable_root(), chain.back(), step, *child);
      if (!own) return fail(Shared(walked, step));
      chain.push_back(*own);
    } else {
      if (!current.IsSequence()) {
        return fail(fmt::format("{}expected a list to index with [{}], got {}", Where(walked),
                                step.index, Describe(current)));
      }
      if (step.index >= current.size()) {
        return fail(Where(walked) + OutOfRange(step.index, current.size()));
      }
      const YAML::Node child = current[step.index];
      std::optional<YAML::Node> own = Unshared(doc.mutable_root(), chain.back(), step, child);
      if (!own) return fail(Shared(walked, step));
      chain.push_back(*own);
    }
    walked.push_back(step);
  }
  if (create_from) {
    chain.back()[path[*create_from].key] = Nest(path, *create_from + 1, value);
    if (*create_from + 1 < path.size()) {
      const std::span<const PathElement> created(path.data(), *create_from + 1);
      doc.RecordCreated(FormatKeyPath(created), assignment);
    }
    doc.RecordOverride(FormatKeyPath(path), assignment);
    return sim::Status::Ok();
  }

  if (std::optional<std::string> error =
          SetLast(doc.mutable_root(), chain.back(), walked, path.back(), value)) {
    return fail(*error);
  }
  doc.RecordOverride(FormatKeyPath(path), assignment);
  return sim::Status::Ok();
}

sim::Status ApplyOverrides(YamlDocument& doc, std::span<const std::string> assignments) {
  for (const std::string& assignment : assignments) {
    SIM_RETURN_IF_ERROR(ApplyOverride(doc, assignment));
  }
  return sim::Status::Ok();
}

}  // namespace clustersim::apps

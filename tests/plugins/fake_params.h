#pragma once

// A PolicyParams filled by hand, with nested mappings, for testing policy factories without the
// YAML layer. Records which keys were read so a test can check a factory read what it should.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "scheduler_plugins/api/policy_params.h"

namespace clustersim::test {

class FakeParams final : public plugins::PolicyParams {
 public:
  FakeParams& Set(const std::string& key, double v) {
    Put(key, Value{v, 0});
    return *this;
  }
  FakeParams& Set(const std::string& key, std::string v) {
    Put(key, Value{std::move(v), 0});
    return *this;
  }
  // A resource vector; `kinds` = the kinds written (bit k), as ResourceKindsNamed reports them.
  FakeParams& SetResources(const std::string& key, plugins::Resources r, uint32_t kinds) {
    Put(key, Value{r, kinds});
    return *this;
  }
  // The nested mapping under `key`, created if absent.
  FakeParams& Nested(const std::string& key) {
    for (auto& [k, v] : entries_) {
      if (k == key) return *std::get<std::shared_ptr<FakeParams>>(v.v);
    }
    auto child = std::make_shared<FakeParams>();
    Put(key, Value{child, 0});
    return *child;
  }

  sim::Result<double> Number(std::string_view key, double d, double min, double max) override {
    const Value* v = Read(key);
    if (v == nullptr) return d;
    if (!std::holds_alternative<double>(v->v)) return Error(key, "a number");
    const double x = std::get<double>(v->v);
    if (x < min || x > max) return Error(key, "a number in range");
    return x;
  }
  sim::Result<std::string> String(std::string_view key, std::string d) override {
    const Value* v = Read(key);
    if (v == nullptr) return d;
    if (!std::holds_alternative<std::string>(v->v)) return Error(key, "a string");
    return std::get<std::string>(v->v);
  }
  sim::Status Error(std::string_view key, std::string_view expected) const override {
    return sim::Status::Error(std::string(key) + ": expected " + std::string(expected));
  }
  sim::Result<plugins::PolicyParams*> Map(std::string_view key) override {
    const Value* v = Read(key);
    if (v == nullptr) return static_cast<plugins::PolicyParams*>(nullptr);
    if (!std::holds_alternative<std::shared_ptr<FakeParams>>(v->v)) return Error(key, "a mapping");
    return static_cast<plugins::PolicyParams*>(std::get<std::shared_ptr<FakeParams>>(v->v).get());
  }
  std::vector<std::string> Keys() const override {
    std::vector<std::string> keys;
    for (const auto& [k, v] : entries_) keys.push_back(k);
    return keys;
  }
  sim::Result<plugins::Resources> ResourceVector(std::string_view key,
                                                 plugins::Resources d) override {
    const Value* v = Read(key);
    if (v == nullptr) return d;
    if (!std::holds_alternative<plugins::Resources>(v->v)) return Error(key, "resources");
    return std::get<plugins::Resources>(v->v);
  }
  uint32_t ResourceKindsNamed(std::string_view key) const override {
    for (const auto& [k, v] : entries_) {
      if (k == key) return v.kinds;
    }
    return 0;
  }

  // Keys nobody read, here and below ("quotas.q.limit").
  std::vector<std::string> Unread(const std::string& prefix = "") const {
    std::vector<std::string> out;
    for (const auto& [k, v] : entries_) {
      if (!read_.contains(k)) out.push_back(prefix + k);
      if (auto* child = std::get_if<std::shared_ptr<FakeParams>>(&v.v)) {
        for (auto& u : (*child)->Unread(prefix + k + ".")) out.push_back(u);
      }
    }
    return out;
  }

 private:
  struct Value {
    std::variant<double, std::string, plugins::Resources, std::shared_ptr<FakeParams>> v;
    uint32_t kinds = 0;
  };
  void Put(const std::string& key, Value v) {
    for (auto& [k, old] : entries_) {
      if (k == key) {
        old = std::move(v);
        return;
      }
    }
    entries_.emplace_back(key, std::move(v));
  }
  const Value* Read(std::string_view key) {
    for (const auto& [k, v] : entries_) {
      if (k == key) {
        read_.insert(k);
        return &v;
      }
    }
    return nullptr;
  }

  std::vector<std::pair<std::string, Value>> entries_;
  std::set<std::string> read_;
};

}  // namespace clustersim::test

#pragma once

#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace clustersim::sim {

// The channel for bad user input (scenario files, traces, flags): errors travel up to main, which
// prints the message on one line and exits 2. Broken invariants use SIM_CHECK instead.
// [[nodiscard]]: a dropped Status or Result is a dropped input error; the compiler says so.
class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message), true); }

  bool ok() const { return !failed_; }
  const std::string& message() const { return message_; }

 private:
  Status(std::string message, bool failed) : message_(std::move(message)), failed_(failed) {}
  std::string message_;
  bool failed_ = false;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design, like absl::StatusOr.
  Result(Status error) : v_(std::move(error)) {
    if (std::get<Status>(v_).ok()) std::abort();  // An ok Status carries no value.
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  const std::string& error() const { return status().message(); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace clustersim::sim

// Propagates an error Status/Result from an expression returning Status.
#define SIM_RETURN_IF_ERROR(expr)                   \
  do {                                              \
    ::clustersim::sim::Status sim_status_ = (expr); \
    if (!sim_status_.ok()) return sim_status_;      \
  } while (0)

#define SIM_CONCAT_INNER_(a, b) a##b
#define SIM_CONCAT_(a, b) SIM_CONCAT_INNER_(a, b)
#define SIM_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()
// Evaluates a Result-returning expression; on error returns its Status, else assigns the value.
#define SIM_ASSIGN_OR_RETURN(lhs, expr) \
  SIM_ASSIGN_OR_RETURN_IMPL_(SIM_CONCAT_(sim_result_, __LINE__), lhs, expr)

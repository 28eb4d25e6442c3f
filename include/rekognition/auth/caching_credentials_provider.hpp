// rekognition-cpp: caching credentials and refreshing them ahead of expiry.
#ifndef REKOGNITION_AUTH_CACHING_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_AUTH_CACHING_CREDENTIALS_PROVIDER_HPP

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

#include "rekognition/auth/credentials.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Settings of CachingCredentialsProvider.
struct CachingCredentialsOptions {
  /// Credentials are refreshed this long before they expire.
  std::chrono::seconds refresh_ahead{300};
  /// The current time (empty: the system clock). Tests inject their own.
  std::function<std::chrono::system_clock::time_point()> clock;
};

/// Remembers what its inner provider returned and asks again only when the
/// credentials come within `refresh_ahead` of their expiration (credentials
/// without one are kept for good). Exactly one caller refreshes at a time:
/// while the cached credentials are still valid the other callers keep using
/// them, and when there is nothing valid the other callers wait for that one
/// refresh and share its outcome, credentials or exception. A failed refresh
/// before expiry is not an error: the cached credentials are returned and the
/// refresh is tried again 30 s later (or at expiry); after expiry the failure
/// propagates. Thread-safe.
class CachingCredentialsProvider : public CredentialsProvider {
 public:
  /// Throws std::invalid_argument when `inner` is null.
  explicit CachingCredentialsProvider(std::shared_ptr<CredentialsProvider> inner,
                                      CachingCredentialsOptions options = {})
      : inner_(std::move(inner)),
        refresh_ahead_(options.refresh_ahead),
        clock_(std::move(options.clock)) {
    if (!inner_) throw std::invalid_argument("CachingCredentialsProvider needs a provider");
    if (!clock_) clock_ = [] { return std::chrono::system_clock::now(); };
  }

  /// Returns the cached credentials, refreshing them first when due.
  /// Throws what the inner provider throws when there is nothing valid to
  /// return, or CredentialsError when it returns already expired credentials.
  Credentials GetCredentials() override {
    std::optional<Credentials> usable;  // still valid, though due
    std::uint64_t attempts_seen = 0;
    {
      std::lock_guard<std::mutex> lock(state_mutex_);
      const auto now = clock_();
      if (cached_ && now < refresh_at_) return *cached_;
      if (cached_ && (!cached_->expiration || now < *cached_->expiration)) usable = cached_;
      attempts_seen = attempts_;
    }
    if (usable) {
      // Due but still valid: one caller refreshes, the others go on with
      // what they have.
      std::unique_lock<std::mutex> refresh(refresh_mutex_, std::try_to_lock);
      if (!refresh.owns_lock()) return *usable;
      try {
        return Refresh();
      } catch (const std::exception&) {
        std::lock_guard<std::mutex> lock(state_mutex_);
        if (cached_ && cached_->expiration)
          refresh_at_ = std::min(clock_() + kRetryAfterFailure, *cached_->expiration);
        return *usable;
      }
    }
    // Nothing valid: everyone waits for one refresh and shares its outcome.
    std::lock_guard<std::mutex> refresh(refresh_mutex_);
    {
      std::lock_guard<std::mutex> lock(state_mutex_);
      if (attempts_ != attempts_seen) {  // a refresh ran while this caller waited
        if (last_failure_) std::rethrow_exception(last_failure_);
        if (cached_) return *cached_;
      }
    }
    return Refresh();
  }

  /// Forgets the cached credentials, so the next call asks the inner
  /// provider (e.g. after the service rejected them). Thread-safe.
  void Invalidate() {
    std::lock_guard<std::mutex> lock(state_mutex_);
    cached_.reset();
  }

 private:
  static constexpr std::chrono::seconds kRetryAfterFailure{30};

  // Called with refresh_mutex_ held: asks the inner provider unless the
  // cache became fresh meanwhile, and records the outcome.
  Credentials Refresh() {
    {
      std::lock_guard<std::mutex> lock(state_mutex_);
      if (cached_ && clock_() < refresh_at_) return *cached_;
    }
    std::optional<Credentials> fresh;
    std::exception_ptr failure;
    try {
      fresh = inner_->GetCredentials();
    } catch (...) {
      failure = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(state_mutex_);
    ++attempts_;
    const auto now = clock_();
    if (!failure && fresh->expiration && *fresh->expiration <= now)
      failure = std::make_exception_ptr(CredentialsError(
          "the credentials provider returned credentials that have already expired"));
    last_failure_ = failure;
    if (failure) std::rethrow_exception(failure);
    if (!fresh->expiration) {
      refresh_at_ = std::chrono::system_clock::time_point::max();
    } else {
      refresh_at_ = *fresh->expiration - refresh_ahead_;
      // Credentials that arrive already inside the refresh window are used
      // for half their remaining life instead of being fetched on every call.
      if (refresh_at_ <= now) refresh_at_ = now + (*fresh->expiration - now) / 2;
    }
    cached_ = fresh;
    return *fresh;
  }

  std::shared_ptr<CredentialsProvider> inner_;
  std::chrono::system_clock::duration refresh_ahead_;
  std::function<std::chrono::system_clock::time_point()> clock_;
  std::mutex refresh_mutex_;  // held by the one caller that refreshes
  std::mutex state_mutex_;    // guards everything below
  std::optional<Credentials> cached_;
  std::chrono::system_clock::time_point refresh_at_{};
  std::uint64_t attempts_ = 0;       // refreshes finished, successful or not
  std::exception_ptr last_failure_;  // the last refresh's exception, if it failed
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_CACHING_CREDENTIALS_PROVIDER_HPP

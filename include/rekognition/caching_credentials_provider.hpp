// rekognition-cpp: caching credentials and refreshing them ahead of expiry.
#ifndef REKOGNITION_CACHING_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_CACHING_CREDENTIALS_PROVIDER_HPP

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

#include "rekognition/credentials.hpp"
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
/// them, and once they have expired the other callers wait for the refresh
/// and share its result. A failed refresh before expiry is not an error (the
/// cached credentials are returned and the next call tries again); after
/// expiry it propagates. Thread-safe.
class CachingCredentialsProvider : public CredentialsProvider {
 public:
  /// Throws std::invalid_argument when `inner` is null.
  explicit CachingCredentialsProvider(std::shared_ptr<CredentialsProvider> inner,
                                      CachingCredentialsOptions options = {})
      : inner_(std::move(inner)), refresh_ahead_(options.refresh_ahead), clock_(std::move(options.clock)) {
    if (!inner_) throw std::invalid_argument("CachingCredentialsProvider needs a provider");
    if (!clock_) clock_ = [] { return std::chrono::system_clock::now(); };
  }

  /// Returns the cached credentials, refreshing them first when due.
  /// Throws what the inner provider throws when there is nothing valid to
  /// return, or CredentialsError when it returns already expired credentials.
  Credentials GetCredentials() override {
    std::optional<Credentials> usable;  // still valid, though maybe due
    {
      std::lock_guard<std::mutex> lock(state_mutex_);
      const auto now = clock_();
      if (cached_ && now < refresh_at_) return *cached_;
      if (cached_ && (!cached_->expiration || now < *cached_->expiration)) usable = cached_;
    }
    if (usable) {
      // Due but still valid: one caller refreshes, the others go on with
      // what they have.
      std::unique_lock<std::mutex> refresh(refresh_mutex_, std::try_to_lock);
      if (!refresh.owns_lock()) return *usable;
      try {
        return RefreshIfStillDue();
      } catch (const std::exception&) {
        return *usable;
      }
    }
    // Nothing valid: everyone waits for the one refresh.
    std::lock_guard<std::mutex> refresh(refresh_mutex_);
    return RefreshIfStillDue();
  }

  /// Forgets the cached credentials, so the next call asks the inner
  /// provider (e.g. after the service rejected them). Thread-safe.
  void Invalidate() {
    std::lock_guard<std::mutex> lock(state_mutex_);
    cached_.reset();
  }

 private:
  // Called with refresh_mutex_ held.
  Credentials RefreshIfStillDue() {
    {
      std::lock_guard<std::mutex> lock(state_mutex_);
      if (cached_ && clock_() < refresh_at_) return *cached_;  // refreshed meanwhile
    }
    Credentials fresh = inner_->GetCredentials();
    std::lock_guard<std::mutex> lock(state_mutex_);
    const auto now = clock_();
    if (fresh.expiration && *fresh.expiration <= now)
      throw CredentialsError("the credentials provider returned credentials that have already expired");
    if (!fresh.expiration) {
      refresh_at_ = std::chrono::system_clock::time_point::max();
    } else {
      refresh_at_ = *fresh.expiration - refresh_ahead_;
      // Credentials that arrive already inside the refresh window are used
      // for half their remaining life instead of being fetched on every call.
      if (refresh_at_ <= now) refresh_at_ = now + (*fresh.expiration - now) / 2;
    }
    cached_ = fresh;
    return fresh;
  }

  std::shared_ptr<CredentialsProvider> inner_;
  std::chrono::system_clock::duration refresh_ahead_;
  std::function<std::chrono::system_clock::time_point()> clock_;
  std::mutex refresh_mutex_;  // held by the one caller that refreshes
  std::mutex state_mutex_;    // guards cached_ and refresh_at_
  std::optional<Credentials> cached_;
  std::chrono::system_clock::time_point refresh_at_{};
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_CACHING_CREDENTIALS_PROVIDER_HPP

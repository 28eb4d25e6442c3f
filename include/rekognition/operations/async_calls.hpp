// rekognition-cpp: asynchronous calls through the request pipeline. A call is
// prepared and signed on the calling thread; its attempts, backoff waits and
// completion then run on the client's event loop.
#ifndef REKOGNITION_OPERATIONS_ASYNC_CALLS_HPP
#define REKOGNITION_OPERATIONS_ASYNC_CALLS_HPP

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "rekognition/errors.hpp"
#include "rekognition/http/event_loop.hpp"
#include "rekognition/http/transport.hpp"
#include "rekognition/operations/outcome.hpp"
#include "rekognition/operations/pipeline.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

namespace detail {

class AsyncCalls;

// Where an asynchronous call's outcome goes: the one part of a call that
// depends on its operation. Everything else (attempts, timers, cancelling)
// is shared by every operation in AsyncCall.
class CallReceiver {
 public:
  explicit CallReceiver(std::string_view operation) : operation(operation) {}
  virtual ~CallReceiver() = default;
  // Parses a 2xx answer into the result it keeps (throws what
  // RequestPipeline::Finish throws).
  virtual void Parse(RequestPipeline& pipeline, const PipelineTarget& target, CallState& state,
                     CallOutcome outcome) = 0;
  // Hands over the kept result, or `error` when it is set. Exactly once.
  virtual void Deliver(std::exception_ptr error) = 0;

  const std::string_view operation;  // e.g. "DetectCustomLabels", for warnings
};

// The receiver of an operation `Op`: parses its result and hands the
// outcome to a completion or a promise.
template <typename Op>
class OperationReceiver : public CallReceiver {
 public:
  using Result = typename Op::Result;

  OperationReceiver() : CallReceiver(Op::kName) {}
  void Parse(RequestPipeline& pipeline, const PipelineTarget& target, CallState& state,
             CallOutcome outcome) final {
    result_.emplace(pipeline.Finish<Op>(target, state, std::move(outcome)));
  }

 protected:
  std::optional<Result> result_;
};

template <typename Op>
class CompletionReceiver final : public OperationReceiver<Op> {
 public:
  using Result = typename Op::Result;
  explicit CompletionReceiver(Completion<Result> done) : done_(std::move(done)) {}
  void Deliver(std::exception_ptr error) override {
    if (!done_) return;  // nobody asked for the outcome
    if (error)
      done_(Outcome<Result>::Failure(std::move(error)));
    else
      done_(Outcome<Result>::Success(std::move(*this->result_)));
  }

 private:
  Completion<Result> done_;
};

template <typename Op>
class PromiseReceiver final : public OperationReceiver<Op> {
 public:
  using Result = typename Op::Result;
  std::future<Result> future() { return promise_.get_future(); }
  void Deliver(std::exception_ptr error) override {
    if (error)
      promise_.set_exception(std::move(error));
    else
      promise_.set_value(std::move(*this->result_));
  }

 private:
  std::promise<Result> promise_;
};

// One asynchronous call as its manager sees it. Every member but
// RequestCancel runs on the loop's thread.
class AsyncCallBase : public CancellableCall, public std::enable_shared_from_this<AsyncCallBase> {
 public:
  enum class Phase { kPosted, kQueued, kWaiting, kSending, kDone };

  // A slot is free: wait for the rate limiter, then send the first attempt.
  virtual void Start() = 0;
  // Stops the call wherever it is; it completes with kCancelled.
  virtual void Cancel() = 0;
  REKOGNITION_INLINE void RequestCancel() override;

  Phase phase = Phase::kPosted;
  bool holds_slot = false;  // counts against max_in_flight

 protected:
  explicit AsyncCallBase(AsyncCalls& calls) : calls_(calls) {}
  AsyncCalls& calls_;
};

// The asynchronous calls of one client: their event loop (made at the first
// call, over the transport's driver), the bound on calls in flight and the
// queue beyond it. Destroying it waits for the calls in flight to complete.
class AsyncCalls {
 public:
  AsyncCalls(RequestPipeline& pipeline, std::size_t max_in_flight, EventLoop::Clock clock,
             std::function<void(const std::string&)> warn)
      : pipeline_(pipeline),
        max_in_flight_(max_in_flight),
        clock_(std::move(clock)),
        warn_(std::move(warn)) {}
  ~AsyncCalls() {
    Shutdown();
    *destroyed_ = true;
  }
  AsyncCalls(const AsyncCalls&) = delete;
  AsyncCalls& operator=(const AsyncCalls&) = delete;

  // Starts call `Op` of `request`; `receiver` gets its outcome. Validation,
  // endpoint resolution and the first signature happen here, on the calling
  // thread; what fails here is delivered before Submit returns.
  template <typename Op>
  CallHandle Submit(const typename Op::Request& request, const ValidationOptions& options,
                    const std::function<const PipelineTarget&()>& resolve,
                    std::unique_ptr<OperationReceiver<Op>> receiver) {
    PreparedCall prepared;
    try {
      CheckCapacity();
      prepared = pipeline_.Prepare<Op>(request, options);
    } catch (...) {
      receiver->Deliver(std::current_exception());
      return CallHandle();
    }
    return Start(std::move(prepared), resolve, std::move(receiver));
  }

  // The part of Submit every operation shares: resolves, signs the first
  // attempt and posts the call to the loop.
  CallHandle Start(PreparedCall prepared, const std::function<const PipelineTarget&()>& resolve,
                   std::unique_ptr<CallReceiver> receiver);

  // Finishes or cancels every call, then ends the loop. From the loop's own
  // thread (a completion dropped the last client) it cancels what is left.
  void Shutdown();

  RequestPipeline& pipeline() noexcept { return pipeline_; }
  EventLoop& loop() noexcept { return *loop_; }
  void Warn(const std::string& line) noexcept {
    try {
      if (warn_) warn_(line);
    } catch (...) {
    }
  }

  // Loop thread: admits a posted call, or queues it past max_in_flight.
  void Admit(const std::shared_ptr<AsyncCallBase>& call);
  // Loop thread: takes a queued call out of the queue.
  void Unqueue(const AsyncCallBase* call);
  // Loop thread: a call is over; frees its slot and starts the next. Runs
  // before the call's completion, which may destroy this object.
  void Release(AsyncCallBase* call);

 private:
  EventLoop& EnsureLoop(HttpTransport& transport);
  void CheckCapacity() const {
    if (max_in_flight_ == 0)
      throw ConfigurationError("ClientConfig::max_in_flight is 0; it must be at least 1");
  }

  RequestPipeline& pipeline_;
  const std::size_t max_in_flight_;
  EventLoop::Clock clock_;
  std::function<void(const std::string&)> warn_;

  std::mutex mutex_;
  std::condition_variable idle_;
  std::unique_ptr<EventLoop> loop_;  // made once, under mutex_
  // Every call not yet complete, kept alive here; guarded by mutex_.
  std::unordered_map<const AsyncCallBase*, std::shared_ptr<AsyncCallBase>> live_;
  // Loop thread only.
  std::size_t in_flight_ = 0;
  bool shutting_down_ = false;
  std::deque<std::shared_ptr<AsyncCallBase>> queue_;
  // Set by the destructor; outlives this object for a Release that started a
  // call whose completion destroyed the client.
  std::shared_ptr<bool> destroyed_ = std::make_shared<bool>(false);
};

REKOGNITION_INLINE void AsyncCallBase::RequestCancel() {
  if (finished.load(std::memory_order_acquire)) return;
  calls_.loop().Post([self = shared_from_this()] { self->Cancel(); });
}

// The TransportError a cancelled call completes with.
REKOGNITION_INLINE std::exception_ptr CancelledError(int attempts) {
  return std::make_exception_ptr(TransportError(
      TransportFailure{TransportErrorKind::kCancelled, 0, "the call was cancelled"}, attempts));
}

// One asynchronous call of any operation.
class AsyncCall final : public AsyncCallBase {
 public:
  AsyncCall(AsyncCalls& calls, const PipelineTarget& target, PreparedCall call, CallState state,
            HttpRequest http, std::unique_ptr<CallReceiver> receiver)
      : AsyncCallBase(calls),
        target_(target),
        call_(std::move(call)),
        state_(std::move(state)),
        http_(std::move(http)),
        receiver_(std::move(receiver)) {
    // The request views the body: point it at the copy this call owns.
    http_.body = call_.body;
  }

  void Start() override { BeginAttempt(false); }

  void Cancel() override {
    switch (phase) {
      case Phase::kDone:
        return;
      case Phase::kPosted:
        break;
      case Phase::kQueued:
        calls_.Unqueue(this);
        break;
      case Phase::kWaiting:
        calls_.loop().CancelTimer(timer_);
        break;
      case Phase::kSending:
        cancelled_ = true;
        calls_.loop().driver().Cancel(transfer_);  // completes through OnResult
        return;
    }
    Complete(CancelledError(state_.attempt));
  }

 private:
  // Waits for the rate limiter (on a timer), then signs unless the first
  // attempt's signature made on the calling thread is still fresh, and sends.
  void BeginAttempt(bool sign) {
    std::exception_ptr error;
    try {
      const auto wait = target_.retry_policy->BeforeAttempt();
      calls_.pipeline().CheckDeadline(state_, wait);
      if (wait.count() > 0)
        Wait(wait, sign);
      else
        Send(sign);
    } catch (...) {
      error = std::current_exception();
    }
    if (error) Fail(std::move(error));
  }

  void Wait(std::chrono::milliseconds delay, bool sign) {
    phase = Phase::kWaiting;
    timer_ = calls_.loop().After(delay, [self = Self(), sign] { self->SendOrFail(sign); });
  }

  void SendOrFail(bool sign) {
    std::exception_ptr error;
    try {
      Send(sign);
    } catch (...) {
      error = std::current_exception();
    }
    if (error) Fail(std::move(error));
  }

  void Send(bool sign) {
    // A signature is good for 5 minutes; a call that queued long is re-signed.
    if (sign || std::chrono::steady_clock::now() - signed_ > std::chrono::minutes(1)) {
      if (!sign) --state_.attempt;  // the same attempt, signed again
      http_ = calls_.pipeline().SignAttempt(call_, target_, state_);
      signed_ = std::chrono::steady_clock::now();
    }
    phase = Phase::kSending;
    sent_ = std::chrono::steady_clock::now();
    transfer_ = calls_.loop().driver().Start(
        http_,
        HttpCompletion([self = Self()](HttpResult result) { self->OnResult(std::move(result)); },
                       [self = Self()](std::exception_ptr error) {
                         // What the blocking call would have thrown.
                         if (self->phase == Phase::kSending) self->Fail(std::move(error));
                       }));
  }

  void OnResult(HttpResult result) {
    if (phase != Phase::kSending) return;
    if (cancelled_) {
      Complete(CancelledError(state_.attempt));
      return;
    }
    std::exception_ptr error;
    bool parsed = false;
    try {
      const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - sent_);
      CallOutcome outcome;
      RequestPipeline& pipeline = calls_.pipeline();
      const auto verdict =
          pipeline.HandleAttempt(target_, state_, std::move(result), elapsed, outcome);
      if (verdict.kind == RequestPipeline::Verdict::kSuccess) {
        receiver_->Parse(pipeline, target_, state_, std::move(outcome));
        parsed = true;
      } else {
        pipeline.CheckDeadline(state_, verdict.delay);
        phase = Phase::kWaiting;
        timer_ = calls_.loop().After(verdict.wait ? verdict.delay : std::chrono::milliseconds(0),
                                     [self = Self()] { self->BeginAttempt(true); });
      }
    } catch (...) {
      error = std::current_exception();
    }
    if (error)
      Fail(std::move(error));
    else if (parsed)
      Complete(nullptr);
  }

  // Completes with `error`. Called after the handler that caught it has
  // ended, so this thread holds no reference but the one passed on: the
  // completion may end the exception's life on another thread.
  void Fail(std::exception_ptr error) {
    if (!error)  // a driver that failed without an exception: still a failure
      error = std::make_exception_ptr(TransportError(
          TransportFailure{TransportErrorKind::kOther, 0, "the transport failed without an error"},
          state_.attempt));
    Complete(std::move(error));
  }

  // Completes with the parsed result, or with `error` when it is set.
  void Complete(std::exception_ptr error) {
    if (!receiver_) return;  // completed already (a driver that completed twice)
    phase = Phase::kDone;
    // Keeps this call alive through its completion, whoever held it before.
    const std::shared_ptr<AsyncCallBase> keep = shared_from_this();
    calls_.Release(this);  // before the completion, which may destroy the client
    finished.store(true, std::memory_order_release);
    // The receiver (and what its completion holds) dies here, not with the call.
    const std::unique_ptr<CallReceiver> receiver = std::move(receiver_);
    try {
      receiver->Deliver(std::move(error));
    } catch (const std::exception& e) {
      WarnFromCompletion(receiver->operation, e.what());
    } catch (...) {
      WarnFromCompletion(receiver->operation, "unknown exception");
    }
  }

  void WarnFromCompletion(std::string_view operation, const char* what) noexcept {
    // The client may be gone by now (the completion dropped it): only a
    // client that is still alive can log, so the warning goes to stderr.
    std::fprintf(stderr, "rekognition: a completion of %s threw (ignored): %s\n",
                 std::string(operation).c_str(), what);
  }

  std::shared_ptr<AsyncCall> Self() {
    return std::static_pointer_cast<AsyncCall>(shared_from_this());
  }

  const PipelineTarget& target_;
  PreparedCall call_;
  CallState state_;
  HttpRequest http_;
  std::unique_ptr<CallReceiver> receiver_;
  std::chrono::steady_clock::time_point signed_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point sent_;
  std::uint64_t transfer_ = 0;
  std::uint64_t timer_ = 0;
  bool cancelled_ = false;
};

REKOGNITION_INLINE CallHandle
AsyncCalls::Start(PreparedCall prepared, const std::function<const PipelineTarget&()>& resolve,
                  std::unique_ptr<CallReceiver> receiver) {
  // Valid while `receiver` or `call` owns it, until this function returns.
  CallReceiver* const outcome_to = receiver.get();
  std::shared_ptr<AsyncCall> call;
  try {
    const PipelineTarget& target = resolve();
    CallState state = pipeline_.Begin(target);
    HttpRequest http = pipeline_.SignAttempt(prepared, target, state);
    EventLoop& loop = EnsureLoop(*target.transport);
    call = std::make_shared<AsyncCall>(*this, target, std::move(prepared), std::move(state),
                                       std::move(http), std::move(receiver));
    {
      std::lock_guard<std::mutex> lock(mutex_);
      live_.emplace(call.get(), call);
    }
    loop.Post([this, call] { Admit(call); });
  } catch (...) {
    if (call) {
      std::lock_guard<std::mutex> lock(mutex_);
      live_.erase(call.get());
    }
    outcome_to->Deliver(std::current_exception());
    return CallHandle();
  }
  return CallHandle(call);
}

REKOGNITION_INLINE EventLoop& AsyncCalls::EnsureLoop(HttpTransport& transport) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!loop_) loop_ = std::make_unique<EventLoop>(transport.MakeAsyncDriver(), clock_);
  return *loop_;
}

REKOGNITION_INLINE void AsyncCalls::Admit(const std::shared_ptr<AsyncCallBase>& call) {
  if (call->phase != AsyncCallBase::Phase::kPosted) return;  // cancelled meanwhile
  if (in_flight_ >= max_in_flight_) {
    call->phase = AsyncCallBase::Phase::kQueued;
    queue_.push_back(call);
    return;
  }
  ++in_flight_;
  call->holds_slot = true;
  call->Start();
}

REKOGNITION_INLINE void AsyncCalls::Unqueue(const AsyncCallBase* call) {
  queue_.erase(std::remove_if(queue_.begin(), queue_.end(),
                              [call](const auto& queued) { return queued.get() == call; }),
               queue_.end());
}

REKOGNITION_INLINE void AsyncCalls::Release(AsyncCallBase* call) {
  if (call->holds_slot) {
    call->holds_slot = false;
    --in_flight_;
    while (!shutting_down_ && !queue_.empty() && in_flight_ < max_in_flight_) {
      std::shared_ptr<AsyncCallBase> next = std::move(queue_.front());
      queue_.pop_front();
      ++in_flight_;
      next->holds_slot = true;
      // It may complete at once (its deadline passed while it queued), and
      // its completion may destroy the client, and this object with it.
      const std::shared_ptr<bool> destroyed = destroyed_;
      next->Start();
      if (*destroyed) return;
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  live_.erase(call);
  if (live_.empty()) idle_.notify_all();
}

REKOGNITION_INLINE void AsyncCalls::Shutdown() {
  EventLoop* loop = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    loop = loop_.get();
  }
  if (!loop) return;
  if (loop->OnLoopThread()) {
    shutting_down_ = true;
    std::vector<std::shared_ptr<AsyncCallBase>> calls;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto& entry : live_) calls.push_back(entry.second);
    }
    for (auto& call : calls) call->Cancel();
  } else {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [this] { return live_.empty(); });
  }
  loop->Stop();
}

}  // namespace detail

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_ASYNC_CALLS_HPP

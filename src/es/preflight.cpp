#include "es/preflight.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "core/errors.h"
#include "es/retry.h"
#include "es/trace.h"

namespace connectors::es {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// A try is one request that gives up by `timeout` (at least 1 s, at most the
// configured request timeout), so that the settings alone decide how long we wait.
ClientOptions single_attempt(ClientOptions options, milliseconds timeout) {
  options.max_retries = 0;
  auto floor = std::min<milliseconds>(std::chrono::seconds(1), options.transport.timeout);
  options.transport.timeout = std::clamp(timeout, floor, options.transport.timeout);
  options.transport.connect_timeout =
      std::min(options.transport.connect_timeout, options.transport.timeout);
  return options;
}

bool is_credentials_error(const EsError& e) { return e.status() == 401 || e.status() == 403; }

std::string host_of(const Client& client) {
  return url_without_credentials(client.options().transport.host);
}

}  // namespace

EngineInfo wait_for_cluster(const Client& client, const config::Config& config,
                            std::stop_token stop) {
  const auto& es = config.elasticsearch;
  const auto deadline = Clock::now() + std::chrono::seconds(es.max_wait_duration_s);
  double backoff_s = es.initial_backoff_duration_s;
  for (int attempt = 1;; ++attempt) {
    std::string reason;
    try {
      auto remaining = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
      Client probe(single_attempt(client.options(), remaining));
      return probe.info(stop);
    } catch (const EsError& e) {
      if (is_credentials_error(e)) throw;
      reason = e.what();
    }
    auto left = std::chrono::ceil<milliseconds>(deadline - Clock::now());
    if (left <= milliseconds(0)) {
      throw Error(fmt::format(
          "Elasticsearch at {} did not answer within {} s (elasticsearch.max_wait_duration), "
          "{} attempts; last error: {}",
          host_of(client), es.max_wait_duration_s, attempt, reason));
    }
    auto wait = std::min(milliseconds(static_cast<long long>(backoff_s * 1000)), left);
    spdlog::warn("waiting for Elasticsearch at {} (attempt {}): {}; next check in {:.1f} s",
                 host_of(client), attempt, reason, static_cast<double>(wait.count()) / 1000);
    if (!sleep_for(wait, stop)) throw Cancelled();
    backoff_s *= es.backoff_multiplier;
  }
}

EngineInfo preflight(const Client& client, const config::Config& config, std::stop_token stop,
                     const std::function<void(Client&)>& system_indices) {
  EngineInfo info = wait_for_cluster(client, config, stop);
  const auto& service = config.service;
  Client once(single_attempt(client.options(), client.options().transport.timeout));
  for (int attempt = 1;; ++attempt) {
    std::string reason;
    try {
      system_indices(once);
      return info;
    } catch (const Cancelled&) {
      throw;
    } catch (const EsError& e) {
      if (is_credentials_error(e)) throw;
      reason = e.what();
    } catch (const std::exception& e) {
      reason = e.what();
    }
    if (attempt >= service.preflight_max_attempts) {
      throw Error(
          fmt::format("the system indices at {} could not be set up in {} attempts, {} s apart "
                      "(service.preflight_max_attempts, service.preflight_idle); last error: {}",
                      host_of(client), attempt, service.preflight_idle_s, reason));
    }
    spdlog::warn(
        "setting up the system indices at {} failed (attempt {}/{}): {}; next attempt in {} s",
        host_of(client), attempt, service.preflight_max_attempts, reason, service.preflight_idle_s);
    if (!sleep_for(std::chrono::seconds(service.preflight_idle_s), stop)) throw Cancelled();
  }
}

}  // namespace connectors::es

// Typed errors of the framework. Each error keeps the fields a job or connector
// document needs (key, HTTP status, ES error type, ...) as members, so that the
// layer that writes them does not have to parse what() back.
#pragma once

#include <stdexcept>
#include <string>

namespace connectors {

// Base of every error the framework throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A configuration value is missing or wrong. `key` is the dotted config.yml key
// (or the connector configuration field) that is at fault.
class ConfigError : public Error {
 public:
  // what() is "key: problem", or `problem` alone when it already names the key.
  ConfigError(std::string key, const std::string& problem)
      : Error(key.empty() || problem.find(key) != std::string::npos ? problem
                                                                     : key + ": " + problem),
        key_(std::move(key)) {}
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

// A content source failed (connection, query, permission, bad data).
class SourceError : public Error {
 public:
  using Error::Error;
};

// The job was cancelled or the service is shutting down.
class Cancelled : public Error {
 public:
  Cancelled() : Error("cancelled") {}
};

}  // namespace connectors

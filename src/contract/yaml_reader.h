#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contract/types.h"

namespace modelgate::contract {

// Problems found while reading a contract, each with its place in the file.
class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void Add(const YAML::Node& node, std::string_view path, std::string_view message);
  void Add(const YAML::Mark& mark, std::string_view path, std::string_view message);
  bool empty() const { return lines_.empty(); }
  // One line per problem: `file:line:column: key: message`.
  std::string Format() const;
  SourceLocation Locate(const YAML::Node& node) const;
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<std::string> lines_;
};

// Reads one YAML mapping of a contract. Every key that the code asks for, under any of its
// aliases, becomes known; Finish() reports the keys nobody asked for, with the nearest known
// key as a suggestion. So the list of accepted keys is exactly the code that reads them.
class MapReader {
 public:
  MapReader(const YAML::Node& node, std::string path, Diagnostics& diagnostics);

  // Returns the value of the first key of `names` that is present, or an undefined node.
  YAML::Node Get(std::initializer_list<std::string_view> names);
  // Returns the key under which Get found a value, for messages.
  std::string PathOf(std::initializer_list<std::string_view> names) const;

  std::optional<std::string> String(std::initializer_list<std::string_view> names);
  std::optional<double> Number(std::initializer_list<std::string_view> names);
  std::optional<std::int64_t> Integer(std::initializer_list<std::string_view> names);
  std::optional<std::size_t> Count(std::initializer_list<std::string_view> names);
  std::optional<bool> Bool(std::initializer_list<std::string_view> names);
  // A duration: a number in `unit`, or text such as "120ms", "60 s", "10 minutes", "24h".
  std::optional<std::chrono::milliseconds> Duration(std::initializer_list<std::string_view> names,
                                                    std::chrono::milliseconds unit);
  std::vector<std::string> StringList(std::initializer_list<std::string_view> names);

  void Finish();
  bool valid() const { return valid_; }
  const std::string& path() const { return path_; }
  Diagnostics& diagnostics() { return diagnostics_; }

 private:
  YAML::Node node_;
  std::string path_;
  Diagnostics& diagnostics_;
  bool valid_ = true;
  std::vector<std::string> known_;
};

// Joins a parent path and a key: "request" + "limits" -> "request.limits".
std::string JoinPath(std::string_view parent, std::string_view key);

// Scalar conversions that report a diagnostic and return nullopt on a wrong type.
std::optional<double> ReadNumber(const YAML::Node& node, std::string_view path, Diagnostics& d);
std::optional<bool> ReadBool(const YAML::Node& node, std::string_view path, Diagnostics& d);
std::optional<std::string> ReadString(const YAML::Node& node, std::string_view path,
                                      Diagnostics& d);
std::optional<std::chrono::milliseconds> ReadDuration(const YAML::Node& node,
                                                      std::string_view path,
                                                      std::chrono::milliseconds unit,
                                                      Diagnostics& d);
// Parses the duration at the start of text such as "24h for same inputs"; nullopt when none.
std::optional<std::chrono::milliseconds> ParseDurationText(std::string_view text,
                                                           std::chrono::milliseconds unit);
// A byte size: a number of bytes or text such as "2GB", "512 MiB".
std::optional<std::uint64_t> ReadByteSize(const YAML::Node& node, std::string_view path,
                                          Diagnostics& d);

// Thrown by YamlToJson when a value expands beyond 100,000 nodes, as YAML aliases can make a few
// bytes do.
struct ValueTooLarge {
  YAML::Mark mark;
};

// Converts a YAML value to JSON text. Plain scalars that read as numbers, booleans or null
// become those; quoted scalars stay strings.
std::string YamlToJson(const YAML::Node& node);
// Converts a YAML scalar to a typed scalar by the same rules.
Scalar YamlToScalar(const YAML::Node& node);

// The key of `candidates` nearest to `key` by edit distance, or empty when none is close.
std::string NearestKey(std::string_view key, const std::vector<std::string>& candidates);

}  // namespace modelgate::contract

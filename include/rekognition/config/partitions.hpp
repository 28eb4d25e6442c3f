// rekognition-cpp: the AWS partition table the endpoint rules need (aws.partition).
#ifndef REKOGNITION_CONFIG_PARTITIONS_HPP
#define REKOGNITION_CONFIG_PARTITIONS_HPP

#include <cstddef>
#include <string_view>

#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// One partition's data, as in botocore's partitions.json (version 1.1,
/// tests/data/endpoints/partitions.json, which a unit test compares with
/// this table).
struct PartitionInfo {
  const char* id;
  const char* dns_suffix;
  const char* dual_stack_dns_suffix;
  const char* implicit_global_region;
  bool supports_fips;
  bool supports_dual_stack;
  /// The partition's regionRegex, verbatim.
  const char* region_regex;
  /// Its explicitly listed regions, separated by single spaces.
  const char* regions;
};

/// A view of the partition table, usable in a range-for.
struct PartitionList {
  const PartitionInfo* first;
  std::size_t count;
  const PartitionInfo* begin() const noexcept { return first; }
  const PartitionInfo* end() const noexcept { return first + count; }
};

/// The partitions in the order aws.partition searches them (constant data,
/// no initialization at run time). Thread-safe; never throws.
REKOGNITION_INLINE PartitionList Partitions() noexcept {
  static constexpr PartitionInfo kPartitions[] = {
      {"aws", "amazonaws.com", "api.aws", "us-east-1", true, true,
       "^(us|eu|ap|sa|ca|me|af|il|mx)\\-\\w+\\-\\d+$",
       "af-south-1 ap-east-1 ap-east-2 ap-northeast-1 ap-northeast-2 ap-northeast-3 "
       "ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-3 "
       "ap-southeast-4 ap-southeast-5 ap-southeast-6 ap-southeast-7 aws-global "
       "ca-central-1 ca-west-1 eu-central-1 eu-central-2 eu-north-1 eu-south-1 "
       "eu-south-2 eu-west-1 eu-west-2 eu-west-3 il-central-1 me-central-1 me-south-1 "
       "mx-central-1 sa-east-1 us-east-1 us-east-2 us-west-1 us-west-2"},
      {"aws-cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn", "cn-northwest-1", true, true,
       "^cn\\-\\w+\\-\\d+$", "aws-cn-global cn-north-1 cn-northwest-1"},
      {"aws-eusc", "amazonaws.eu", "api.amazonwebservices.eu", "eusc-de-east-1", true, true,
       "^eusc\\-(de)\\-\\w+\\-\\d+$", "eusc-de-east-1"},
      {"aws-iso", "c2s.ic.gov", "api.aws.ic.gov", "us-iso-east-1", true, true,
       "^us\\-iso\\-\\w+\\-\\d+$", "aws-iso-global us-iso-east-1 us-iso-west-1"},
      {"aws-iso-b", "sc2s.sgov.gov", "api.aws.scloud", "us-isob-east-1", true, true,
       "^us\\-isob\\-\\w+\\-\\d+$", "aws-iso-b-global us-isob-east-1 us-isob-west-1"},
      {"aws-iso-e", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk", "eu-isoe-west-1", true, true,
       "^eu\\-isoe\\-\\w+\\-\\d+$", "aws-iso-e-global eu-isoe-west-1"},
      {"aws-iso-f", "csp.hci.ic.gov", "api.aws.hci.ic.gov", "us-isof-south-1", true, true,
       "^us\\-isof\\-\\w+\\-\\d+$", "aws-iso-f-global us-isof-east-1 us-isof-south-1"},
      {"aws-us-gov", "amazonaws.com", "api.aws", "us-gov-west-1", true, true,
       "^us\\-gov\\-\\w+\\-\\d+$", "aws-us-gov-global us-gov-east-1 us-gov-west-1"},
  };
  return PartitionList{kPartitions, sizeof kPartitions / sizeof kPartitions[0]};
}

/// Whether `regions` (space-separated) lists `region`. Never throws.
REKOGNITION_INLINE bool PartitionListsRegion(std::string_view regions,
                                             std::string_view region) noexcept {
  while (!regions.empty()) {
    const auto space = regions.find(' ');
    if (regions.substr(0, space) == region) return true;
    if (space == std::string_view::npos) break;
    regions.remove_prefix(space + 1);
  }
  return false;
}

/// Matches `region` against a regionRegex of the one form partitions use:
/// "^" PART ("\\-" PART)* "$", each PART being "\\w+", "\\d+", a literal or
/// "(a|b|...)". As '-' is outside \\w, this is a '-'-separated token match.
/// Returns false for any other regex form. Never throws.
REKOGNITION_INLINE bool MatchRegionRegex(std::string_view regex, std::string_view region) noexcept {
  if (regex.size() < 2 || regex.front() != '^' || regex.back() != '$') return false;
  regex = regex.substr(1, regex.size() - 2);
  constexpr std::string_view kDash = "\\-";
  for (;;) {
    const auto regex_end = regex.find(kDash);
    std::string_view part = regex.substr(0, regex_end);
    const auto region_end = region.find('-');
    const std::string_view token = region.substr(0, region_end);
    if (token.empty()) return false;
    if (part == "\\w+") {
      for (char c : token)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
          return false;
    } else if (part == "\\d+") {
      for (char c : token)
        if (c < '0' || c > '9') return false;
    } else {
      if (part.size() >= 2 && part.front() == '(' && part.back() == ')')
        part = part.substr(1, part.size() - 2);
      bool matched = false;
      while (!matched) {
        const auto bar = part.find('|');
        const std::string_view alternative = part.substr(0, bar);
        for (char c : alternative)
          if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;  // unsupported syntax
        matched = alternative == token;
        if (bar == std::string_view::npos) break;
        part.remove_prefix(bar + 1);
      }
      if (!matched) return false;
    }
    if ((regex_end == std::string_view::npos) != (region_end == std::string_view::npos))
      return false;
    if (regex_end == std::string_view::npos) return true;
    regex.remove_prefix(regex_end + kDash.size());
    region.remove_prefix(region_end + 1);
  }
}

/// The partition of `region`, as the rules' aws.partition function finds it:
/// the one listing it explicitly, else the first whose regionRegex matches,
/// else "aws". Never throws.
REKOGNITION_INLINE const PartitionInfo& FindPartition(std::string_view region) noexcept {
  for (const PartitionInfo& partition : Partitions())
    if (PartitionListsRegion(partition.regions, region)) return partition;
  for (const PartitionInfo& partition : Partitions())
    if (MatchRegionRegex(partition.region_regex, region)) return partition;
  return *Partitions().begin();
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_CONFIG_PARTITIONS_HPP

// rekognition-cpp: paginators (every page of DescribeProjects and
// DescribeProjectVersions) and finding a model version from its ARN.
#ifndef REKOGNITION_LIFECYCLE_PAGINATORS_HPP
#define REKOGNITION_LIFECYCLE_PAGINATORS_HPP

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rekognition/errors.hpp"
#include "rekognition/operations/projects.hpp"
#include "rekognition/operations/projects_codec.hpp"
#include "rekognition/rekognition_api.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

namespace detail {

/// Runs `call(request)` page after page, following NextToken as
/// rekognition-paginators-1.json says (input and output token "NextToken"),
/// and passes each page to `on_page`. Stops when a page has no token or
/// `on_page` returns false. A token the service sent before would loop
/// forever: that throws Error "PaginationError", as botocore does.
template <typename Request, typename Call, typename OnPage>
int ForEachPage(Request request, Call&& call, OnPage&& on_page) {
  std::set<std::string> seen;
  if (request.next_token) seen.insert(*request.next_token);
  for (int pages = 1;; ++pages) {
    auto page = call(request);
    std::optional<std::string> token = page.next_token;
    if (!on_page(std::move(page)) || !token || token->empty()) return pages;
    if (!seen.insert(*token).second)
      throw Error(ErrorInfo{"PaginationError",
                            "the service sent the same NextToken twice (" +
                                QuoteForMessage(*token, 64) + "); stopping instead of looping",
                            0, "", 0, false});
    request.next_token = std::move(token);
  }
}

}  // namespace detail

/// Calls DescribeProjects for every page of `request` (starting from its
/// next_token, if any) and passes each page to `on_page(DescribeProjectsResult)`,
/// which returns true to go on or false to stop. Returns the pages fetched.
/// Throws what DescribeProjects throws, and Error "PaginationError" when the
/// service repeats a token. Thread-safe if `api` is.
template <typename OnPage>
int ForEachDescribeProjectsPage(RekognitionApi& api, DescribeProjectsRequest request,
                                OnPage&& on_page) {
  return detail::ForEachPage(
      std::move(request),
      [&api](const DescribeProjectsRequest& r) { return api.DescribeProjects(r); },
      std::forward<OnPage>(on_page));
}

/// Like ForEachDescribeProjectsPage, for DescribeProjectVersions.
template <typename OnPage>
int ForEachDescribeProjectVersionsPage(RekognitionApi& api, DescribeProjectVersionsRequest request,
                                       OnPage&& on_page) {
  return detail::ForEachPage(
      std::move(request),
      [&api](const DescribeProjectVersionsRequest& r) { return api.DescribeProjectVersions(r); },
      std::forward<OnPage>(on_page));
}

/// Every project `request` describes, across all pages. Throws like
/// ForEachDescribeProjectsPage. Thread-safe if `api` is.
REKOGNITION_INLINE std::vector<ProjectDescription> ListProjects(
    RekognitionApi& api, DescribeProjectsRequest request = {}) {
  std::vector<ProjectDescription> all;
  ForEachDescribeProjectsPage(api, std::move(request), [&all](DescribeProjectsResult page) {
    for (auto& project : page.project_descriptions) all.push_back(std::move(project));
    return true;
  });
  return all;
}

/// Every version `request` describes, across all pages. Throws like
/// ForEachDescribeProjectVersionsPage. Thread-safe if `api` is.
REKOGNITION_INLINE std::vector<ProjectVersionDescription> ListProjectVersions(
    RekognitionApi& api, DescribeProjectVersionsRequest request) {
  std::vector<ProjectVersionDescription> all;
  ForEachDescribeProjectVersionsPage(api, std::move(request),
                                     [&all](DescribeProjectVersionsResult page) {
                                       for (auto& version : page.project_version_descriptions)
                                         all.push_back(std::move(version));
                                       return true;
                                     });
  return all;
}

/// A model version found from its ARN.
struct FoundProjectVersion {
  std::string project_arn;            ///< the project's ARN, as the service reports it
  ProjectVersionArnParts parts;       ///< the version ARN split up
  ProjectVersionDescription version;  ///< the version as DescribeProjectVersions describes it
};

/// Finds a model version from its ARN. The project ARN cannot be derived from
/// the version ARN (their trailing numbers are different creation times), so
/// this calls DescribeProjects filtered by the project name parsed from the
/// ARN, then DescribeProjectVersions of that project with the version name,
/// following every page. Throws ValidationError (field ProjectVersionArn)
/// for a malformed ARN, ResourceNotFoundException when no project or
/// version matches, and whatever the calls throw. Thread-safe if `api` is.
REKOGNITION_INLINE FoundProjectVersion FindProjectVersion(RekognitionApi& api,
                                                          const std::string& version_arn) {
  if (auto failure = detail::CheckProjectVersionArn("ProjectVersionArn", version_arn))
    throw ValidationError(std::move(failure->field), std::move(failure->constraint),
                          std::move(failure->message));
  FoundProjectVersion found;
  found.parts = *ParseProjectVersionArn(version_arn);
  const std::string project_suffix = ":project/" + found.parts.project_name + "/";

  DescribeProjectsRequest projects;
  projects.project_names = {found.parts.project_name};
  for (const ProjectDescription& project : ListProjects(api, projects)) {
    // The filter is the service's; check the name anyway.
    const auto at = project.project_arn.rfind(project_suffix);
    if (at != std::string::npos &&
        project.project_arn.find('/', at + project_suffix.size()) == std::string::npos) {
      found.project_arn = project.project_arn;
      break;
    }
  }
  if (found.project_arn.empty())
    throw ResourceNotFoundException(
        ErrorInfo{"ResourceNotFoundException",
                  "no project named '" + found.parts.project_name + "' (from " + version_arn + ")",
                  0, "", 0, false});

  DescribeProjectVersionsRequest versions;
  versions.project_arn = found.project_arn;
  versions.version_names = {found.parts.version_name};
  for (ProjectVersionDescription& version : ListProjectVersions(api, versions)) {
    if (version.project_version_arn == version_arn) {
      found.version = std::move(version);
      return found;
    }
  }
  throw ResourceNotFoundException(ErrorInfo{
      "ResourceNotFoundException",
      "project " + found.project_arn + " has no model version " + version_arn, 0, "", 0, false});
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_LIFECYCLE_PAGINATORS_HPP

// rekognition-cpp: version and namespace macros.
#ifndef REKOGNITION_VERSION_HPP
#define REKOGNITION_VERSION_HPP

// CMake reads these three lines to set the project version.
#define REKOGNITION_VERSION_MAJOR 0
#define REKOGNITION_VERSION_MINOR 2
#define REKOGNITION_VERSION_PATCH 0

#define REKOGNITION_STRINGIFY_IMPL(x) #x
#define REKOGNITION_STRINGIFY(x) REKOGNITION_STRINGIFY_IMPL(x)
/// The library version as "MAJOR.MINOR.PATCH".
#define REKOGNITION_VERSION_STRING                                                \
  REKOGNITION_STRINGIFY(REKOGNITION_VERSION_MAJOR)                                \
  "." REKOGNITION_STRINGIFY(REKOGNITION_VERSION_MINOR) "." REKOGNITION_STRINGIFY( \
      REKOGNITION_VERSION_PATCH)

/// Marks every non-template function defined in a header, so that the header can
/// be included from many translation units without duplicate symbols.
#ifndef REKOGNITION_INLINE
#define REKOGNITION_INLINE inline
#endif

// Compiled mode: with REKOGNITION_COMPILED=1 (the CMake option of that name
// sets it for every user of the target) the client's definitions are compiled
// once, in the one translation unit that defines REKOGNITION_IMPLEMENTATION
// before including the headers (the CMake library's own source, or, when
// vendoring the single header, a .cpp file of the user's). Every other
// translation unit sees <rekognition/client.hpp> as declarations only, without
// libcurl's, OpenSSL's or RapidJSON's headers.
#if defined(REKOGNITION_IMPLEMENTATION) && !defined(REKOGNITION_COMPILED)
#define REKOGNITION_COMPILED 1
#endif
#if defined(REKOGNITION_COMPILED) && REKOGNITION_COMPILED
#define REKOGNITION_COMPILED_MODE 1
#else
#define REKOGNITION_COMPILED_MODE 0
#endif
/// True where the client's definitions are not visible (compiled mode, outside
/// the implementation translation unit).
#if REKOGNITION_COMPILED_MODE && !defined(REKOGNITION_IMPLEMENTATION)
#define REKOGNITION_DECLARATIONS_ONLY 1
#else
#define REKOGNITION_DECLARATIONS_ONLY 0
#endif
/// Marks the out-of-class definitions of what compiled mode declares only:
/// inline in header-only mode, ordinary (defined once) in compiled mode.
/// Virtual functions defined out of their class also carry it on their
/// declaration (or REKOGNITION_INLINE, when the definition is in the same
/// header and visible in both modes): a class whose first such function
/// is not declared inline has it as its "key function", and every translation
/// unit that sees an inline definition of a key function emits the class's
/// vtable and, through it, every virtual function, whether the class is used
/// there or not.
#if REKOGNITION_COMPILED_MODE
#define REKOGNITION_COMPILED_INLINE
#else
#define REKOGNITION_COMPILED_INLINE inline
#endif

// libcurl is the default transport. Builds without libcurl define
// REKOGNITION_WITH_CURL=0 (the CMake target sets it so every TU agrees) and
// must give the client a transport of their own.
#ifndef REKOGNITION_WITH_CURL
#define REKOGNITION_WITH_CURL 1
#endif

// The versioned inline namespace: two vendored copies of different versions
// cannot be linked into one program by accident (their symbols differ). Its
// name also encodes every setting that changes the layout of a public type
// (REKOGNITION_WITH_CURL: ClientConfig carries the libcurl options), so
// translation units built with different settings fail to link instead of
// sharing objects of different sizes.
#if REKOGNITION_WITH_CURL
#define REKOGNITION_ABI_NAMESPACE v0_2_curl
#else
#define REKOGNITION_ABI_NAMESPACE v0_2_nocurl
#endif
#define REKOGNITION_NAMESPACE_BEGIN \
  namespace rekognition {           \
  inline namespace REKOGNITION_ABI_NAMESPACE {
#define REKOGNITION_NAMESPACE_END \
  }                               \
  }

REKOGNITION_NAMESPACE_BEGIN
/// The library version string, e.g. "0.2.0". Thread-safe.
inline constexpr const char* kVersion = REKOGNITION_VERSION_STRING;
/// The User-Agent sent with every request.
inline constexpr const char* kUserAgent = "rekognition-cpp/" REKOGNITION_VERSION_STRING;
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_VERSION_HPP

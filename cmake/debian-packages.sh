# Sourced by examples/demo.sh and tests/run-all.sh: installs the Debian
# packages a build needs when some are missing, so that the README's two
# commands work on a fresh Debian or Ubuntu machine.
#
#   rekognition_require_packages PACKAGE...
#
# As root it runs apt-get; otherwise sudo apt-get when sudo needs no
# password; otherwise it prints the exact command and exits 1. It says what
# it installs. On systems without dpkg (not Debian-based) it does nothing:
# CMake then names whatever is missing.

# What building the library, the tools and the tests needs (curl: the tests
# run the curl program).
REKOGNITION_BUILD_PACKAGES=(g++ cmake make pkg-config libssl-dev libcurl4-openssl-dev rapidjson-dev
  catch2 libcli11-dev libcpp-httplib-dev curl)

rekognition_require_packages() {
  command -v dpkg-query >/dev/null 2>&1 || return 0
  local missing=() package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$package")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local install=(apt-get install -y --no-install-recommends "${missing[@]}")
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo)
    else
      echo "Missing Debian packages: ${missing[*]}" >&2
      echo "Install them with:" >&2
      echo "  sudo apt-get update && sudo ${install[*]}" >&2
      exit 1
    fi
  fi
  echo "== installing the missing Debian packages: ${missing[*]}"
  ${sudo[@]+"${sudo[@]}"} apt-get update -qq
  ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive "${install[@]}" -qq >/dev/null
  echo "== installed: ${missing[*]}"
}

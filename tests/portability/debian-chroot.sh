#!/usr/bin/env bash
# Builds and tests rekognition-cpp inside a Debian chroot made by debootstrap
# from Debian's own archive. Needs root (CI runs it as root). Everything,
# the chroots included, is kept under the build folder given (default
# build-chroots/ in the source tree), so nothing is cached anywhere else.
#
#   tests/portability/debian-chroot.sh matrix SUITE [BUILD_FOLDER]
#       SUITE (bullseye = Debian 11, trixie = Debian 13, ...): installs the
#       build dependencies, builds the library, detect-custom-labels and the
#       unit tests with warnings as errors and runs the unit tests.
#   tests/portability/debian-chroot.sh fresh-machine [BUILD_FOLDER]
#       A minimal Debian 12 (debootstrap --variant=minbase) with only git and
#       ca-certificates, a clean clone of this repository, then the README's
#       two commands exactly as written: the demo must print its labels table
#       and the test suite must pass.
#   tests/portability/debian-chroot.sh prepare [BUILD_FOLDER]
#       Only the debootstrap of every root the other modes use (network and
#       disk bound: CI runs it in the background while it compiles).
set -euo pipefail

usage() {
  sed -n '2,19p' "$0" >&2
  exit 2
}
[ $# -ge 1 ] || usage
mode="$1"
shift
case "$mode" in
  matrix)
    [ $# -ge 1 ] || usage
    suite="$1"
    shift
    ;;
  fresh-machine) suite=bookworm ;;
  prepare) suite="" ;;
  *) usage ;;
esac

source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_folder="${1:-$source_dir/build-chroots}"
mkdir -p "$build_folder"
build_folder="$(cd "$build_folder" && pwd)"
mirror="${REKOGNITION_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
[ "$(id -u)" = 0 ] || {
  echo "debian-chroot.sh needs root (debootstrap, chroot, mount)" >&2
  exit 1
}
command -v debootstrap >/dev/null || {
  echo "debian-chroot.sh needs debootstrap: apt-get install debootstrap" >&2
  exit 1
}

# Mounts are tracked and always undone, innermost first, whatever happens.
mounted=()
unmount_all() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[$i]}" 2>/dev/null || umount -l "${mounted[$i]}" 2>/dev/null || true
  done
  mounted=()
}
trap unmount_all EXIT
trap 'exit 130' INT TERM
mount_in() {  # mount_in ROOT: /proc and /dev for the chroot
  local root="$1"
  mount -t proc proc "$root/proc"
  mounted+=("$root/proc")
  mount --bind /dev "$root/dev"
  mounted+=("$root/dev")
  # A private /dev/pts, so apt and dpkg can open terminals (optional).
  if mount -t devpts devpts "$root/dev/pts" -o newinstance,ptmxmode=0666 2>/dev/null; then
    mounted+=("$root/dev/pts")
  fi
}
# Leftover mounts under ROOT (from a run that was killed) are undone first,
# and trees are only ever deleted without crossing into other file systems.
unmount_stale() {
  local root="$1" target
  awk -v root="$root/" 'index($2, root) == 1 {print $2}' /proc/mounts | sort -r |
    while read -r target; do umount "$target" 2>/dev/null || umount -l "$target" || true; done
}
remove_tree() {
  unmount_stale "$1"
  rm -rf --one-file-system "$1"
}

# make_root ROOT SUITE: a minbase system, made once and reused (the stamp
# file marks a complete one; a half-made one is made again).
make_root() {
  local root="$1" suite="$2"
  unmount_stale "$root"
  if [ ! -f "$root/.rekognition-root-ready" ]; then
    remove_tree "$root"
    echo "== debootstrap --variant=minbase $suite into $root"
    debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$root.debootstrap.log" 2>&1 || {
      tail -20 "$root.debootstrap.log"
      exit 1
    }
    touch "$root/.rekognition-root-ready"
  fi
  cp /etc/resolv.conf "$root/etc/resolv.conf"
}

in_root() {  # in_root ROOT COMMAND...: runs as root inside, clean environment
  local root="$1"
  shift
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

copy_sources() {  # copy_sources DEST: the tracked files of this checkout
  local dest="$1"
  remove_tree "$dest"
  mkdir -p "$dest"
  (cd "$source_dir" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$dest"
}

if [ "$mode" = prepare ]; then
  make_root "$build_folder/bullseye" bullseye
  make_root "$build_folder/trixie" trixie
  make_root "$build_folder/bookworm-minbase" bookworm
  exit 0
fi

if [ "$mode" = matrix ]; then
  root="$build_folder/$suite"
  make_root "$root" "$suite"
  mount_in "$root"
  packages=(g++ cmake make pkg-config libssl-dev libcurl4-openssl-dev rapidjson-dev catch2)
  echo "== $suite: installing ${packages[*]} (+ libcli11-dev, libcpp-httplib-dev where Debian has them)"
  in_root "$root" apt-get update -qq
  in_root "$root" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  httplib=ON
  in_root "$root" apt-get install -y -qq --no-install-recommends libcpp-httplib-dev >/dev/null 2>&1 ||
    httplib=OFF
  if ! in_root "$root" apt-get install -y -qq --no-install-recommends libcli11-dev >/dev/null 2>&1; then
    # Debian 11 has no CLI11 package: Debian 12's (headers only) serves.
    (cd "$root/tmp" && rm -f libcli11-dev_*.deb && apt-get download -q libcli11-dev >/dev/null)
    in_root "$root" sh -c 'dpkg -i /tmp/libcli11-dev_*.deb >/dev/null'
  fi
  in_root "$root" sh -c 'g++ --version | head -1; dpkg-query -W -f="libcurl \${Version}\n" libcurl4-openssl-dev;
    dpkg-query -W -f="OpenSSL \${Version}\n" libssl-dev; dpkg-query -W -f="Catch2 \${Version}\n" catch2'
  copy_sources "$root/src"
  echo "== $suite: building unit tests and detect-custom-labels (Debug, -Werror, REKOGNITION_WITH_HTTPLIB=$httplib)"
  in_root "$root" cmake -S /src -B /src/build -DCMAKE_BUILD_TYPE=Debug -DREKOGNITION_WITH_HTTPLIB=$httplib >/dev/null
  in_root "$root" cmake --build /src/build -j2 --target unit_tests unit_tests_portable_numbers detect-custom-labels
  in_root "$root" /src/build/bin/unit_tests
  in_root "$root" /src/build/bin/unit_tests_portable_numbers
  in_root "$root" /src/build/bin/detect-custom-labels --help >/dev/null
  exit 0
fi

# fresh-machine: what a new user on Debian 12 does, from a clean clone. The
# pristine minbase system is cached; each run starts from a fresh copy of it.
pristine="$build_folder/bookworm-minbase"
make_root "$pristine" bookworm
root="$build_folder/fresh-machine"
remove_tree "$root"
cp -a "$pristine" "$root"
mount_in "$root"
echo "== fresh machine: only git and ca-certificates"
in_root "$root" apt-get update -qq
in_root "$root" apt-get install -y -qq --no-install-recommends git ca-certificates >/dev/null
mkdir -p "$root/home/user"
git clone -q --no-local "$source_dir" "$root/home/user/rekognition-cpp"  # HEAD, committed files only
log="$build_folder/fresh-machine.log"
echo "== bash examples/demo.sh"
in_root "$root" bash -c 'cd /home/user/rekognition-cpp && bash examples/demo.sh' 2>&1 | tee "$log.demo"
grep -Eq '^  LABEL +CONFIDENCE' "$log.demo" || {
  echo "the demo did not print its labels table" >&2
  exit 1
}
grep -Eq '^  soda_can +98\.61' "$log.demo" || {
  echo "the demo's table lacks the expected first label" >&2
  exit 1
}
echo "== bash tests/run-all.sh"
in_root "$root" bash -c 'cd /home/user/rekognition-cpp && bash tests/run-all.sh' 2>&1 | tee "$log.tests"
grep -q "100% tests passed" "$log.tests" || {
  echo "the test suite did not pass in the fresh machine" >&2
  exit 1
}
grep -Eq "Skipped|skipped" "$log.tests" && echo "== (peer-dependent tests skipped, as expected without moto/boto3/aws)"
exit 0

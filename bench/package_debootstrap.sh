#!/usr/bin/env bash
# Proves the Debian package (and so the container files, which run the same
# container/install-axon.sh and container/smoke-test.sh) on a bare Debian 12:
# builds the .deb (make package), debootstraps a minimal bookworm root,
# installs the .deb there with apt (its Depends pulled from Debian, nothing
# from this machine), and runs axon-image info, axon-segment brain and the
# t1-structural pipeline inside it. Needs root and Debian's mirror.
# Usage: bench/package_debootstrap.sh [BUILD] [ROOT_DIR]
#   ROOT_DIR defaults to a fresh temporary folder (removed at the end).
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd); src=$(dirname "$here")
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
[ "$(id -u)" -eq 0 ] || { echo "package_debootstrap: SKIP: needs root (debootstrap, chroot)"; exit 0; }
command -v debootstrap >/dev/null || apt-get install -y -q debootstrap >/dev/null
keep=1
root=${2:-}
if [ -z "$root" ]; then root=$(mktemp -d /var/tmp/axon-bookworm.XXXXXX); keep=0; fi
cleanup() {
  umount "$root/proc" 2>/dev/null || true
  [ "$keep" -eq 1 ] || rm -rf "$root"
}
trap cleanup EXIT
t0=$(date +%s)
cmake --build "$build" -j"$(nproc)" >/dev/null
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls -t "$build"/axon_*_amd64.deb | head -1)
echo "package: $deb ($(du -h "$deb" | cut -f1)); Depends: $(dpkg-deb -f "$deb" Depends)"
t1=$(date +%s)
[ -x "$root/bin/sh" ] || debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 ||
  { tail -5 "$root.debootstrap.log"; exit 1; }
rm -f "$root.debootstrap.log"
# The suites of a debian:12 image: updates and security too.
cat >"$root/etc/apt/sources.list" <<SRC
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SRC
mount -t proc proc "$root/proc"
mkdir -p "$root/tmp/axon"
cp "$deb" "$root/tmp/axon/axon.deb"
cp "$src/container/install-axon.sh" "$src/container/smoke-test.sh" "$root/tmp/axon/"
t2=$(date +%s)
chroot "$root" sh /tmp/axon/install-axon.sh /tmp/axon/axon.deb >"$root/tmp/axon/install.log" 2>&1 ||
  { tail -20 "$root/tmp/axon/install.log"; exit 1; }
echo "installed: $(chroot "$root" dpkg-query -W -f '${Package} ${Version}\n' axon); root now $(du -sh --exclude=proc "$root" | cut -f1)"
t3=$(date +%s)
# No source tree, no build tree, no packages of this machine: only the root.
chroot "$root" env -i PATH=/usr/bin:/bin HOME=/root sh /tmp/axon/smoke-test.sh /tmp/axon-smoke
t4=$(date +%s)
echo "seconds: package $((t1 - t0)), debootstrap $((t2 - t1)), apt install $((t3 - t2)), smoke test $((t4 - t3))"

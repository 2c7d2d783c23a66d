#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Installs from Debian's archive what building and testing doors needs, as
# root or through sudo.  Idempotent: when everything is there it only checks,
# quietly; otherwise it runs apt-get update, then installs what is missing.
# With --debug-kernel, also what building the debug kernel needs
# (tools/kernel/build-debug.sh).

set -eu

die() {
	echo "setup: $*" >&2
	exit 1
}

# Kernel image and headers are checked as a pair of one release (see
# tools/vm/kernel-release), not through the metapackages: an installed matching
# pair is enough, whatever the metapackages would pull in today.
pkgs="qemu-system-x86 busybox-static cpio linux-source-6.1 liburing-dev sparse
      gcc make libc6-dev xz-utils perl"
kernel_pkgs="linux-image-amd64 linux-headers-amd64"
case ${1-} in
--debug-kernel) pkgs="$pkgs bc bison flex libelf-dev libssl-dev" ;;
'') ;;
*) die "usage: setup.sh [--debug-kernel]" ;;
esac
kernel_release="$(dirname "$0")/vm/kernel-release"

installed() {
	dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'
}

missing=
for p in $pkgs; do
	installed "$p" || missing="$missing $p"
done
"$kernel_release" >/dev/null 2>&1 || missing="$missing $kernel_pkgs"
[ -n "$missing" ] || exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=
elif command -v sudo >/dev/null; then
	sudo="sudo"
else
	die "not root and no sudo: install as root:$missing"
fi

echo "setup: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q || die "apt-get update failed"
# shellcheck disable=SC2086 # word splitting wanted
$sudo apt-get install -q -y --no-install-recommends $missing ||
	die "apt-get install failed:$missing"

"$kernel_release" >/dev/null ||
	die "linux-image-amd64 and linux-headers-amd64 gave no image and headers of one release"
for p in $pkgs; do
	installed "$p" || die "$p is still not installed"
done

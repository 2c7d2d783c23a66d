#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: build-debug.sh [--dir]
#
# Builds the doors debug kernel (KASAN, lockdep, kmemleak, UBSAN, ...: see
# debug.config) from Debian's linux-source-6.1, unless it is built already,
# and prints its directory DIR:
#   DIR/bzImage   the kernel, for tools/vm/run --kernel
#   DIR/build     the configured and built tree, the KDIR of the module
#   DIR/config    its .config;  DIR/build.log  the build's output
# With --dir, only prints DIR, built or not.
#
# DIR is ~/.cache/doors/debug-kernel/KEY, KEY a hash of what the kernel is
# made from: the source tarball, Debian's config, debug.config, the
# compiler's version and $recipe below.  A change to any of them means a
# new build, from scratch (about an hour on 2 CPUs, at nice 19); an
# interrupted build resumes.  Old builds are not removed.  Editing this
# script does not change KEY: bump $recipe when a change to it would build
# a different kernel (the configuration or build steps), not otherwise.
#
# Environment: LINUX_SOURCE (default /usr/src/linux-source-6.1.tar.xz),
# DEBIAN_CONFIG (default /boot/config-R, R the release tools/vm/kernel-release
# picks), CC (default gcc), DOORS_CACHE (default ~/.cache/doors).

set -euo pipefail

# The version of the build steps below: part of KEY.
recipe=1

die() {
	echo "build-debug: $*" >&2
	exit 1
}

here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/debug.config
source=${LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
if [ -z "${DEBIAN_CONFIG-}" ]; then
	release=$("$here/../vm/kernel-release") || exit 1
	DEBIAN_CONFIG=/boot/config-$release
fi
cc=${CC:-gcc}
cache=${DOORS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/doors}/debug-kernel

dir_only=
case $# in
0) ;;
1) [ "$1" = --dir ] || die "usage: build-debug.sh [--dir]"; dir_only=1 ;;
*) die "usage: build-debug.sh [--dir]" ;;
esac

for f in "$source" "$DEBIAN_CONFIG" "$fragment"; do
	[ -r "$f" ] || die "cannot read $f"
done
ccversion=$("$cc" --version | head -n 1) || die "no compiler $cc"

key=$({
	echo "recipe $recipe"
	sha256sum <"$source"
	sha256sum <"$DEBIAN_CONFIG"
	sha256sum <"$fragment"
	echo "$ccversion"
} | sha256sum | cut -c 1-16)
dir=$cache/$key
tree=$dir/build
log=$dir/build.log

if [ -n "$dir_only" ] || [ -f "$dir/bzImage" ]; then
	echo "$dir"
	exit 0
fi

# What a kernel build needs beyond tools/setup.sh's compiler, make, perl
# and xz: the Debian packages of the missing commands and headers.
missing=
for c in bc bison flex; do
	command -v "$c" >/dev/null || missing+=" $c"
done
for h in gelf.h:libelf-dev openssl/x509.h:libssl-dev; do
	echo "#include <${h%%:*}>" | "$cc" -E -x c - >/dev/null 2>&1 ||
		missing+=" ${h#*:}"
done
[ -z "$missing" ] || die "install first:$missing"

mkdir -p "$dir"
exec 9>"$dir/lock"
if ! flock -n 9; then
	echo "build-debug: waiting for another build of $dir" >&2
	flock 9
fi
if [ -f "$dir/bzImage" ]; then
	echo "$dir"
	exit 0
fi

start=$(date +%s)
echo "build-debug: building $dir (log: $log)" >&2

if [ ! -d "$tree" ]; then
	rm -rf "$tree.tmp"
	mkdir "$tree.tmp"
	tar -xJf "$source" -C "$tree.tmp" --strip-components=1
	mv "$tree.tmp" "$tree"
fi

# Debian's config with its modules off (the VM has none to load), then the
# fragment.  Every line of the fragment must be in the result: Kconfig
# silently drops what it cannot satisfy.
if [ ! -f "$dir/config" ]; then
	sed 's/^\(CONFIG_[A-Za-z0-9_]*\)=m$/# \1 is not set/' \
		"$DEBIAN_CONFIG" >"$dir/debian.config"
	{
		(cd "$tree" && scripts/kconfig/merge_config.sh -m \
			"$dir/debian.config" "$fragment")
		make -C "$tree" CC="$cc" olddefconfig
	} >"$log" 2>&1 || die "configuration failed; see $log"
	bad=
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF -- "$line" "$tree/.config" || bad+=" ${line%%=*}"
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			! grep -q "^$sym=" "$tree/.config" || bad+=" $sym"
			;;
		esac
	done <"$fragment"
	[ -z "$bad" ] || die "not as debug.config asks, after olddefconfig:$bad"
	cp "$tree/.config" "$dir/config"
fi

nice -n 19 make -C "$tree" CC="$cc" -j"$(nproc)" all >>"$log" 2>&1 || {
	tail -n 30 "$log" >&2
	die "build failed; see $log"
}
cp "$tree/arch/x86/boot/bzImage" "$dir/bzImage.tmp"
mv "$dir/bzImage.tmp" "$dir/bzImage"

elapsed=$(($(date +%s) - start))
printf 'build-debug: built %s in %dm%02ds\n  kernel %s\n  KDIR   %s\n' \
	"$(cat "$tree/include/config/kernel.release")" \
	$((elapsed / 60)) $((elapsed % 60)) "$dir/bzImage" "$tree" >&2
echo "$dir"

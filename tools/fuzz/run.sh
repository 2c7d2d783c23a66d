#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the module, libdoor and tools/fuzz, boots the test VM once and
# runs doorfuzz then doorstorm in it, each ending with the module
# unloaded.  Prints doorfuzz's summary line and one line per storm, and
# exits 1 if anything failed or the kernel log reports a problem.  See
# Documentation/reliability.md.

set -euo pipefail

usage() {
	cat <<EOF
usage: ${0##*/} [OPTION...]

  --ops N          doorfuzz operations (default 1000000)
  --iterations N   doorstorm iterations per storm (default 10000)
  --seed N         seed of both (default: from the clock, printed)
  --quick          --ops 100000 --iterations 1000
  --fuzz-only      do not run doorstorm
  --storm-only     do not run doorfuzz
  --kernel PATH    kernel image for the VM (e.g. the debug kernel)
  --module PATH    doors.ko for the VM (default: kmod/doors.ko)
  --smp N, --mem SIZE
                   passed to the VM runner
  --vm PATH        the VM runner (default: tools/vm/run)
  --no-build       use what is built already
EOF
	exit "$1"
}

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
vm=$top/tools/vm/run
ops=1000000
iterations=10000
seed=
fuzz=1
storm=1
make_it=1
vmargs=()

while [ $# -gt 0 ]; do
	case $1 in
	--ops | --iterations | --seed | --kernel | --module | --smp | --mem | --vm)
		[ $# -ge 2 ] || usage 2
		;;
	esac
	case $1 in
	--ops) ops=$2; shift ;;
	--iterations) iterations=$2; shift ;;
	--seed) seed=$2; shift ;;
	--quick) ops=100000; iterations=1000 ;;
	--fuzz-only) storm= ;;
	--storm-only) fuzz= ;;
	--kernel | --module | --smp | --mem) vmargs+=("$1" "$2"); shift ;;
	--vm) vm=$2; shift ;;
	--no-build) make_it= ;;
	-h | --help) usage 0 ;;
	*) usage 2 ;;
	esac
	shift
done
[[ $ops =~ ^[0-9]+$ && $iterations =~ ^[0-9]+$ ]] || usage 2
[ -n "$seed" ] || seed=$(date +%s)

if [ -n "$make_it" ]; then
	make -C "$top" -s BUILD="$build" module lib fuzz
fi

# The guest's script: each program's status, then theirs combined.
cmd="status=0"
if [ -n "$fuzz" ]; then
	cmd+="; /opt/doors/fuzz/doorfuzz --seed $seed --ops $ops --time 86400"
	cmd+=" --rmmod || status=1; insmod /opt/doors/doors.ko || status=1"
fi
if [ -n "$storm" ]; then
	cmd+="; /opt/doors/fuzz/doorstorm --seed $seed"
	cmd+=" --iterations $iterations --rmmod || status=1"
fi
cmd+="; exit \$status"

# A generous bound for TCG (and slower for a debug kernel): the programs'
# own watchdogs report a hang long before.
timeout=$((1800 + ops / 100 + iterations))

log=$build/vm/fuzz.log
mkdir -p "$build/vm"
echo "fuzz: seed $seed, $ops operations, $iterations iterations per storm; log in $log"
status=0
"$vm" "${vmargs[@]}" --build "$build" --timeout "$timeout" -- sh -c "$cmd" \
	>"$log" 2>&1 || status=$?

grep -E '^(doorfuzz: seed [0-9]+: |storm |doorstorm: [0-9]+ storms|vm: )' \
	"$log" || true
if [ "$status" -ne 0 ]; then
	echo "fuzz: FAIL (status $status); problems reported:"
	grep -E '(UNEXPECTED|CORRUPT|CRASH|LEAK|HANG|TIMEOUT|FAIL):' "$log" | head -n 40 || true
	exit 1
fi
echo "fuzz: ok"

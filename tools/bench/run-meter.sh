#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# usage: tools/bench/run-meter.sh [DOORBENCH-OPTION...]
#
# Builds the module, libdoor and doorbench if needed, runs doorbench in the
# VM twice, and writes both tables to Documentation/benchmarks.md:
#  - in meter mode (tools/vm/run --icount: QEMU -icount shift=0,sleep=off,
#    one CPU), where a guest nanosecond is one guest instruction, so the
#    figures are instructions per round trip: host-independent, repeatable;
#  - on the wall clock with two CPUs (tools/vm/run --smp 2).
# The options (--iters, --warmup, --size, --only) go to doorbench as they
# are; doorbench --help lists them.  BUILD (default: build/ at the top)
# is the build directory, as for the top Makefile.

set -euo pipefail

die() {
	echo "run-meter: $*" >&2
	exit 1
}

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:+$(realpath -m -- "$BUILD")}
doc=$top/Documentation/benchmarks.md
bench=/opt/doors/bench/doorbench

for arg in "$@"; do
	case $arg in
	--json) die "--json would leave no table to record" ;;
	-h | --help)
		sed -n '4,/^$/s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	esac
done

# Quoted for a shell, as the reader would type it.
quote() {
	local out
	printf -v out '%q ' "$@"
	printf '%s' "${out% }"
}

make -C "$top" -s ${build:+BUILD="$build"} module bench

vm=(tools/vm/run ${build:+--build "$build"})
meter_cmd=("${vm[@]}" --icount -- "$bench" "$@")
wall_cmd=("${vm[@]}" --smp 2 -- "$bench" "$@")
meter=$(cd "$top" && "${meter_cmd[@]}" | tr -d '\r')
wall=$(cd "$top" && "${wall_cmd[@]}" | tr -d '\r')

# doorbench prints a summary line, the table, then the JSON line.
part() {
	local what=$1 pattern=$2 out=$3 lines

	lines=$(grep -E "$pattern" <<<"$out") ||
		die "no $what in doorbench's output:"$'\n'"$out"
	printf '%s\n' "$lines"
}

meter_summary=$(part summary '^doorbench: ' "$meter")
meter_table=$(part table '^\|' "$meter")
meter_json=$(part 'JSON line' '^\{"benchmark"' "$meter")
wall_summary=$(part summary '^doorbench: ' "$wall")
wall_table=$(part table '^\|' "$wall")
wall_json=$(part 'JSON line' '^\{"benchmark"' "$wall")

kernel=$(sed -n 's/.*"kernel":"\([^"]*\)".*/\1/p' <<<"$meter_json")
[ -n "$kernel" ] || die "no kernel release in: $meter_json"
revision=$(git -C "$top" describe --always --dirty 2>/dev/null) ||
	revision="(not a git checkout)"
qemu=$(qemu-system-x86_64 --version | sed -n '1s/^QEMU emulator version //p')
host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)

cat >"$doc.tmp" <<EOF
# Benchmarks

The cost of one round trip between two processes: a door call against the
other ways Linux has to hand a request to another process and wait for the
answer.  This file is generated: to refresh it, run

    ${build:+BUILD=$(quote "$build") }$(quote tools/bench/run-meter.sh "$@")

## What is measured

doorbench (tools/bench/) forks a client from a server process.  The client
makes warm-up round trips, then the timed ones, measured with
clock_gettime(CLOCK_MONOTONIC) around the loop; it checks every reply
against its request.

- door_call (libdoor): the server door_create()s, the client door_call()s
  the inherited descriptor, the server procedure door_return()s its
  arguments.
- futex: FUTEX_WAKE and FUTEX_WAIT on a word of a shared anonymous mapping
  (shared, not private, futexes); the baseline of the ratios.
- pipe: two pipes, one each way.
- AF_UNIX: a SOCK_STREAM socketpair.

A null call carries nothing, except one byte each way through the pipes and
the socket, the least that wakes the peer.

Measured on $(date -u '+%Y-%m-%d %H:%M UTC'): guest kernel $kernel with
doors.ko and libdoor from revision $revision, under QEMU $qemu
with TCG, on a host CPU $host_cpu.

## Meter mode: instructions per round trip

    $(quote "${meter_cmd[@]}")

QEMU runs one CPU with \`-icount shift=0,sleep=off\`: the guest clock
advances one nanosecond per guest instruction, so a figure is the number of
instructions, user and kernel, of both processes, that one round trip
takes.  It does not depend on the host and barely changes between runs;
it counts instructions, not their cost in cycles.

$meter_summary

$meter_table

## Wall clock, 2 CPUs

    $(quote "${wall_cmd[@]}")

Real nanoseconds in an emulated guest (TCG, no KVM): they depend on the host
and its load; only the ratios are worth comparing.

$wall_summary

$wall_table

## Raw results

\`\`\`
$meter_json
$wall_json
\`\`\`
EOF
mv "$doc.tmp" "$doc"

printf '%s\n\n%s\n\n' "$meter_table" "$wall_table"
echo "run-meter: wrote ${doc#"$top"/}"

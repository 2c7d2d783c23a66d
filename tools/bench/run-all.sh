#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# usage: tools/bench/run-all.sh [--quick | --report]
#
# The benchmark of issue 4, in one command: builds the module, libdoor and
# doorbench, boots the VM twice and runs every sweep in it (run-guest),
# then writes Documentation/benchmarks.md (tables, targets, the records)
# and Documentation/benchmarks.svg (the plot).
#  - meter mode: tools/vm/run --icount (QEMU -icount shift=0,sleep=off,
#    one CPU): a guest nanosecond is a guest instruction;
#  - wall clock: tools/vm/run --smp 2.
# The records, one JSON object a line, are kept in BUILD/bench-results/.
# --quick shortens everything, to try things out; it writes the
# documents all the same.  --report only writes them again from the
# records of the last run (after a change to report.awk or plot.awk).  BUILD (default: build/ at the top) is the
# build directory, as for the top Makefile.

set -euo pipefail

die() {
	echo "run-all: $*" >&2
	exit 1
}

top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tools/bench
build=$(realpath -m -- "${BUILD:-$top/build}")
results=$build/bench-results
doc=$top/Documentation/benchmarks.md
svg=$top/Documentation/benchmarks.svg
quick=
report=

case ${1-} in
--quick) quick=quick ;;
--report) report=1 ;;
"") ;;
-h | --help)
	sed -n '4,/^$/s/^# \{0,1\}//p' "$0"
	exit 0
	;;
*) die "usage: run-all.sh [--quick | --report]" ;;
esac

# Quoted for a shell, as the reader would type it.
quote() {
	local out
	printf -v out '%q ' "$@"
	printf '%s' "${out% }"
}

# What the documents say of the run, kept with its records for --report.
meta=$results/run.env
if [ -n "$report" ]; then
	[ -f "$meta" ] || die "no records in $results: run without --report first"
	# shellcheck source=/dev/null
	. "$meta"
fi

vm=(tools/vm/run ${BUILD:+--build "$build"})
icount_cmd=("${vm[@]}" --icount -- /opt/doors/bench/run-guest icount ${quick:+"$quick"})
wall_cmd=("${vm[@]}" --smp 2 -- /opt/doors/bench/run-guest wall ${quick:+"$quick"})

# Run one VM; keep its records, and fail on anything else it printed.
run_vm() {
	local out=$1 status=0
	shift
	echo "run-all: $(quote "$@")" >&2
	(cd "$top" && "$@") | tr -d '\r' >"$out.tmp" || status=$?
	if grep -v -e '^{' -e '^$' "$out.tmp" >&2 || [ "$status" -ne 0 ]; then
		die "the VM run failed (status $status); its records are in $out.tmp"
	fi
	mv "$out.tmp" "$out"
}

if [ -z "$report" ]; then
	start=$(date +%s)
	# What is built and measured: the tree may change while the VMs run.
	revision=$(git -C "$top" describe --always --dirty 2>/dev/null) ||
		revision="(not a git checkout)"
	make -C "$top" -s BUILD="$build" module bench
	mkdir -p "$results"
	rm -f "$meta"
	run_vm "$results/icount.jsonl" "${icount_cmd[@]}"
	load_before=$(cut -d ' ' -f 1 /proc/loadavg)
	run_vm "$results/wall.jsonl" "${wall_cmd[@]}"
	load_after=$(cut -d ' ' -f 1 /proc/loadavg)
	minutes=$((($(date +%s) - start + 59) / 60))
	for v in start revision quick load_before load_after minutes; do
		printf '%s=%q\n' "$v" "${!v}"
	done >"$meta"
fi

awk -f "$here/jsonl.awk" -f "$here/plot.awk" \
	"$results/icount.jsonl" "$results/wall.jsonl" >"$svg.tmp"
tables=$(awk -f "$here/jsonl.awk" -f "$here/report.awk" \
	"$results/icount.jsonl" "$results/wall.jsonl")

qemu=$(qemu-system-x86_64 --version | sed -n '1s/^QEMU emulator version //p')
host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
kernel=$(sed -n 's/.*"test":"env".*"kernel":"\([^"]*\)".*/\1/p' \
	"$results/icount.jsonl" | head -n 1)

cat >"$doc.tmp" <<EOF
# Benchmarks

A door call against what a Linux program would otherwise use to call
another process and wait for the answer, all measured in the same boot by
the same harness.  This file and [benchmarks.svg](benchmarks.svg) are
generated: to refresh them, run

    ${BUILD:+BUILD=$(quote "$build") }tools/bench/run-all.sh${quick:+ --quick}

which builds everything, boots the VM twice (about ${minutes} minutes here) and
rewrites both.  Measured on $(date -u -d "@$start" '+%Y-%m-%d %H:%M UTC'): guest kernel
$kernel, doors.ko and libdoor from revision $revision, QEMU $qemu
(TCG), host CPU $host_cpu.

## What is measured

\`doorbench\` (tools/bench/) runs every measurement in a fresh server
process, which forks its client: nothing (server threads, CPU affinity, a
Binder context manager) carries over between measurements.  The client
makes warm-up round trips, then timed ones (\`CLOCK_MONOTONIC\` around the
loop), their number calibrated so that a repetition lasts a fixed time;
the mechanisms take turns between repetitions.  Every server echoes its
arguments as its results, and the client checks every reply: a sequence
number at both ends of the payload and at 16 places that move from one
call to the next, the whole reply up to 4 KiB.

- **door_call**: libdoor; the procedure \`door_return()\`s its arguments.
  Before the client starts, the server calls its own door once so that
  libdoor's pool has grown to two parked threads (what one client needs).
- **futex**: \`FUTEX_WAKE\`/\`FUTEX_WAIT\` on a word of a shared mapping
  that also carries the payload (request, then reply).
- **eventfd**: one eventfd each way, payload in a shared mapping.
- **pipe**: two pipes; **unix**: an \`AF_UNIX\` stream socketpair;
  **seqpacket**: an \`AF_UNIX\` seqpacket socketpair; default buffer sizes.
  A null call still moves one byte each way.
- **binder**: Debian's \`binder_linux.ko\` (\`devices=binder\`), spoken
  through raw ioctls (tools/bench/binder_ipc.c): the server is the context
  manager, the client transacts to handle 0 (\`BC_TRANSACTION\` …
  \`BR_REPLY\`, the previous reply's \`BC_FREE_BUFFER\` in the same ioctl),
  the server replies from the transaction's own buffer.
- **doorraw**: the same door call spoken as raw ioctls, one server
  thread looping on \`DOOR_IOC_RETURN\` (no libdoor): against door_call,
  what libdoor adds in user space.
- **handoff**, a reference: the bare hand-off of a module of its own
  (tools/bench/handoff/doors_handoff.c): an ioctl that wakes the peer
  parked in its ioctl and sleeps, one spinlock, \`wake_up_process()\`
  and \`schedule()\` a side, no payload: the floor of a synchronous call
  a module makes through \`ioctl()\` and sleeps in.
- **yield**, a reference: the same hand-off, but each side, having woken
  its peer on its own CPU, yields to it with \`yield_to()\` before it
  waits, as a door call does (kmod/yield.h, built into both modules):
  the floor of the door call's design; against doorraw, what the doors
  module adds; function by function in [profile.md](profile.md)
  (\`tools/bench/profile.sh\`).
- **kcopy**, a reference, not a round trip: one \`pread()\` of the
  payload from a memfd, i.e. one kernel copy.  What 1 MiB adds to a
  mechanism's null round trip, divided by what it adds here, is the number
  of copies the mechanism makes.

The concurrency sweep runs 1, 2 and 4 client threads (one client process)
against 1, 2 and 4 server threads (for doors, a \`door_server_create()\`
function that starts exactly that many, for Binder that many looper
threads).  The memory measurement (\`doorbench mem\`, meter boot) reads
\`/proc/slabinfo\` and \`/proc/meminfo\` before and after creating 10,000
doors, starting 1,000 threads, parking them in the door's pool, and making
1,000 calls that stay in flight.

## How to read the meters

Meter mode (\`$(quote "${icount_cmd[@]}")\`): QEMU runs one CPU with
\`-icount shift=0,sleep=off\`, so one guest nanosecond is one guest
instruction: the figures count the instructions, user and kernel, of both
processes, independent of the host and of other load.  Three things to keep
in mind:

- they are instructions, not cycles: a cache miss or a pipeline flush
  costs nothing here;
- a \`rep movs\`/\`rep stos\` counts once per iteration, so the kernel's
  copies and page clearing (byte-wise \`rep movsb\`) weigh about one
  instruction per byte, while glibc's \`memcpy\` in user space moves
  many bytes per vector instruction: futex and eventfd, whose payload is
  copied by \`memcpy\`, look far cheaper at large sizes than they are;
- when the CPU idles, the clock jumps to the next timer: a round trip that
  waits for a timer shows its wait as instructions.  Warm-up round trips
  keep one-time waits (page faults, a new thread's stack) out of the
  timed ones.

The counts are not quite the same from one boot to the next: some have
moved by up to about 20 % between boots (the null futex round trip most,
the null door call by about 1 %), while repetitions within a boot agree
to within a few per cent.  Payloads up
to 64 KiB are measured three times (median, and the range when the
repetitions differ), larger ones once, over more round trips: they vary
from one round trip to the next (a fresh mapping gets huge pages or not).

Wall clock (\`$(quote "${wall_cmd[@]}")\`): real time in an emulated guest
(TCG, no KVM), where a cross-CPU wake-up is slow.  The whole sweep runs
unpinned; pinned to one CPU and to two CPUs, 0 B and 4 KiB.  Other VMs
may share the host's $(nproc) CPUs while this runs (load average
$load_before before the wall-clock run, $load_after after it), which shows
as spread, in the pinned cross-CPU and concurrency figures most: compare
ratios measured together rather than absolute values, and prefer the
meter mode.

![Round trip cost against payload size](benchmarks.svg)

$tables

## Raw results

One JSON object a line, as doorbench printed them (also in
\`BUILD/bench-results/\`):

\`\`\`
$(cat "$results/icount.jsonl" "$results/wall.jsonl")
\`\`\`
EOF
mv "$svg.tmp" "$svg"
mv "$doc.tmp" "$doc"
echo "run-all: wrote ${doc#"$top"/} and ${svg#"$top"/}"

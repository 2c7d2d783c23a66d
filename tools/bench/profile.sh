#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# usage: tools/bench/profile.sh [--report] [MECH...]
#        (MECH: handoff, yield, doorraw, door, futex; default all five)
#
# Where a null round trip's instructions go, function by function, kernel
# and user space: the icount meter's figure taken apart.  For each
# mechanism, two boots of the VM in meter mode (tools/vm/run --icount,
# nokaslr norandmaps) under QEMU's tbcount plugin (tools/bench/tbcount.c)
# run doorbench for 5,000 and 30,000 timed round trips, after the same
# calibration runs; the difference between the two counts every block
# the extra round trips ran, and nothing of the boot, the processes'
# set-up or their exit.  Round trips are counted at
# an entry the mechanism passes a known number of times a round trip.
# Writes Markdown tables: instructions per round trip of every function
# (user space: of every function of doorbench and libdoor, of every other
# object as a whole) that takes 2 or more in some mechanism, and the
# total, in Documentation/profile.md.  About a minute and a half a
# mechanism.  --report only makes the tables again from the block counts
# of the last run.  BUILD as for run-all.sh.
set -euo pipefail

die() {
	echo "profile: $*" >&2
	exit 1
}

top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath -m -- "${BUILD:-$top/build}")
out=$build/profile
report=
if [ "${1-}" = --report ]; then
	report=1
	shift
fi
[ $# -gt 0 ] || set -- handoff yield doorraw door futex

# The entry each mechanism's round trip passes, and how many times.
anchor() {
	case $1 in
	door | doorraw) echo "door_call[doors] 1" ;;
	handoff | yield) echo "handoff_ioctl[doors_handoff] 2" ;;
	futex) echo "futex_wake 2" ;;
	*) die "no entry known for $1 (door, doorraw, handoff, yield or futex)" ;;
	esac
}
for m; do anchor "$m" >/dev/null; done

mkdir -p "$out"
# What is built and measured, kept for --report: the tree may change
# while the VMs run.
if [ -z "$report" ]; then
	revision=$(git -C "$top" describe --always --dirty 2>/dev/null) ||
		revision="(not a git checkout)"
	printf 'revision=%q\nwhen=%q\n' "$revision" \
		"$(date -u '+%Y-%m-%d %H:%M UTC')" >"$out/run.env"
	make -C "$top" -s BUILD="$build" module bench
fi
[ -f "$out/run.env" ] || die "no counts in $out: run without --report first"
revision='' when=''
# shellcheck source=/dev/null
. "$out/run.env"

# One boot: ITERS round trips of MECH; the block counts in
# $out/MECH.ITERS.tb, what the guest printed in $out/MECH.ITERS.txt.
boot() {
	local m=$1 iters=$2 tb=$out/$1.$2.tb
	shift 2
	rm -f "$tb"
	echo "profile: $m, $iters round trips" >&2
	(cd "$top" && tools/vm/run --build "$build" --icount \
		--append "nokaslr norandmaps" \
		--plugin "$build/bench/tbcount.so,out=$tb" \
		-- /opt/doors/bench/profile-guest "$m" "$iters" "$@") |
		tr -d '\r' >"$out/$m.$iters.txt" ||
		die "the VM run failed: $out/$m.$iters.txt"
	[ -s "$tb" ] || die "no block counts from the VM run ($tb)"
}

# Symbols, "ADDRESS 0 NAME", ADDRESS in 16 hex digits: the kernel's (one
# boot prints them; nokaslr keeps them in place), the modules' and those
# of doorbench's objects as mapped in the boot of $1.  A mapping's end is
# a symbol of its own: nothing past it counts for its last function.
symbols() {
	local start end off path base name file addr sym a

	awk '$1 == "SYM" { print $2, 0, $4 }' "$out/kallsyms.txt"
	awk '$1 == "MOD" { print $2, 0, $4 $5 }' "$1"
	awk '$1 == "MAP" { split($2, r, "-"); print r[1], r[2], $4, $7 }' "$1" |
	while read -r start end off path; do
		base=$((0x$start - 0x$off))
		name=${path##*/}
		case $path in
		/opt/doors/bench/*) file=$build/bench/$name ;;
		*/libdoor.so*) file=$build/lib/$name ;;
		*) file= ;;
		esac
		printf '%016x 0 %s\n%016x 0 (unknown)\n' $((0x$start)) "$name" \
			$((0x$end))
		[ -n "$file" ] || continue
		nm --defined-only "$file" | awk '$2 ~ /^[tTwW]$/ { print $1, $3 }' |
		while read -r addr sym; do
			a=$((0x$addr + base))
			[ "$a" -lt $((0x$start)) ] || [ "$a" -ge $((0x$end)) ] ||
				printf '%016x 0 %s:%s\n' "$a" "$name" "$sym"
		done
	done
}

# Instructions by function in one boot, "NAME<TAB>COUNT", and the
# anchor's entries as "=entries<TAB>COUNT".
by_function() {
	local m=$1 iters=$2 a

	a=$(anchor "$m")
	{
		symbols "$out/$m.$iters.txt"
		sed 's/ / 1 /' "$out/$m.$iters.tb"
	} | LC_ALL=C sort -k1,1 -k2,2n |
	awk -v anchor="${a% *}" '
		$2 == 0 { name = $3; start = $1; next }
		{ sum[name] += $3 * $4
		  if ($1 == start && name == anchor) entries += $4 }
		END { for (n in sum) printf "%s\t%.0f\n", n, sum[n]
		      printf "=entries\t%.0f\n", entries }'
}

# The kernel's symbols, from a boot of their own: printing them in one
# of a mechanism's two boots would not cancel out.
[ -n "$report" ] || boot "$1" 1000 kallsyms
[ -n "$report" ] || mv "$out/$1.1000.txt" "$out/kallsyms.txt"
for m; do
	[ -n "$report" ] || boot "$m" 5000
	[ -n "$report" ] || boot "$m" 30000
	per=$(anchor "$m")
	{
		by_function "$m" 30000 | sed 's/^/+\t/'
		by_function "$m" 5000 | sed 's/^/-\t/'
	} | awk -F '\t' -v m="$m" -v per="${per##* }" '
		{ v[$2] += ($1 == "+" ? $3 : -$3) }
		END {
			trips = v["=entries"] / per
			if (trips <= 0) {
				print "profile: no round trips counted" >"/dev/stderr"
				exit 1
			}
			for (n in v)
				if (n != "=entries")
					printf "%s\t%s\t%.1f\n", m, n, v[n] / trips
		}' >"$out/$m.functions"
done

# A table (Markdown) of the mechanisms' functions.  diff: with the
# differences from one mechanism to the next, the functions where one is
# 2 or more, largest first; all: every function that takes 2 or more
# somewhere, by the last mechanism's count.  The total row counts all.
table() {
	local mode=$1 m
	shift
	for m; do cat "$out/$m.functions"; done |
	awk -F '\t' -v mode="$mode" -v mechs="$*" '
		BEGIN { n = split(mechs, mech, " ") }
		{ v[$2, $1] = $3; names[$2] = 1; v["**total**", $1] += $3 }
		function cells(f,   i, line) {
			line = "| " f " |"
			for (i = 1; i <= n; i++)
				line = line sprintf(" %.0f |", v[f, mech[i]])
			for (i = 2; mode == "diff" && i <= n; i++)
				line = line sprintf(" %+.0f |", v[f, mech[i]] - v[f, mech[i - 1]])
			return line
		}
		END {
			line = "| function |"; rule = "| --- |"
			for (i = 1; i <= n; i++) {
				line = line " " mech[i] " |"; rule = rule " ---: |"
			}
			for (i = 2; mode == "diff" && i <= n; i++) {
				line = line " " mech[i] " − " mech[i - 1] " |"
				rule = rule " ---: |"
			}
			print "1e99\t" line; print "1e98\t" rule
			for (f in names) {
				key = ""
				for (i = 1; i <= n; i++) {
					d = v[f, mech[i]] - v[f, mech[i - 1]]
					d = d < 0 ? -d : d
					a = v[f, mech[i]] < 0 ? -v[f, mech[i]] : v[f, mech[i]]
					if (mode == "diff" && i > 1 && d >= 2 && (key == "" || d > key))
						key = d
					if (mode == "all" && a >= 2)
						key = v[f, mech[n]] + 0
				}
				if (key != "")
					print key "\t" cells(f)
			}
			print "-1e99\t" cells("**total**")
		}' | LC_ALL=C sort -t "$(printf '\t')" -k1,1gr | cut -f 2-
}

doc=$top/Documentation/profile.md
cat >"$doc.tmp" <<EOF
# Where a round trip's instructions go

Generated by \`tools/bench/profile.sh $*\` on $when,
doors.ko and libdoor from revision $revision.

The icount meter of [benchmarks.md](benchmarks.md) taken apart: the
instructions of one null round trip, by function, kernel and user space,
for each mechanism (handoff: the bare hand-off; yield: the same, each
side yielding to the peer it woke; doorraw: the door call
through raw ioctls; door: the door call through libdoor; futex: the
futex ping-pong, in whichever pattern of wake-ups its boot fell into,
see benchmarks.md).  QEMU's TCG
plugin \`tools/bench/tbcount.c\` counts how many times the guest ran each
translation block.  Each mechanism runs in two boots of the meter-mode VM
(booted \`nokaslr norandmaps\`): 5,000 and 30,000 timed round trips,
after the same calibration runs.  The difference between the two is
divided by the round trips it holds: the boot, the processes' set-up and
their exit cancel out.  User space is
named by function for doorbench and libdoor, by object otherwise (libc:
mostly the \`ioctl()\` wrapper).  The totals come within 2 % of the
meter's figures: a block that an interrupt leaves early counts whole,
and the timer interrupts vary from one boot to the next.  That variation
also leaves a few rows that no round trip runs, some negative (code that
ran more in the shorter boot), among the kernel's \`.cold\` parts.

## What the doors module and libdoor add

$(table diff "$@")

## Every function

$(table all "$@")
EOF
mv "$doc.tmp" "$doc"
echo "profile: wrote $doc" >&2

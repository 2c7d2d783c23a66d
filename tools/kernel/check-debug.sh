#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: the selftest suite, doorrepro, doorfuzz, every kill
# storm and the fault injection tests on the debug kernel (KASAN, lockdep,
# UBSAN, kmemleak, hung task detection, fault injection), in one VM, then
# the module unloaded and a kmemleak scan.  See usage and
# Documentation/debug-kernel.md.

set -euo pipefail

usage() {
	cat <<EOF
usage: ${0##*/} [OPTION...] [TEST...]

Builds (or reuses) the debug kernel (tools/kernel/build-debug.sh), builds
doors.ko against it in BUILD/debug-module (kmod/ is left alone), boots it
and runs tools/vm/run-tests with the fuzz and fault injection tests, then
unloads the module and scans for leaks.  Prints the TAP output and ends
with "N passed, N failed"; the log is BUILD/vm/check-debug.log, the
console BUILD/vm/console.log.  Needs what make all built.  TESTs, as
run-tests takes them (call_test, fuzz, fuzz:storm-revoke, fault...), run
only those (and the unload and leak scan at the end).

  --seed N          seed of doorfuzz and doorstorm (default: the clock)
  --ops N           doorfuzz operations (default 1000000)
  --iterations N    iterations of each storm (default 10000)
  --fault-ops N     doorfuzz --fail-nth operations (default 100000)
  --quick           --ops 20000 --iterations 200 --fault-ops 5000
  --test-timeout S  bound of each fuzz and storm test (default 21600)
  --timeout S       bound of the whole VM run (default 86400)
  --module PATH     test this doors.ko (built for the debug kernel)
  --mem SIZE        VM memory (default 3G)
  --smp N           VM CPUs (default 2)
  --build DIR       build directory (default: BUILD or build/)
EOF
	exit "$1"
}

die() {
	echo "check-debug: $*" >&2
	exit 1
}

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
seed=
ops=1000000
iterations=10000
fault_ops=100000
test_timeout=21600
timeout=86400
module=
mem=3G
smp=2

while [ $# -gt 0 ]; do
	case $1 in
	--seed | --ops | --iterations | --fault-ops | --test-timeout | \
	--timeout | --module | --mem | --smp | --build)
		[ $# -ge 2 ] || usage 2
		;;
	esac
	case $1 in
	--seed) seed=$2; shift ;;
	--ops) ops=$2; shift ;;
	--iterations) iterations=$2; shift ;;
	--fault-ops) fault_ops=$2; shift ;;
	--quick) ops=20000; iterations=200; fault_ops=5000 ;;
	--test-timeout) test_timeout=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--module) module=$2; shift ;;
	--mem) mem=$2; shift ;;
	--smp) smp=$2; shift ;;
	--build) build=$2; shift ;;
	-h | --help) usage 0 ;;
	-*) usage 2 ;;
	*) break ;;
	esac
	shift
done
for v in "$ops" "$iterations" "$fault_ops" "$test_timeout" "$timeout"; do
	[[ $v =~ ^[0-9]+$ ]] || usage 2
done
[ -n "$seed" ] || seed=$(date +%s)
[ -x "$build/fuzz/doorfuzz" ] || die "$build/fuzz/doorfuzz missing: make all first"

dir=$("$top/tools/kernel/build-debug.sh")
kdir=$dir/build

# The module, against the debug tree, from a copy of the sources: kmod/
# keeps what it was built for (Debian's kernel).
if [ -z "$module" ]; then
	src=$build/debug-module
	rm -rf "$src"
	mkdir -p "$src"
	(cd "$top" && find Kbuild kmod uapi -type f \
		\( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) ! -name '*.mod.c' \
		-print0 | xargs -0 cp --parents -t "$src")
	nice make -s -C "$kdir" M="$src" modules
	module=$src/kmod/doors.ko
fi
[ -f "$module" ] || die "no module at $module"

# Debian's LSMs but TOMOYO, which panics ("MAC Initialization failed")
# when an allocation fails before a policy is loaded: fault injection
# makes them fail.
lsm=landlock,lockdown,yama,loadpin,safesetid,integrity,apparmor,bpf
# RCU stalls of 60 s, not 21: under TCG on a loaded host a vCPU may not
# run for 20 s (seen: "rcu_preempt kthread timer wakeup didn't happen"),
# a stall of the kernel's own lasts.  A hung-task report shows the
# stacks of the running CPUs too: lockdep lists the locks of sleeping
# tasks only, and a task holding up the sleeper may be running.  Four-level
# paging (no5lvl; QEMU's "max" CPU has LA57): in 6.1 identify_cpu() clears
# the boot CPU's feature bits, LA57 among them, before it reads them again,
# and an interrupt in between finds pgtable_l5_enabled() false: KASAN then
# takes a direct-map address for a wild one (seen once, at 0.03 s,
# "wild-memory-access in do_raw_spin_lock" from handle_edge_irq).

log=$build/vm/check-debug.log
mkdir -p "$build/vm"
echo "check-debug: kernel $dir/bzImage, module $module, seed $seed, $ops operations, $iterations iterations per storm, $fault_ops operations under fail-nth; log in $log"
start=$(date +%s)
status=0
"$top/tools/vm/run" --kernel "$dir/bzImage" --module "$module" \
	--mem "$mem" --smp "$smp" --timeout "$timeout" --build "$build" \
	--append "lsm=$lsm no5lvl rcupdate.rcu_cpu_stall_timeout=60 sysctl.kernel.hung_task_all_cpu_backtrace=1" -- \
	/opt/doors/run-tests -s "$seed" -o "$ops" -i "$iterations" \
	-t "$test_timeout" -F "$fault_ops" -U "$@" 2>&1 | tee "$log" ||
	status=$?
elapsed=$(($(date +%s) - start))
printf 'check-debug: %dh%02dm%02ds, status %d\n' $((elapsed / 3600)) \
	$((elapsed / 60 % 60)) $((elapsed % 60)) "$status" | tee -a "$log"
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1) || true
[ -z "$summary" ] || echo "$summary"
exit "$status"

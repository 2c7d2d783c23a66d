# SPDX-License-Identifier: GPL-2.0
#
# Solaris doors on Linux.
#
#   make [all]      module, libdoor, selftests, examples, seed programs, bench,
#                   fuzz (doorfuzz and doorstorm), doorctl (the command)
#   make module     kmod/doors.ko, against KDIR (default: the newest Debian
#                   6.1 kernel whose image and headers are both installed)
#   make lib | tests | examples | seed | bench | fuzz | doorctl
#   make setup      install what is needed from Debian (tools/setup.sh)
#   make demo       setup, build, boot the VM, run door servers and clients
#   make check      setup, build, boot the VM, run every selftest, then a
#                   short fuzz run and short kill storms
#   make check-debug  the same, longer (10^6 fuzz operations, 10,000
#                   iterations per storm) and with fault injection, on
#                   the debug kernel (tools/kernel/check-debug.sh; hours)
#   make checkpatch | sparse | man-check (libdoor's and doorctl's manual pages)
#   make clean
#
# Variables: KDIR, SEED_DIR (default ../shared/seed), BUILD (default build),
# VMFLAGS (options of tools/vm/run, e.g. VMFLAGS='--smp 1'), CHECK_ARGS (of
# tools/vm/run-tests, e.g. CHECK_ARGS='-v call_test'), CHECK_DEBUG_ARGS (of
# tools/kernel/check-debug.sh, e.g. CHECK_DEBUG_ARGS=--quick), V=1 (verbose).

SEED_DIR ?= $(abspath ../shared/seed)
BUILD ?= $(CURDIR)/build
LINUX_SOURCE ?= /usr/src/linux-source-6.1.tar.xz

ifndef KDIR
KRELEASE := $(shell tools/vm/kernel-release 2>/dev/null)
KDIR := $(if $(KRELEASE),/lib/modules/$(KRELEASE)/build)
endif

ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif

# What every sub-Makefile takes.
SUB := O=$(BUILD) TOP=$(CURDIR) SEED_DIR=$(SEED_DIR)
KSFT := $(BUILD)/ksft/kselftest_harness.h $(BUILD)/ksft/kselftest.h
CHECKPATCH := $(BUILD)/checkpatch/checkpatch.pl
CHECKPATCH_FILES := $(addprefix $(BUILD)/checkpatch/,checkpatch.pl \
		      spelling.txt const_structs.checkpatch)

.PHONY: all module lib ksft tests examples seed bench fuzz doorctl setup demo check \
	check-debug \
	checkpatch sparse man-check clean kdir

all: module lib tests examples seed bench fuzz doorctl

kdir:
	$(if $(KDIR),,$(error no 6.1 kernel image with its headers: run make setup, or set KDIR))

module: kdir
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR) modules

lib:
	$(Q)$(MAKE) -C libdoor-user $(SUB)

examples seed: lib
	$(Q)$(MAKE) -C libdoor-user $(SUB) $@

tests: lib ksft
	$(Q)$(MAKE) -C selftests/doors $(SUB)

bench: lib
	$(Q)$(MAKE) -C tools/bench $(SUB)

fuzz: lib
	$(Q)$(MAKE) -C tools/fuzz $(SUB)

doorctl: lib
	$(Q)$(MAKE) -C tools/doorctl $(SUB)

# The kselftest harness comes from Debian's kernel source, never the tree.
ksft: $(KSFT)

$(KSFT) &: | $(LINUX_SOURCE)
	@echo "  EXTRACT $(BUILD)/ksft"
	$(Q)mkdir -p $(BUILD)/ksft
	$(Q)tar -xJf $(LINUX_SOURCE) -C $(BUILD)/ksft --strip-components=4 \
		--occurrence=1 \
		$(patsubst $(BUILD)/ksft/%,linux-source-6.1/tools/testing/selftests/%,$(KSFT))

$(CHECKPATCH_FILES) &: | $(LINUX_SOURCE)
	@echo "  EXTRACT $(BUILD)/checkpatch"
	$(Q)mkdir -p $(BUILD)/checkpatch
	$(Q)tar -xJf $(LINUX_SOURCE) -C $(BUILD)/checkpatch --strip-components=2 \
		--occurrence=1 \
		$(patsubst $(BUILD)/checkpatch/%,linux-source-6.1/scripts/%,$(CHECKPATCH_FILES))

$(LINUX_SOURCE):
	$(error $@ is missing: run make setup)

setup:
	$(Q)tools/setup.sh

demo: setup
	$(Q)$(MAKE) $(if $(Q),-s) all
	$(Q)tools/vm/run $(VMFLAGS) --build $(BUILD) -- /opt/doors/demo

# The suite, then doorrepro, a short doorfuzz run and short storms
# (tools/vm/run-tests): about 6 + 3 minutes on a quiet machine.
check: setup
	$(Q)$(MAKE) $(if $(Q),-s) all
	$(Q)tools/vm/run --timeout 2400 $(VMFLAGS) --build $(BUILD) -- \
		/opt/doors/run-tests $(CHECK_ARGS)

# The debug kernel's module is built by the script, in $(BUILD), not kmod/.
check-debug:
	$(Q)tools/setup.sh --debug-kernel
	$(Q)$(MAKE) $(if $(Q),-s) lib tests examples seed bench fuzz doorctl
	$(Q)BUILD=$(BUILD) tools/kernel/check-debug.sh $(CHECK_DEBUG_ARGS)

man-check:
	$(Q)$(MAKE) $(if $(Q),-s) -C libdoor-user man-check \
		MAN1=$(CURDIR)/tools/doorctl/doorctl.1

checkpatch: $(CHECKPATCH_FILES)
	$(Q)perl $(CHECKPATCH) --no-tree $(if $(Q),--quiet) -f \
		$(filter-out %.mod.c,$(wildcard kmod/*.[ch])) $(wildcard uapi/linux/*.h) \
		tools/bench/handoff/doors_handoff.c

# Sparse warnings are errors here.
sparse: kdir
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 CF=-Wsparse-error modules

clean:
	$(if $(KDIR),$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR) clean)
	$(Q)rm -rf $(BUILD)

# SPDX-License-Identifier: GPL-2.0
#
# usage: awk -f jsonl.awk -f report.awk RESULTS.jsonl...
#
# The Markdown sections of Documentation/benchmarks.md made from
# doorbench's records: round trips per meter and placement, the
# concurrency sweep, memory, and the targets of issue 4 (met or not).

function add(list, n, v,    i) {
	n += 0
	for (i = 0; i < n; i++)
		if (list[i] == v)
			return n
	list[n] = v
	return n + 1
}

# Ascending numeric order, in place (lists are short).
function sort_num(list, n,    i, j, v) {
	for (i = 1; i < n; i++) {
		v = list[i]
		for (j = i - 1; j >= 0 && list[j] + 0 > v + 0; j--)
			list[j + 1] = list[j]
		list[j + 1] = v
	}
}

function has(k) {
	return k in med
}

function rt(meter, place, mech, size) {
	return med[meter, place, mech, size]
}

$0 !~ /^\{/ { next }

{
	jparse($0, r)
}

r["test"] == "env" {
	env[r["meter"], "kernel"] = r["kernel"]
	env[r["meter"], "cpus"] = r["cpus"]
	env[r["meter"], "binder"] = r["binder"]
}

r["test"] == "rt" {
	k = r["meter"] SUBSEP r["place"] SUBSEP r["mech"] SUBSEP r["size"]
	nmech = add(mechs, nmech, r["mech"])
	nsize = add(sizes, nsize, r["size"])
	label[r["mech"]] = r["label"]
	seen[r["meter"], r["place"]] = 1
	seen_meter[r["meter"]] = 1
	if ("na" in r) {
		na[k] = r["na"]
	} else {
		med[k] = r["median_ns"]
		lo[k] = r["min_ns"]
		hi[k] = r["max_ns"]
		nreps[k] = r["reps"]
		vcsw[k] = r["client_vcsw"]
		ivcsw[k] = r["client_ivcsw"]
		reps[r["meter"]] = r["reps"]
	}
}

r["test"] == "conc" {
	k = r["mech"] SUBSEP r["clients"] SUBSEP r["servers"]
	ncmech = add(cmechs, ncmech, r["mech"])
	nclients = add(clients, nclients, r["clients"])
	nservers = add(servers, nservers, r["servers"])
	label[r["mech"]] = r["label"]
	cmed[k] = r["median_cps"]
	clo[k] = r["min_cps"]
	chi[k] = r["max_cps"]
	creps = r["reps"]
}

r["test"] == "mem" {
	nwhat = add(whats, nwhat, r["what"])
	for (f in r)
		mem[r["what"], f] = r[f]
}

r["test"] == "mem-cache" {
	ncache += 0
	cache_what[ncache] = r["what"]
	cache_name[ncache] = r["cache"]
	cache_size[ncache] = r["objsize"]
	cache_objs[ncache] = r["objects_per_item"]
	cache_bytes[ncache] = r["bytes_per_item"]
	# The module allocates with GFP_KERNEL_ACCOUNT: kmalloc-cg-* caches.
	if (r["cache"] ~ /^kmalloc-cg-/)
		module[r["what"]] += r["bytes_per_item"]
	ncache++
}

# Footnotes for n/a cells, numbered in order of appearance.
function note(reason,    i) {
	for (i = 1; i <= nnotes; i++)
		if (notes[i] == reason)
			return "n/a[^" i "]"
	notes[++nnotes] = reason
	return "n/a[^" nnotes "]"
}

function size_header(    j, s) {
	s = "| mechanism |"
	for (j = 0; j < nsize; j++)
		s = s " " size_name(sizes[j]) " |"
	print s
	s = "| --- |"
	for (j = 0; j < nsize; j++)
		s = s " ---: |"
	print s
}

# Copies of the payload a round trip makes: what 1 MiB adds to the null
# round trip, over what it adds to one kernel copy.
function copies(meter, mech,    big, k0, k1, d) {
	big = 1048576
	if (!has(meter SUBSEP "unpinned" SUBSEP mech SUBSEP big) ||
	    !has(meter SUBSEP "unpinned" SUBSEP mech SUBSEP 0) ||
	    !has(meter SUBSEP "unpinned" SUBSEP "kcopy" SUBSEP big) ||
	    !has(meter SUBSEP "unpinned" SUBSEP "kcopy" SUBSEP 0))
		return ""
	k0 = rt(meter, "unpinned", "kcopy", 0)
	k1 = rt(meter, "unpinned", "kcopy", big)
	d = rt(meter, "unpinned", mech, big) - rt(meter, "unpinned", mech, 0)
	return sprintf("%.1f", d / (k1 - k0))
}

function rt_table(meter, place, spread,    i, j, m, k, s, cell, c) {
	size_header()
	for (i = 0; i < nmech; i++) {
		m = mechs[i]
		if (m == "kcopy" && place != "unpinned")
			continue
		s = "| " (m == "kcopy" ? "*" label[m] "*" : label[m]) " |"
		for (j = 0; j < nsize; j++) {
			k = meter SUBSEP place SUBSEP m SUBSEP sizes[j]
			if (k in na)
				cell = note(na[k])
			else if (!(k in med))
				cell = ""
			else if (meter == "icount" && eng(lo[k]) == eng(hi[k]))
				cell = eng(med[k])
			else if (meter == "icount")
				cell = eng(med[k]) " (" eng(lo[k]) "–" eng(hi[k]) ")"
			else if (spread && nreps[k] > 1)
				cell = dur(med[k]) " (" dur(lo[k]) "–" dur(hi[k]) ")"
			else
				cell = dur(med[k])
			if (m == "door" && cell != "")
				cell = "**" cell "**"
			s = s " " cell " |"
		}
		print s
	}
	print ""
	if (meter != "icount")
		return
	s = ""
	for (i = 0; i < nmech; i++) {
		c = copies(meter, mechs[i])
		if (c != "" && mechs[i] != "kcopy")
			s = s (s == "" ? "" : ", ") mechs[i] " " c
	}
	if (s != "")
		printf("Copies of the payload per round trip (what 1 MiB adds over the null round trip, in units of one kernel copy of 1 MiB): %s.\n\n", s)
}

function print_notes(    i) {
	for (i = 1; i <= nnotes; i++)
		printf("[^%d]: %s\n", i, notes[i])
	if (nnotes)
		print ""
	split("", notes)
	nnotes = 0
}

function conc_tables(    i, j, c, m, k, s, one) {
	for (i = 0; i < ncmech; i++) {
		m = cmechs[i]
		printf("%s, calls per second, median (min–max) of %d:\n\n", label[m], creps)
		s = "| clients \\ server threads |"
		for (j = 0; j < nservers; j++)
			s = s " " servers[j] " |"
		print s
		s = "| ---: |"
		for (j = 0; j < nservers; j++)
			s = s " ---: |"
		print s
		for (c = 0; c < nclients; c++) {
			s = "| " clients[c] " |"
			for (j = 0; j < nservers; j++) {
				k = m SUBSEP clients[c] SUBSEP servers[j]
				one = m SUBSEP 1 SUBSEP servers[j]
				if (!(k in cmed)) {
					s = s " |"
					continue
				}
				s = s sprintf(" %.0f (%.0f–%.0f)", cmed[k], clo[k], chi[k])
				if (clients[c] != 1 && (one in cmed) && cmed[one] > 0)
					s = s sprintf(", ×%.2f", cmed[k] / cmed[one])
				s = s " |"
			}
			print s
		}
		print ""
	}
}

function bytes(v) {
	return sprintf("%.0f", v)
}

function mem_tables(    i, w, n, vfs) {
	print "| items | count | slab objects | of which kmalloc-cg | slab pages | kernel stack | page tables |"
	print "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	for (i = 0; i < nwhat; i++) {
		w = whats[i]
		printf("| %s | %d | %s | %s | %s | %s | %s |\n",
		       what_label[w] ? what_label[w] : w, mem[w, "count"],
		       bytes(mem[w, "slab_objects_per_item"]), bytes(module[w]),
		       bytes(mem[w, "slab_pages_per_item"]),
		       bytes(mem[w, "kernel_stack_per_item"]),
		       bytes(mem[w, "page_tables_per_item"]))
	}
	print ""
	print "Bytes per item: slab objects (active objects × object size, summed over the caches), the door module's share of them (it allocates with `GFP_KERNEL_ACCOUNT`, so its objects are in the `kmalloc-cg-*` caches), slab pages (`Slab:` of /proc/meminfo), kernel stacks and page tables.  Where the slab objects go (caches that grew by 8 bytes an item or more):"
	print ""
	print "| items | cache | object size | objects per item | bytes per item |"
	print "| --- | --- | ---: | ---: | ---: |"
	for (i = 0; i < ncache; i++)
		printf("| %s | %s | %d | %.2f | %s |\n", cache_what[i], cache_name[i],
		       cache_size[i], cache_objs[i], bytes(cache_bytes[i]))
	print ""
	if (("door", "count") in mem) {
		n = mem["door", "count"]
		vfs = mem["door", "slab_objects_per_item"] - module["door"]
		printf("%d doors cost %.1f MiB of slab objects: %.1f MiB of door records (%s bytes each), and %.1f MiB (%s bytes a door) of the file and security blob that every open file has (door files are opened with dentry_open() on one dentry and inode shared by all doors: no dentry or inode per door).\n\n",
		       n, mem["door", "slab_objects_per_item"] * n / 1048576,
		       module["door"] * n / 1048576, bytes(module["door"]),
		       vfs * n / 1048576, bytes(vfs))
	}
	if ((("parked", "count") in mem) && (("thread", "count") in mem)) {
		n = mem["parked", "count"]
		printf("%d parked server threads cost the door module %.0f KiB (%s bytes a thread); parking them also grew the process's memory map by %.0f KiB (libdoor's 16 KiB receive buffers: VMA tree and page tables).  The threads themselves, as any thread: %.1f MiB of slab and %.1f MiB of kernel stacks.\n\n",
		       n, module["parked"] * n / 1024, bytes(module["parked"]),
		       (mem["parked", "slab_objects_per_item"] - module["parked"] + mem["parked", "page_tables_per_item"]) * n / 1024,
		       mem["thread", "slab_objects_per_item"] * mem["thread", "count"] / 1048576,
		       mem["thread", "kernel_stack_per_item"] * mem["thread", "count"] / 1048576)
	}
	if (("call", "count") in mem) {
		n = mem["call", "slab_objects_per_item"]
		if (n < 64 && n > -64)
			printf("A call in flight allocates nothing measurable (%s bytes of slab a call: noise; the call record lives on the caller's kernel stack).\n\n", bytes(n))
		else
			printf("A call in flight costs %s bytes of slab.\n\n", bytes(n))
	}
}

function verdict(ok) {
	return ok ? "met" : "**not met**"
}

# A wall-clock verdict: met or not only if every pairing of the two
# ranges of repetitions says so, inconclusive otherwise.
function range_verdict(low, high, limit, below) {
	if (below)
		return high <= limit ? "met" : low > limit ? "**not met**" : "inconclusive (spread)"
	return low >= limit ? "met" : high < limit ? "**not met**" : "inconclusive (spread)"
}

function ratio_row(what, a, b, limit, meter, place,    ka, kb, v) {
	ka = meter SUBSEP place SUBSEP a SUBSEP 0
	kb = meter SUBSEP place SUBSEP b SUBSEP 0
	if (!(ka in med) || !(kb in med)) {
		printf("| %s | not measured | |\n", what)
		return
	}
	v = med[ka] / med[kb]
	if (meter == "icount")
		printf("| %s | %.2f× (%s against %s) | %s |\n", what, v,
		       eng(med[ka]), eng(med[kb]), verdict(v <= limit))
	else
		printf("| %s | %.2f× (medians %s against %s; over the repetitions' ranges %.2f× to %.2f×) | %s |\n",
		       what, v, dur(med[ka]), dur(med[kb]), lo[ka] / hi[kb],
		       hi[ka] / lo[kb], range_verdict(lo[ka] / hi[kb], hi[ka] / lo[kb], limit, 1))
}

function targets(    k0, k4, c, c1, c2, v, i, p) {
	print "| target | measured | |"
	print "| --- | --- | --- |"
	for (i = 1; i <= 3; i++) {
		p = icount_places[i]
		if (!(("icount", p) in seen))
			continue
		ratio_row("null door_call ≤ 0.85× futex ping-pong (instructions" place_what[p] ")", "door", "futex", 0.85, "icount", p)
		ratio_row("null door_call ≤ 0.45× Unix stream socket (instructions" place_what[p] ")", "door", "unix", 0.45, "icount", p)
		ratio_row("null door_call ≤ 0.35× Binder (instructions" place_what[p] ")", "door", "binder", 0.35, "icount", p)
	}
	k0 = "icount" SUBSEP "unpinned" SUBSEP "door" SUBSEP 0
	k4 = "icount" SUBSEP "unpinned" SUBSEP "door" SUBSEP 4096
	if ((k0 in med) && (k4 in med)) {
		v = med[k4] / med[k0]
		printf("| 4 KiB arguments + 4 KiB results ≤ 1.3× the null call (instructions) | %.2f× (%s against %s) | %s |\n",
		       v, eng(med[k4]), eng(med[k0]), verdict(v <= 1.3))
	} else {
		print "| 4 KiB + 4 KiB ≤ 1.3× the null call | not measured | |"
	}
	c = copies("icount", "door")
	if (c != "")
		printf("| 1 MiB moves with a single copy each way: ≤ 2.2 copies per round trip (instructions; Binder: %s) | %s | %s |\n",
		       copies("icount", "binder") == "" ? "n/a" : copies("icount", "binder"), c, verdict(c + 0 <= 2.2))
	else
		print "| 1 MiB moves with a single copy | not measured | |"
	ratio_row("wall clock, 2 CPUs, unpinned: null door_call ≤ 0.5× pipe", "door", "pipe", 0.5, "wall", "unpinned")
	c1 = "door" SUBSEP 1 SUBSEP 2
	c2 = "door" SUBSEP 2 SUBSEP 2
	if ((c1 in cmed) && (c2 in cmed)) {
		v = cmed[c2] / cmed[c1]
		printf("| 2 clients ≥ 1.7× the calls per second of one (2 server threads, wall clock) | %.2f× (medians %.0f against %.0f calls/s; over the repetitions' ranges %.2f× to %.2f×) | %s |\n",
		       v, cmed[c2], cmed[c1], clo[c2] / chi[c1], chi[c2] / clo[c1],
		       range_verdict(clo[c2] / chi[c1], chi[c2] / clo[c1], 1.7, 0))
	} else {
		print "| 2 clients ≥ 1.7× one | not measured | |"
	}
	if (("door", "slab_objects_per_item") in mem) {
		v = mem["door", "slab_objects_per_item"]
		printf("| kernel memory per door ≤ 512 bytes (slab objects) | %.0f bytes (door record %.0f, file and its security blob %.0f) | %s |\n",
		       v, module["door"], v - module["door"], verdict(v <= 512))
	} else {
		print "| kernel memory per door ≤ 512 bytes | not measured | |"
	}
	print ""
}

function icount_rt(mech, size, place,    k) {
	k = "icount" SUBSEP (place == "" ? "unpinned" : place) SUBSEP mech SUBSEP size
	return k in med ? med[k] : ""
}

# How the client of each mechanism waited: blocked (a voluntary switch)
# or preempted by the peer it woke (involuntary), per round trip.
function switches(mech, place,    k) {
	k = "icount" SUBSEP place SUBSEP mech SUBSEP 0
	if (!(k in vcsw) || vcsw[k] == "")
		return "?"
	return sprintf("%.2f / %.2f", vcsw[k], ivcsw[k])
}

# The null-call targets against the floor, in each scheduling pattern.
function floor_table(    i, j, p, h, d, f, lim, c, n) {
	print "| pattern | target | limit | the floor alone | room left for module + libdoor | they take now |"
	print "| --- | --- | ---: | ---: | ---: | ---: |"
	n = split("futex 0.85 unix 0.45 binder 0.35", c, " ")
	for (j = 1; j <= 3; j++) {
		p = icount_places[j]
		h = icount_rt("yield", 0, p)
		d = icount_rt("door", 0, p)
		if (h == "" || d == "")
			continue
		for (i = 1; i < n; i += 2) {
			f = icount_rt(c[i], 0, p)
			if (f == "")
				continue
			lim = c[i + 1] * f
			printf("| %s | ≤ %s× %s (%s) | %s | %.2f× | %s | %s |\n", place_name[p], c[i + 1], c[i],
			       eng(f), eng(lim), h / f, lim - h >= 0 ? eng(lim - h) : "none: below the floor", eng(d - h))
		}
	}
	print ""
}

function pattern_table(    i, j, p, m, s) {
	print "| mechanism | " place_name["unpinned"] " | " place_name["block"] " | " place_name["preempt"] " |"
	print "| --- | ---: | ---: | ---: |"
	for (i = 0; i < nmech; i++) {
		m = mechs[i]
		if (icount_rt(m, 0, "block") == "")
			continue
		s = "| " m " |"
		for (j = 1; j <= 3; j++) {
			p = icount_places[j]
			s = s " " (icount_rt(m, 0, p) == "" ? "" : eng(icount_rt(m, 0, p)) " (" switches(m, p) ")") " |"
		}
		print s
	}
	print ""
}

# Why the unmet targets are not met, from the same records: the bare
# hand-offs (the floor of a module's ioctl hand-off, sleeping and
# yielding), door_call without libdoor, one kernel copy.
function target_notes(    h, y, r, d, f, u, b, d4, c0, c4, c, lim, name, i, n) {
	h = icount_rt("handoff", 0)
	y = icount_rt("yield", 0)
	r = icount_rt("doorraw", 0)
	d = icount_rt("door", 0)
	if (h == "" || y == "" || r == "" || d == "")
		return
	print "### What the null-call targets ask of a module"
	print ""
	printf("The bare hand-off (doors_handoff.ko: an ioctl that wakes the peer parked in its ioctl and sleeps, one spinlock, `wake_up_process()` and `schedule()` a side, nothing else) costs %s instructions a round trip in this boot.  Most of that is the scheduler's: a side that sleeps leaves the run queue, and the wake-up that ends its wait puts it back, twice a round trip.  The yielding hand-off (the same, but a side that has woken its peer on its own CPU yields to it with `yield_to()` and stays runnable, kmod/yield.h) costs %s.  A door call does what the yielding one does: it is that floor plus the doors module's work (doorraw − yield: %s) plus libdoor's (door_call − doorraw: %s): %s.\n\n",
	       eng(h), eng(y), eng(r - y), eng(d - r), eng(d))
	if (("icount", "block") in seen) {
		print "On one CPU the peers' figures depend on whether waking the peer preempts the waker.  If it does, the waker's next wait finds its answer already there and does not block: a futex or pipe round trip then takes one real wake-up, not two.  With CFS's default wake-up granularity (1 ms) that depends on how far apart the virtual run times of the two processes happened to start, so from one boot, or one fork, to the next a peer's figure moves between its two patterns.  doorbench measures both, on the same boot: *block* sets `wakeup_granularity_ns` to 4 s (wake-ups never preempt: every waiter blocks), *preempt* sets it to 0 (a wake-up preempts whenever CFS allows).  The yields depend on the pattern too: CFS runs the peer a side yields to only if the peer's virtual run time is not ahead of the yielder's by more than the wake-up granularity.  In a ping-pong one side does more of each round trip's work, so by default one side's yields fail after a while: that side backs off and sleeps, and the other yields (the client's involuntary switch below).  With *block*'s granularity every yield succeeds and neither side sleeps; *preempt*'s is the default's pattern.  Instructions per null round trip, and the client's context switches per round trip (voluntary / involuntary):"
		print ""
		pattern_table()
	}
	print "Each target, as the most that module and libdoor together may add to the floor (the yielding hand-off), in each pattern:"
	print ""
	floor_table()
	print "The floor is made of the two system calls (entry, `ioctl` dispatch, security hook, exit), the two context switches between processes (PSI, `switch_mm`, FPU state) and the yields or, where a yield is not taken, the sleep and wake-up (run-queue accounting): kernel code a module cannot bypass on 6.1 (it cannot call `try_to_wake_up()` itself nor switch tasks directly, and `preempt_enable_no_resched` is off-limits).  Where the floor leaves no room, the target is out of reach of any module; where it leaves some, the row says how much of the module's and libdoor's work would have to go.  What that work is, function by function (the two ioctls' own code, most of it: checks, the call record, the pool, the copies of the argument structures), is in [profile.md](profile.md)."
	print ""
	d4 = icount_rt("door", 4096)
	c0 = icount_rt("kcopy", 0)
	c4 = icount_rt("kcopy", 4096)
	if (d4 != "" && c0 != "" && c4 != "") {
		print "### What 4 KiB each way asks"
		print ""
		printf("One kernel copy of 4 KiB costs %s instructions here (kcopy 4 KiB − kcopy 0 B): the kernel copies with `rep movsb`, which this meter counts once per byte.  A round trip moving 4 KiB each way with a single copy each way therefore costs at least the null call plus %s, %.2f× the null call, over the 1.3× of the target before any other work: the target cannot be met under this meter by any design that copies with the kernel's copy routines.  door_call measures %.2f× (%s over the null call: %s of copying, %s of pinning the other side's pages and the larger path).\n\n",
		       eng(c4 - c0), eng(2 * (c4 - c0)), (d + 2 * (c4 - c0)) / d, d4 / d,
		       eng(d4 - d), eng(2 * (c4 - c0)), eng(d4 - d - 2 * (c4 - c0)))
	}
	wall_notes()
	if (("door", "slab_objects_per_item") in mem) {
		print "### Memory per door"
		print ""
		printf("A door is a file: the file (`filp`, 256 bytes) and its security blob (`lsm_file_cache`, 24 bytes) come with any descriptor.  The module's own share is its 192-byte record (kmalloc-cg-192); the dentry and inode are shared by all doors.  Measured: %s bytes a door.\n\n",
		       bytes(mem["door", "slab_objects_per_item"]))
	}
}

function wall_rt(mech, place,    k) {
	k = "wall" SUBSEP place SUBSEP mech SUBSEP 0
	return k in med ? sprintf("%s (%s–%s)", dur(med[k]), dur(lo[k]), dur(hi[k])) : "not measured"
}

function wall_ratio(a, b, place,    ka, kb) {
	ka = "wall" SUBSEP place SUBSEP a SUBSEP 0
	kb = "wall" SUBSEP place SUBSEP b SUBSEP 0
	if (!(ka in med) || !(kb in med))
		return "not measured"
	return sprintf("%.2f× (%.2f× to %.2f×)", med[ka] / med[kb],
		       lo[ka] / hi[kb], hi[ka] / lo[kb])
}

# The wall-clock targets: what the guest is, and the floor in it.
function wall_notes(    c1, c2) {
	if (!("wall" in seen_meter))
		return
	print "### The wall-clock targets"
	print ""
	printf("Null round trips, unpinned, median (range) of the repetitions: door_call %s, bare hand-off %s, yielding hand-off %s, pipe %s, futex %s.  ",
	       wall_rt("door", "unpinned"), wall_rt("handoff", "unpinned"),
	       wall_rt("yield", "unpinned"), wall_rt("pipe", "unpinned"),
	       wall_rt("futex", "unpinned"))
	print "The guest's two CPUs are QEMU TCG threads on a host of two CPUs that other engineers' VMs share (see the load averages above): a round trip that crosses CPUs waits for the host to run the other vCPU's thread, and how long that takes depends on the host's load more than on the guest.  The verdicts above compare the ranges, not just the medians: a target is met only if every pairing of repetitions meets it."
	print ""
	printf("The floor against pipe: the bare hand-off, which wakes the peer and sleeps and does nothing else, takes %s of a pipe round trip unpinned, %s pinned on one CPU, %s across CPUs (medians; over the repetitions' ranges in brackets); the yielding hand-off %s, %s and %s; door_call takes %s, %s and %s.  Where both hand-offs are above 0.5×, no call made through a module's `ioctl()` can meet the pipe target in this guest.  ",
	       wall_ratio("handoff", "pipe", "unpinned"), wall_ratio("handoff", "pipe", "same"),
	       wall_ratio("handoff", "pipe", "cross"), wall_ratio("yield", "pipe", "unpinned"),
	       wall_ratio("yield", "pipe", "same"), wall_ratio("yield", "pipe", "cross"),
	       wall_ratio("door", "pipe", "unpinned"),
	       wall_ratio("door", "pipe", "same"), wall_ratio("door", "pipe", "cross"))
	printf("Counted in instructions (the meter), door_call takes %s of a pipe round trip: 0.5× in time would have to come from placement, a door's server run on its caller's CPU where a pipe's reader is woken on another.  In this guest one CPU is not the cheap place: the hand-off takes %s pinned on one CPU and %s across two.  The likely reason is QEMU's: TCG flushes a vCPU's software TLB whenever the guest writes CR3, so each switch between two processes on one vCPU is followed by page-table walks in software, which a vCPU that stays in one process does not pay.\n\n",
	       sprintf("%.2f×", med["icount", "unpinned", "door", 0] / med["icount", "unpinned", "pipe", 0]),
	       wall_rt("handoff", "same"), wall_rt("handoff", "cross"))
	c1 = "door" SUBSEP 1 SUBSEP 2
	c2 = "door" SUBSEP 2 SUBSEP 2
	if ((c1 in cmed) && (c2 in cmed))
		printf("Two clients against two server threads can reach twice the calls of one only if each client and its server thread keep a vCPU of their own, and the host gives the VM both of its CPUs: with the host shared, the 2-client figure measures the host's spare CPU as much as the module.  The module does what it can from the inside: the hand-off wake-ups say WF_SYNC, a side yields to the peer it woke on its own CPU, the dispatch prefers the parked thread that last ran on the caller's CPU, the server thread parks again before its caller is woken, the lock is taken briefly (once by the caller, two or three times by the server thread).  Measured: %.0f calls/s with one client, %.0f with two (%.2f×).\n\n",
		       cmed[c1], cmed[c2], cmed[c2] / cmed[c1])
}

END {
	sort_num(sizes, nsize)
	sort_num(clients, nclients)
	sort_num(servers, nservers)
	what_label["door"] = "door (door_create)"
	what_label["thread"] = "thread, blocked on a futex"
	what_label["parked"] = "parking that thread in the pool"
	what_label["caller"] = "calling thread, blocked on a futex"
	what_label["call"] = "call in flight"

	split("unpinned block preempt", icount_places, " ")
	place_name["unpinned"] = "default"
	place_name["block"] = "block"
	place_name["preempt"] = "preempt"
	place_what["unpinned"] = ""
	place_what["block"] = "; wake-ups never preempt"
	place_what["preempt"] = "; wake-ups preempt"
	if ("icount" in seen_meter) {
		printf("## Meter mode: instructions per round trip\n\n")
		printf("Guest kernel %s, %d CPU, Binder: %s.  Instructions per round trip, payload bytes each way; median (minimum–maximum) where repetitions differed.\n\n",
		       env["icount", "kernel"], env["icount", "cpus"], env["icount", "binder"])
		rt_table("icount", "unpinned", 0)
		print_notes()
	}
	if ("wall" in seen_meter) {
		printf("## Wall clock, 2 CPUs\n\n")
		printf("Guest kernel %s, %d CPUs, Binder: %s.  Time per round trip: median (minimum–maximum) of %d repetitions.\n\n",
		       env["wall", "kernel"], env["wall", "cpus"], env["wall", "binder"], reps["wall"])
		split("unpinned same cross", places, " ")
		place_title["unpinned"] = "Unpinned: the scheduler places client and server"
		place_title["same"] = "Pinned, same CPU: client and server on CPU 0"
		place_title["cross"] = "Pinned, cross-CPU: server on CPU 0, client on CPU 1"
		for (i = 1; i <= 3; i++) {
			if (!(("wall", places[i]) in seen))
				continue
			printf("### %s\n\n", place_title[places[i]])
			rt_table("wall", places[i], 1)
			print_notes()
		}
	}
	if (ncmech) {
		printf("## Concurrency, wall clock, 2 CPUs\n\n")
		printf("Null calls back to back from every client thread (in one client process) to one server process; ×N: against one client with as many server threads.\n\n")
		conc_tables()
	}
	if (nwhat) {
		printf("## Kernel memory\n\n")
		mem_tables()
	}
	printf("## Targets (issue 4)\n\n")
	targets()
	target_notes()
}

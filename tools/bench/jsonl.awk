# SPDX-License-Identifier: GPL-2.0
#
# Reading doorbench's records: flat JSON objects, one a line, whose
# values are strings or numbers (json.c writes nothing else).  For
# report.awk and plot.awk (awk -f jsonl.awk -f report.awk FILE...).

# Fill rec[] with the keys and values of the object on line; returns the
# number of keys.
function jparse(line, rec,    n, rest, key, val, i, c) {
	split("", rec)
	n = 0
	rest = line
	sub(/^[ \t]*\{/, "", rest)
	while (match(rest, /^"[^"]*":/)) {
		key = substr(rest, 2, RLENGTH - 3)
		rest = substr(rest, RLENGTH + 1)
		if (substr(rest, 1, 1) == "\"") {
			val = ""
			for (i = 2; i <= length(rest); i++) {
				c = substr(rest, i, 1)
				if (c == "\\") {
					val = val substr(rest, ++i, 1)
					continue
				}
				if (c == "\"")
					break
				val = val c
			}
			rest = substr(rest, i + 1)
		} else {
			match(rest, /^[^,}]*/)
			val = substr(rest, 1, RLENGTH) + 0	# a number
			rest = substr(rest, RLENGTH + 1)
		}
		rec[key] = val
		n++
		sub(/^,/, "", rest)
	}
	return n
}

# "4 KiB" for 4096: the payload sizes, as the tables and the plot name them.
function size_name(s) {
	if (s == 0)
		return "0 B"
	if (s % 1048576 == 0)
		return s / 1048576 " MiB"
	if (s % 1024 == 0)
		return s / 1024 " KiB"
	return s " B"
}

# Three significant digits with a k, M or G: "10.2 k", "4.52 M".
function eng(v,    u, d) {
	v += 0
	u = ""
	if (v >= 1e9) { v /= 1e9; u = " G" }
	else if (v >= 1e6) { v /= 1e6; u = " M" }
	else if (v >= 1e3) { v /= 1e3; u = " k" }
	d = v >= 100 ? 0 : v >= 10 ? 1 : 2
	return sprintf("%." d "f%s", v, u)
}

# Nanoseconds as a time: "171 µs", "4.52 ms".
function dur(ns,    u, d) {
	ns += 0
	if (ns >= 1e9) { ns /= 1e9; u = " s" }
	else if (ns >= 1e6) { ns /= 1e6; u = " ms" }
	else if (ns >= 1e3) { ns /= 1e3; u = " µs" }
	else u = " ns"
	d = ns >= 100 ? 0 : ns >= 10 ? 1 : 2
	return sprintf("%." d "f%s", ns, u)
}

# SPDX-License-Identifier: GPL-2.0
#
# usage: awk -f jsonl.awk -f plot.awk RESULTS.jsonl... > benchmarks.svg
#
# An SVG plot of round-trip cost against payload size, log-log, one line
# per mechanism: instructions (meter mode) on the left, wall-clock time
# (2 CPUs, unpinned, median) on the right.  The null call sits where 8
# bytes would, left of 64 B.

function add(list, n, v,    i) {
	n += 0
	for (i = 0; i < n; i++)
		if (list[i] == v)
			return n
	list[n] = v
	return n + 1
}

function log10(v) {
	return log(v) / log(10)
}

function xpos(size) {
	return log(size < 8 ? 8 : size) / log(2)
}

function esc(s) {
	gsub(/&/, "\\&amp;", s)
	gsub(/</, "\\&lt;", s)
	return s
}

$0 !~ /^\{/ { next }

{
	jparse($0, r)
}

r["test"] == "rt" && r["place"] == "unpinned" && !("na" in r) {
	nmech = add(mechs, nmech, r["mech"])
	nsize = add(sizes, nsize, r["size"])
	label[r["mech"]] = r["label"]
	val[r["meter"], r["mech"], r["size"]] = r["median_ns"]
	meters[r["meter"]] = 1
}

# 10^d as an axis label: "10 k" (instructions), "100 µs" (nanoseconds).
function decade(d, unit,    k) {
	split(unit == "i" ? ",k,M,G,T" : "ns,µs,ms,s", k, ",")
	return 10 ^ (d % 3) (k[int(d / 3) + 1] == "" ? "" : " " k[int(d / 3) + 1])
}

# One panel: its frame, axes and lines.  unit "i": instructions, "t": time.
function panel(x0, y0, w, h, meter, unit, title,
	       i, j, m, v, lo, hi, d, px, py, pts, xmin, xmax, s, tick, lab) {
	lo = 1e300
	hi = 0
	for (i = 0; i < nmech; i++)
		for (j = 0; j < nsize; j++)
			if ((meter, mechs[i], sizes[j]) in val) {
				v = val[meter, mechs[i], sizes[j]] + 0
				if (v > 0 && v < lo) lo = v
				if (v > hi) hi = v
			}
	if (hi == 0)
		return
	lo = int(log10(lo))
	hi = int(log10(hi) + 0.999999)
	if (hi <= lo) hi = lo + 1
	xmin = xpos(0)
	xmax = 0
	for (j = 0; j < nsize; j++)
		if (xpos(sizes[j]) > xmax) xmax = xpos(sizes[j])
	if (xmax <= xmin) xmax = xmin + 1

	printf("<text x=\"%d\" y=\"%d\" class=\"title\">%s</text>\n", x0 + w / 2, y0 - 12, esc(title))
	printf("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"frame\"/>\n", x0, y0, w, h)
	for (d = lo; d <= hi; d++) {
		py = y0 + h - (d - lo) / (hi - lo) * h
		printf("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>\n", x0, py, x0 + w, py)
		lab = decade(d, unit)
		printf("<text x=\"%d\" y=\"%.1f\" class=\"ylab\">%s</text>\n", x0 - 6, py + 4, lab)
	}
	for (j = 0; j < nsize; j++) {
		px = x0 + (xpos(sizes[j]) - xmin) / (xmax - xmin) * w
		printf("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"grid\"/>\n", px, y0, px, y0 + h)
		printf("<text x=\"%.1f\" y=\"%d\" class=\"xlab\">%s</text>\n", px, y0 + h + 16, size_name(sizes[j]))
	}
	printf("<text x=\"%d\" y=\"%d\" class=\"xlab\">payload each way</text>\n", x0 + w / 2, y0 + h + 34)
	for (i = 0; i < nmech; i++) {
		m = mechs[i]
		pts = ""
		s = ""
		for (j = 0; j < nsize; j++) {
			if (!((meter, m, sizes[j]) in val))
				continue
			v = val[meter, m, sizes[j]] + 0
			px = x0 + (xpos(sizes[j]) - xmin) / (xmax - xmin) * w
			py = y0 + h - (log10(v) - lo) / (hi - lo) * h
			pts = pts sprintf("%.1f,%.1f ", px, py)
			s = s sprintf("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\"/>\n",
				      px, py, m == "door" ? "4" : "2.5", color[m])
		}
		printf("<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s/>\n%s",
		       pts, color[m], m == "door" ? "3" : "1.5",
		       m == "kcopy" ? " stroke-dasharray=\"5,4\"" : "", s)
	}
}

END {
	split("door #d62728 futex #1f77b4 eventfd #17becf pipe #2ca02c unix #9467bd seqpacket #8c564b binder #ff7f0e kcopy #7f7f7f doorraw #e377c2 handoff #bcbd22 yield #aec7e8", c, " ")
	for (i = 1; i < 20; i += 2)
		color[c[i]] = c[i + 1]
	for (i = 0; i < nmech; i++)
		if (!(mechs[i] in color))
			color[mechs[i]] = "#000000"

	W = 1000
	H = 520
	printf("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n", W, H, W, H)
	print "<style>.frame{fill:none;stroke:#333}.grid{stroke:#ddd}.title{text-anchor:middle;font-size:14px;font-weight:bold}.xlab{text-anchor:middle}.ylab{text-anchor:end}</style>"
	printf("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, H)
	if ("icount" in meters)
		panel(80, 40, 380, 330, "icount", "i", "Instructions per round trip (meter mode)")
	if ("wall" in meters)
		panel(580, 40, 380, 330, "wall", "t", "Wall clock per round trip (2 CPUs, unpinned)")
	for (i = 0; i < nmech; i++) {
		x = 80 + (i % 3) * 300
		y = 440 + int(i / 3) * 22
		printf("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"%s\"%s/>\n",
		       x, y, x + 24, y, color[mechs[i]], mechs[i] == "door" ? "3" : "1.5",
		       mechs[i] == "kcopy" ? " stroke-dasharray=\"5,4\"" : "")
		printf("<text x=\"%d\" y=\"%d\">%s</text>\n", x + 30, y + 4, esc(label[mechs[i]]))
	}
	print "</svg>"
}

// SPDX-License-Identifier: MIT
// tracekit flame graph viewer, embedded in every SVG `tracekit flamegraph`
// writes. Plain ES5 so it runs in any browser that opens SVG, offline.
// The writer defines `tkfg` before this text (width, xpad, fontsize,
// fontwidth, inverted, total, nametype). Frames are read back from the
// document, so the SVG stays the one source of truth.
(function () {
	"use strict";
	var SEARCH_FILL = "rgb(230,0,230)";
	var EPS = 0.05;	// rect numbers carry one decimal; true gaps are >= 0.1

	var doc = document;
	var details = doc.getElementById("details");
	var unzoomBtn = doc.getElementById("unzoom");
	var searchBtn = doc.getElementById("search");
	var icBtn = doc.getElementById("ignorecase");
	var matchedTxt = doc.getElementById("matched");
	var framesG = doc.getElementById("frames");
	var frames = [];
	var byGroup = [];
	var zoomed = null;
	var term = null;
	var ignoreCase = false;
	var full = tkfg.width - 2 * tkfg.xpad;

	function text(el, s) {
		el.textContent = s;
	}

	function klass(el, name, on) {
		var c = (el.getAttribute("class") || "").split(" ").filter(function (x) {
			return x && x !== name;
		});
		if (on)
			c.push(name);
		el.setAttribute("class", c.join(" "));
	}

	// One record per <g> in #frames: the name and count from its title, the
	// geometry from its rect as written.
	function load() {
		var gs = framesG.children, i;
		for (i = 0; i < gs.length; i++) {
			var g = gs[i];
			var title = g.getElementsByTagName("title")[0];
			var rect = g.getElementsByTagName("rect")[0];
			var label = g.getElementsByTagName("text")[0];
			if (!title || !rect)
				continue;
			var t = title.textContent;
			var cut = t.lastIndexOf(" (");
			var name = cut >= 0 ? t.substring(0, cut) : t;
			var count = cut >= 0 ? parseFloat(t.substring(cut + 2).replace(/,/g, "")) : 0;
			var y = parseFloat(rect.getAttribute("y"));
			var f = {
				g: g, rect: rect, label: label, title: t, name: name,
				count: isNaN(count) ? 0 : count,
				x: parseFloat(rect.getAttribute("x")),
				w: parseFloat(rect.getAttribute("width")),
				// smaller level = closer to the root
				level: tkfg.inverted ? y : -y,
				fill: rect.getAttribute("fill"),
				root: i === 0 && name === "all"
			};
			frames.push(f);
			byGroup.push(g);
		}
	}

	function frameOf(el) {
		while (el && el !== framesG) {
			if (el.parentNode === framesG) {
				var i = byGroup.indexOf(el);
				return i >= 0 ? frames[i] : null;
			}
			el = el.parentNode;
		}
		return null;
	}

	// The same rule the writer uses: whole characters of average width,
	// the last two replaced by ".." when cut, nothing under three.
	function fit(f, x, w) {
		if (!f.label)
			return;
		f.label.setAttribute("x", (x + 3).toFixed(2));
		var room = Math.floor(w / (tkfg.fontsize * tkfg.fontwidth));
		var chars = Array.from ? Array.from(f.name) : f.name.split("");
		if (room < 3)
			text(f.label, "");
		else if (room >= chars.length)
			text(f.label, f.name);
		else
			text(f.label, chars.slice(0, room - 2).join("") + "..");
	}

	function place(f, x, w) {
		f.rect.setAttribute("x", x.toFixed(1));
		f.rect.setAttribute("width", w.toFixed(1));
		fit(f, x, w);
	}

	function contains(a, b) {	// a spans b
		return a.x <= b.x + EPS && a.x + a.w >= b.x + b.w - EPS;
	}

	function zoom(z) {
		if (z.root || z.w <= 0) {
			unzoom();
			return;
		}
		var scale = full / z.w, i;
		zoomed = z;
		for (i = 0; i < frames.length; i++) {
			var f = frames[i];
			if (f.level < z.level && contains(f, z)) {
				// below the zoomed frame: drawn across, dimmed
				klass(f.g, "hide", false);
				klass(f.g, "parent", true);
				place(f, tkfg.xpad, full);
			} else if (f.level >= z.level && contains(z, f)) {
				klass(f.g, "hide", false);
				klass(f.g, "parent", false);
				place(f, tkfg.xpad + (f.x - z.x) * scale, f.w * scale);
			} else {
				klass(f.g, "hide", true);
			}
		}
		klass(unzoomBtn, "hide", false);
		remember("zoom", z);
	}

	function unzoom() {
		var i;
		zoomed = null;
		for (i = 0; i < frames.length; i++) {
			var f = frames[i];
			klass(f.g, "hide", false);
			klass(f.g, "parent", false);
			place(f, f.x, f.w);
		}
		klass(unzoomBtn, "hide", true);
		remember("zoom", null);
	}

	function clearSearch() {
		var i;
		for (i = 0; i < frames.length; i++)
			frames[i].rect.setAttribute("fill", frames[i].fill);
		term = null;
		remember("search", null);
		text(searchBtn, "Search");
		klass(searchBtn, "on", false);
		text(matchedTxt, " ");
	}

	// Colour the frames whose name matches and report the share of all
	// counts under a match; a match inside a match is not counted twice.
	function search(t) {
		var re, i, hits = [];
		try {
			re = new RegExp(t, ignoreCase ? "i" : "");
		} catch (e) {
			clearSearch();
			text(matchedTxt, "Bad regular expression");
			return;
		}
		clearSearch();
		term = t;
		remember("search", t);
		for (i = 0; i < frames.length; i++) {
			var f = frames[i];
			if (!f.root && re.test(f.name)) {
				f.rect.setAttribute("fill", SEARCH_FILL);
				hits.push(f);
			}
		}
		text(searchBtn, "Reset Search");
		klass(searchBtn, "on", true);
		hits.sort(function (a, b) {
			return a.x - b.x || b.w - a.w || a.level - b.level;
		});
		var sum = 0, end = -Infinity;
		for (i = 0; i < hits.length; i++) {
			if (hits[i].x >= end - EPS) {
				sum += hits[i].count;
				end = hits[i].x + hits[i].w;
			}
		}
		var pct = tkfg.total ? 100 * sum / tkfg.total : 0;
		text(matchedTxt, "Matched: " + (pct === 100 ? "100" : pct.toFixed(1)) + "%");
	}

	function askSearch() {
		var t = window.prompt("Search for a regular expression" +
			(ignoreCase ? " (ignoring case)" : "") + ":", term || "");
		if (t === null)
			return;
		if (t === "")
			clearSearch();
		else
			search(t);
	}

	function toggleCase() {
		ignoreCase = !ignoreCase;
		klass(icBtn, "on", ignoreCase);
		if (term !== null)
			search(term);
	}

	// Zoom and search live in the URL's query (?x=&y=&s=, as flamegraph.pl
	// keeps them), so a link or a reload shows the same view.
	function getParams() {
		var p = {}, q = window.location.search.substring(1).split("&"), i;
		for (i = 0; i < q.length; i++) {
			var kv = q[i].split("=");
			if (kv[0])
				p[decodeURIComponent(kv[0])] = decodeURIComponent((kv[1] || "").replace(/\+/g, " "));
		}
		return p;
	}

	function setParams(p) {
		var q = [], k;
		for (k in p)
			if (Object.prototype.hasOwnProperty.call(p, k) && p[k] !== null && p[k] !== undefined)
				q.push(encodeURIComponent(k) + "=" + encodeURIComponent(p[k]));
		try {
			history.replaceState(null, "", q.length ? "?" + q.join("&") : window.location.pathname);
		} catch (e) {
			// some browsers refuse it for local files; the view works without
		}
	}

	function remember(key, value) {
		var p = getParams();
		if (key === "zoom") {
			p.x = value ? value.x.toFixed(1) : null;
			p.y = value ? value.rect.getAttribute("y") : null;
		} else {
			p.s = value;
		}
		setParams(p);
	}

	function restore() {
		var p = getParams(), i;
		if (p.x !== undefined && p.y !== undefined) {
			var x = parseFloat(p.x), y = parseFloat(p.y);
			for (i = 0; i < frames.length; i++) {
				var f = frames[i];
				if (Math.abs(f.x - x) < EPS && parseFloat(f.rect.getAttribute("y")) === y) {
					zoom(f);
					break;
				}
			}
		}
		if (p.s)
			search(p.s);
	}

	load();

	framesG.addEventListener("mouseover", function (e) {
		var f = frameOf(e.target);
		if (f)
			text(details, tkfg.nametype + " " + f.title);
	});
	framesG.addEventListener("mouseout", function () {
		text(details, " ");
	});
	framesG.addEventListener("click", function (e) {
		var f = frameOf(e.target);
		if (f)
			zoom(f);
	});
	unzoomBtn.addEventListener("click", unzoom);
	searchBtn.addEventListener("click", function () {
		if (term !== null)
			clearSearch();
		else
			askSearch();
	});
	icBtn.addEventListener("click", toggleCase);
	window.addEventListener("keydown", function (e) {
		var k = e.key || "";
		if (k === "F3" || ((e.ctrlKey || e.metaKey) && (k === "f" || k === "F"))) {
			e.preventDefault();
			askSearch();
		} else if ((e.ctrlKey || e.metaKey) && (k === "i" || k === "I")) {
			e.preventDefault();
			toggleCase();
		} else if (k === "Escape") {
			unzoom();
			clearSearch();
		}
	});
	restore();
	// Hooks for scripted use (and the headless check in docs/flamegraph.md).
	window.tkfgZoom = function (i) { zoom(frames[i]); };
	window.tkfgSearch = search;
	window.tkfgReset = function () { unzoom(); clearSearch(); };
})();

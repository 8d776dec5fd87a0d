/* storyline: the zoomable timeline axis and small page helpers. No dependencies, no inline code
   (the pages' Content-Security-Policy allows scripts from /static only). Text is only ever set
   with textContent; marks and labels come from the server, already escaped. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var DAY = 86400000;
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var LANE_H = 24, MAX_LANES = 14, LABEL_W = 170;

  function parse(d) {
    return Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10));
  }

  function setupAxis(axis) {
    var viewport = axis.querySelector(".axis-viewport");
    var track = axis.querySelector(".axis-track");
    var ticks = axis.querySelector(".axis-ticks");
    var items = Array.prototype.map.call(track.querySelectorAll(".mark"), function (el) {
      return { el: el, s: parse(el.dataset.start), e: parse(el.dataset.end) + DAY };
    });
    if (!items.length) return;
    items.sort(function (a, b) { return a.s - b.s || b.e - a.e; });
    var min = Infinity, max = -Infinity;
    items.forEach(function (it) { min = Math.min(min, it.s); max = Math.max(max, it.e); });
    var pad = Math.max((max - min) * 0.03, 20 * DAY);
    min -= pad; max += pad;
    var zoom = 1;

    function drawTicks(width) {
      while (ticks.firstChild) ticks.removeChild(ticks.firstChild);
      var pxPerYear = width / ((max - min) / (365.25 * DAY));
      var monthly = pxPerYear > 480;
      var start = new Date(min);
      var y = start.getUTCFullYear(), m = monthly ? start.getUTCMonth() : 0;
      for (;;) {
        var t = Date.UTC(y, m, 1);
        if (t > max) break;
        if (t >= min) {
          var tick = document.createElement("div");
          tick.className = "tick" + (m === 0 ? " year" : "");
          tick.style.left = ((t - min) / (max - min) * width) + "px";
          var label = document.createElement("span");
          label.textContent = monthly ? (m === 0 ? y + " " + MONTHS[m] : MONTHS[m]) : String(y);
          tick.appendChild(label);
          ticks.appendChild(tick);
        }
        if (monthly) { m += 1; if (m === 12) { m = 0; y += 1; } } else { y += 1; }
      }
    }

    function layout() {
      // Positions span `width`; the track is one label wider so the last labels are not cut off.
      var width = Math.max(viewport.clientWidth - LABEL_W, 300) * zoom;
      track.style.width = (width + LABEL_W) + "px";
      var lanes = [];
      var showLabels = false;
      items.forEach(function (it) {
        var left = (it.s - min) / (max - min) * width;
        var w = Math.max((it.e - it.s) / (max - min) * width, 8);
        it.el.style.left = left + "px";
        it.el.style.width = w + "px";
        var occupied = left + Math.max(w, LABEL_W) + 4;
        var lane = -1;
        for (var i = 0; i < lanes.length; i++) { if (lanes[i] <= left) { lane = i; break; } }
        if (lane === -1) {
          if (lanes.length < MAX_LANES) { lane = lanes.length; lanes.push(0); }
          else { lane = lanes.indexOf(Math.min.apply(null, lanes)); }
        }
        lanes[lane] = occupied;
        it.el.style.top = (28 + lane * LANE_H) + "px";
      });
      showLabels = lanes.length < MAX_LANES;
      axis.classList.toggle("labels", showLabels);
      track.style.height = (40 + lanes.length * LANE_H) + "px";
      drawTicks(width);
    }

    function setZoom(z, anchorX) {
      var vw = viewport.clientWidth;
      var x = anchorX === undefined ? vw / 2 : anchorX;
      var oldW = track.clientWidth || vw;
      var frac = (viewport.scrollLeft + x) / oldW;
      zoom = Math.min(Math.max(z, 1), 400);
      layout();
      viewport.scrollLeft = frac * track.clientWidth - x;
      axis.dataset.zoom = zoom.toFixed(2);
    }

    axis.querySelectorAll("[data-zoom]").forEach(function (b) {
      b.addEventListener("click", function () {
        var how = b.dataset.zoom;
        setZoom(how === "in" ? zoom * 2 : how === "out" ? zoom / 2 : 1);
      });
    });
    viewport.addEventListener("wheel", function (ev) {
      if (!ev.ctrlKey && !ev.metaKey) return;
      ev.preventDefault();
      var rect = viewport.getBoundingClientRect();
      setZoom(zoom * (ev.deltaY < 0 ? 1.25 : 0.8), ev.clientX - rect.left);
    }, { passive: false });
    window.addEventListener("resize", layout);
    layout();
  }

  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var el = document.getElementById(id);
    if (!el) return;
    var d = el.matches("details") ? el : el.querySelector("details");
    if (d) { d.open = true; }
    el.classList.add("flash");
    setTimeout(function () { el.classList.remove("flash"); }, 1600);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-axis]").forEach(setupAxis);
    document.querySelectorAll("[data-expand-all], [data-collapse-all]").forEach(function (b) {
      b.addEventListener("click", function () {
        var open = b.hasAttribute("data-expand-all");
        document.querySelectorAll("details[data-entry-details]").forEach(function (d) { d.open = open; });
      });
    });
    openTarget();
    window.addEventListener("hashchange", openTarget);
  });
})();

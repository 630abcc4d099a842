// gwr pages: charts (uPlot) and the drop zone of "Open a file".
"use strict";

function chartData() {
  const el = document.getElementById("chart-data");
  if (!el) return null;
  try { return JSON.parse(el.textContent); } catch (e) { return null; }
}

function width(el) { return Math.max(320, el.clientWidth - 2); }

function trackChart(el, d) {
  const points = (stroke) => ({ show: true, size: 10, stroke, fill: stroke });
  const opts = {
    width: width(el), height: 320,
    scales: { x: { time: false, range: (u, min, max) => [min - 1, max + 1] } },
    axes: [{ values: (u, v) => v.map((x) => (Number.isInteger(x) ? String(x) : "")) }, {}],
    series: [
      { label: "year" },
      { label: "target (floor)", stroke: "#1a8a4a", width: 2 },
      { label: "stretch / upper end", stroke: "#1a8a4a", dash: [6, 4], width: 1 },
      { label: "outcome met", stroke: "#1f6fb2", paths: () => null, points: points("#1f6fb2") },
      { label: "outcome missed", stroke: "#c0392b", paths: () => null, points: points("#c0392b") },
    ],
    bands: [{ series: [2, 1], fill: "rgba(26,138,74,0.15)" }],
  };
  return new uPlot(opts, [d.years, d.floor, d.upper, d.met, d.missed], el);
}

function barChart(el, d) {
  const xs = d.labels.map((_, i) => i);
  const opts = {
    width: width(el), height: 340,
    scales: { x: { time: false, range: [-0.6, Math.max(xs.length - 0.4, 0.6)] } },
    axes: [
      { values: (u, v) => v.map((i) => (Number.isInteger(i) && d.labels[i] !== undefined ? d.labels[i] : "")), size: 60, gap: 4 },
      {},
    ],
    series: [
      { label: "region" },
      { label: "figure", stroke: "#1f6fb2", fill: "rgba(31,111,178,0.6)", paths: uPlot.paths.bars({ size: [0.6, 60] }), points: { show: false } },
    ],
  };
  return new uPlot(opts, [xs, d.values], el);
}

function drawCharts() {
  const el = document.getElementById("chart");
  const d = chartData();
  if (!el || !d || typeof uPlot === "undefined") return;
  const chart = el.dataset.chart === "track" ? trackChart(el, d) : barChart(el, d);
  window.addEventListener("resize", () => chart.setSize({ width: width(el), height: chart.height }));
}

function dropZone() {
  const drop = document.getElementById("drop");
  const input = document.getElementById("file");
  const form = document.getElementById("upload");
  if (!drop || !input || !form) return;
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer && e.dataTransfer.files.length) {
      input.files = e.dataTransfer.files;
      form.submit();
    }
  });
  input.addEventListener("change", () => { if (input.files.length) form.submit(); });
}

document.addEventListener("DOMContentLoaded", () => { drawCharts(); dropZone(); });

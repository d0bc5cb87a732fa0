// An experiment's report: results with their intervals, the charts (the metric per day
// and arm, the effect with its interval), the warning against stopping early, the rules
// alone, and the assignment with its check from the published seed.
"use strict";

Console.experimentReport = (function (C) {
  const { el, t } = C;
  const X = C.config.experiments;
  const SHARES = new Set(["cancellation_rate", "first_contact_resolution", "referral_rate"]);
  const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];
  let plotly = null;

  // plotly.js is large: fetched the first time a report is shown, never on the console's start.
  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotly) {
      plotly = new Promise((resolve, reject) => {
        const script = el("script", { src: X.plotly });
        script.addEventListener("load", () => resolve(window.Plotly));
        script.addEventListener("error", reject);
        document.head.append(script);
      });
    }
    return plotly;
  }

  function metricName(metric) { return t(`xmetric_${metric}`); }

  // A share's effect in percentage points; the others in their own unit.
  function effectText(metric, value) {
    if (value === null || value === undefined) return "–";
    if (SHARES.has(metric)) return `${C.signed(value * 100, 1)} ${t("percentage_points")}`;
    return C.signed(value, metric === "quality" ? 2 : 3);
  }
  function relativeText(value) { return value === null || value === undefined ? "–" : `${C.signed(value * 100, 1)} %`; }

  function results(report) {
    const rows = [];
    for (const [metric, arms] of Object.entries(report.results)) {
      for (const [arm, r] of Object.entries(arms)) {
        const [low, high] = r.ci;
        const clear = low !== null && high !== null && (low > 0 || high < 0);
        rows.push(el("tr", { "data-metric": metric, "data-arm": arm },
          el("th", { scope: "row" }, metricName(metric), metric === report.metric ? el("span", { class: "muted small" }, ` · ${t("xm_primary")}`) : null),
          el("td", {}, `${arm} − ${report.arms[0]}`),
          el("td", { class: "num", "data-testid": "effect" }, effectText(metric, r.effect)),
          el("td", { class: "num" }, relativeText(r.relative)),
          el("td", { class: "num nowrap", "data-testid": "interval" }, `[${effectText(metric, low)}, ${effectText(metric, high)}]`,
            el("div", { class: clear ? "ok small" : "muted small" }, clear ? t("clear_of_zero") : t("holds_zero")),
            report.status === "running" && r.always_valid_ci
              ? el("div", { class: "muted small", "data-testid": "always-valid" }, t("always_valid", { low: effectText(metric, r.always_valid_ci[0]), high: effectText(metric, r.always_valid_ci[1]) }))
              : null),
          el("td", { class: "num nowrap" }, Object.entries(r.n).map(([a, n]) => `${a} ${n}`).join(" · ")),
          el("td", { class: "mono small" }, r.method)));
      }
    }
    const missing = Object.entries(report.problems || {}).map(([metric, why]) =>
      el("li", { "data-metric": metric }, `${metricName(metric)}: ${t("no_interval_yet")} (${why})`));
    if (!rows.length) return [el("p", { class: "muted" }, t("no_results_yet")), missing.length ? el("ul", { class: "plain muted" }, missing) : null];
    return [C.table([t("xm_metric"), t("experiment_arm"), t("xm_effect"), t("xm_relative"), t("xm_interval"), t("xm_n"), t("xm_method")], rows,
      { id: "experiment-results" }), missing.length ? el("ul", { class: "plain muted" }, missing) : null];
  }

  function layout(x, y) {
    const style = getComputedStyle(document.body);
    const font = { family: style.fontFamily, size: 13, color: style.getPropertyValue("--text").trim() || "#222" };
    return { font, separators: C.config.lang === "de" ? ",." : ".,", paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
      margin: { t: 10, r: 20, b: 50, l: 70 }, height: 320, legend: { orientation: "h", y: 1.12 },
      xaxis: { title: { text: x }, automargin: true, fixedrange: true }, yaxis: { title: { text: y }, automargin: true, fixedrange: true } };
  }

  async function charts(report, overTime, effect) {
    const series = report.series[report.metric];
    if (!series) return;
    const Plotly = await loadPlotly();
    const scale = SHARES.has(report.metric) ? 100 : 1;
    const lines = Object.entries(series.arms).map(([arm, values], i) => ({ type: "scatter", mode: "lines+markers", name: arm,
      x: series.days, y: values.map((v) => (v === null ? null : v * scale)), line: { color: COLOURS[i % COLOURS.length] } }));
    Plotly.newPlot(overTime, lines, layout(t("chart_day"), metricName(report.metric) + (scale === 100 ? " (%)" : "")), { staticPlot: true, responsive: true });
    const points = [];
    for (const [metric, arms] of Object.entries(report.results)) {
      for (const [arm, r] of Object.entries(arms)) {
        if (!r.control_mean || r.ci[0] === null) continue;
        const rel = (100 * r.effect) / r.control_mean;
        points.push({ label: `${metricName(metric)} · ${arm}`, rel, low: (100 * r.ci[0]) / r.control_mean, high: (100 * r.ci[1]) / r.control_mean });
      }
    }
    const trace = { type: "scatter", mode: "markers", x: points.map((p) => p.rel), y: points.map((p) => p.label),
      marker: { size: 12, color: COLOURS[1] }, showlegend: false,
      error_x: { type: "data", symmetric: false, array: points.map((p) => p.high - p.rel), arrayminus: points.map((p) => p.rel - p.low), thickness: 3, width: 8 } };
    const zero = { type: "scatter", mode: "lines", x: [0, 0], y: [points[0] && points[0].label, points.length && points[points.length - 1].label],
      line: { color: "#888", dash: "dot" }, showlegend: false, hoverinfo: "skip" };
    const shape = layout(t("chart_relative", { arm: report.arms[0] }), "");
    shape.margin.l = 220;
    shape.yaxis.autorange = "reversed"; // the primary metric first, as in the table
    shape.height = Math.max(180, 70 * points.length + 80);
    Plotly.newPlot(effect, [zero, trace], shape, { staticPlot: true, responsive: true });
  }

  function counterfactual(report) {
    const found = report.counterfactual;
    if (!found) return null;
    const rows = report.arms.map((arm) => el("tr", { "data-arm": arm },
      el("th", { scope: "row" }, t("agents_of_arm", { arm, n: C.number(found.sales[arm], 0) })),
      report.arms.map((rules) => el("td", { class: "num" }, `${C.number(found.paid[arm][rules].points, 0)} ${t("xm_points")} · ${C.money(found.paid[arm][rules].commission)}`))));
    return el("section", { class: "panel" }, el("h3", {}, t("counterfactual")), el("p", { class: "help" }, t("counterfactual_help")),
      C.table(["", ...report.arms.map((arm) => t("paid_under", { arm }))], rows, { id: "experiment-counterfactual" }));
  }

  // The README's steps, run again in the browser: SHA-256 in counter mode, a Fisher-Yates
  // shuffle per stratum, then dealing the units to the arms in turn.
  const SPACE = 1n << 256n;
  function bytes(hex) { return new Uint8Array(hex.match(/../g).map((pair) => parseInt(pair, 16))); }
  function hexOf(buffer) { return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join(""); }
  function byCodePoint(a, b) {
    const x = [...a].map((c) => c.codePointAt(0));
    const y = [...b].map((c) => c.codePointAt(0));
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  }
  async function assign(seed, strata, arms) {
    let counter = 0n;
    async function block() {
      const message = new Uint8Array(seed.length + 8);
      message.set(seed);
      new DataView(message.buffer).setBigUint64(seed.length, counter++);
      return BigInt(`0x${hexOf(await crypto.subtle.digest("SHA-256", message))}`);
    }
    const groups = new Map();
    for (const [unit, label] of Object.entries(strata)) groups.set(label, [...(groups.get(label) || []), unit]);
    const found = {};
    let turn = 0;
    for (const label of [...groups.keys()].sort(byCodePoint)) {
      const units = groups.get(label).sort(byCodePoint);
      for (let i = units.length - 1; i > 0; i--) {
        const bound = BigInt(i + 1);
        const limit = SPACE - (SPACE % bound);
        let x = await block();
        while (x >= limit) x = await block();
        const j = Number(x % bound);
        [units[i], units[j]] = [units[j], units[i]];
      }
      for (const unit of units) found[unit] = arms[turn++ % arms.length];
    }
    return found;
  }
  async function verify(report) {
    if (!window.crypto || !crypto.subtle) return t("assignment_not_verified", { why: t("needs_secure_page") });
    const seed = bytes(report.seed);
    if (hexOf(await crypto.subtle.digest("SHA-256", seed)) !== report.seed_hash) return t("assignment_not_verified", { why: t("seed_hash_differs") });
    const again = await assign(seed, report.unit_strata, report.arms);
    const same = Object.keys(again).length === Object.keys(report.assignment).length
      && Object.entries(again).every(([unit, arm]) => report.assignment[unit] === arm);
    return same ? true : t("assignment_not_verified", { why: t("assignment_differs") });
  }

  function assignment(report) {
    if (!report.assignment) return null;
    const counts = report.arms.map((arm) => `${arm} ${Object.values(report.assignment).filter((a) => a === arm).length}`).join(" · ");
    const outcome = el("p", { "data-testid": "verify-result", role: "status" });
    const check = C.button(t("verify_seed"), async () => {
      const answer = await verify(report);
      C.fill(outcome, answer === true ? el("span", { class: "ok" }, "✔ ", t("assignment_verified")) : el("span", { class: "error" }, "✘ ", answer));
    });
    check.disabled = !report.seed;
    const units = Object.entries(report.assignment).sort(([a], [b]) => byCodePoint(a, b));
    const unitName = (unit) => (report.unit === "agent" ? C.name("agent", unit) : C.name(report.unit, unit));
    return el("section", { class: "panel", id: "experiment-assignment" }, el("h3", {}, t("assignment")),
      el("p", {}, t("assignment_summary", { n: units.length, counts })),
      el("dl", { class: "pairs" }, el("dt", {}, t("seed_hash_label")), el("dd", { class: "mono small" }, report.seed_hash),
        el("dt", {}, t("seed_label")), el("dd", { class: "mono small" }, report.seed || t("seed_not_yet"))),
      check, outcome,
      el("details", {}, el("summary", {}, t("show_assignment")),
        C.table([t("xm_unit"), t("xm_stratum"), t("experiment_arm")], units.map(([unit, arm]) =>
          el("tr", {}, el("td", {}, unitName(unit)), el("td", {}, report.unit_strata[unit] || "–"), el("td", {}, arm))))));
  }

  function notes(report) {
    const found = [];
    if (report.retrospective) found.push(el("p", { class: "note", "data-testid": "retrospective" }, t("retrospective_note")));
    if (report.status === "running") found.push(el("p", { class: "warn", role: "note", "data-testid": "early-warning" }, t("early_warning", { ends: C.when(report.ends) })));
    if (report.status === "scheduled") found.push(el("p", { class: "muted" }, t("not_started", { starts: C.when(report.starts) })));
    return found;
  }

  // Only the latest request draws: a report asked for again (the tab shown, another row
  // picked) while one is on its way replaces it rather than racing it.
  let asked = 0;
  async function show(holder, id) {
    const mine = ++asked;
    delete holder.dataset.shown;
    const report = await C.get(`/api/experiments/${encodeURIComponent(id)}`);
    if (mine !== asked) return null;
    const overTime = el("div", { class: "chart", id: "experiment-over-time" });
    const effect = el("div", { class: "chart", id: "experiment-effect" });
    const csv = el("a", { class: "button secondary", href: `/api/experiments/${encodeURIComponent(id)}/csv`, download: `experiment-${id}.csv` }, t("export_csv"));
    C.fill(holder, el("h2", {}, t("experiment_report", { name: report.name })),
      el("p", {}, `${t("experiment_status")}: `, el("b", { "data-testid": "experiment-status" }, t(`status_${report.status}`)),
        ` · ${C.when(report.starts)} – ${C.when(report.ends)} · `, csv),
      notes(report),
      el("h3", {}, t("results")), el("p", { class: "help" }, t("results_help")), results(report),
      report.series[report.metric] ? [el("h3", {}, t("chart_over_time", { metric: metricName(report.metric) })), overTime,
        el("h3", {}, t("chart_effect", { arm: report.arms[0] })), effect] : null,
      counterfactual(report), assignment(report));
    await charts(report, overTime, effect);
    holder.dataset.shown = id;
    return report;
  }

  return { show, metricName, assign };
})(Console);

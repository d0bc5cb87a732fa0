// The Experiments tab: the form that sets one up (arms from the rule sets published or
// the draft, unit, strata, metrics, horizon) with the power estimate shown before the
// launch, and the list of experiments with each one's report.
"use strict";

Console.experiments = (function (C) {
  const { el, t } = C;
  const X = C.config.experiments;
  const NAMES = "ABCDEF";
  let sources = [];
  let listed = [];
  let shown = null;

  function labelled(text, node, unit) {
    return el("label", { class: "field" }, el("span", { class: "label" }, text), node, unit ? el("span", { class: "unit" }, unit) : null);
  }

  // The rule sets an arm may take: the one in force, each earlier version, the draft.
  async function ruleSources() {
    const answer = await C.get("/api/rules");
    const found = [{ key: "in_force", label: t("rules_in_force_named", { version: answer.in_force.version }), rules: answer.in_force.rules }];
    for (const version of answer.history) {
      if (!version.hidden && !version.scheduled && version.version !== answer.in_force.version) {
        const label = version.version === "default" ? t("rules_builtin") : t("rules_version_named", { version: version.version });
        found.push({ key: `version:${version.version}`, label, rules: version.rules });
      }
    }
    if (C.draft.ruleChanges().length) found.push({ key: "draft", label: t("rules_the_draft"), rules: C.draft.rules() });
    return found;
  }

  function armRow(list, index) {
    const name = NAMES[index] || String(index + 1);
    const pick = el("select", { name: "arm-rules", "aria-label": t("experiment_arm_rules", { arm: name }) },
      sources.map((source) => el("option", { value: source.key }, source.label)));
    const preferred = index === 0 ? "in_force" : (sources.find((s) => s.key === "draft") || sources[index] || sources[0]).key;
    pick.value = preferred;
    const row = el("li", { class: "arm" }, el("input", { name: "arm-name", value: name, size: "6", maxlength: "32", required: "required", "aria-label": t("experiment_arm") }), " ", pick);
    if (index >= 2) row.append(" ", C.button("✕", () => { row.remove(); }, { class: "secondary small", "aria-label": t("remove") }));
    list.append(row);
  }

  function choices(name, values, label, checked) {
    return el("fieldset", { class: "choices", "data-field": name }, el("legend", {}, label),
      values.map((value) => el("label", {}, el("input", { type: "checkbox", name, value, ...(checked.includes(value) ? { checked: "checked" } : {}) }), " ", label === t("experiment_strata") ? t(`stratum_${value}`) : C.experimentReport.metricName(value))));
  }

  function weeksOf(form) {
    const starts = form.starts.value && new Date(C.fromLocal(form.starts.value));
    const ends = form.ends.value && new Date(C.fromLocal(form.ends.value));
    return starts && ends ? (ends - starts) / (7 * 86400000) : 0;
  }

  async function power(form, box) {
    const weeks = weeksOf(form);
    const arms = form.querySelectorAll("li.arm").length;
    if (weeks < 1) { C.fill(box, el("p", { class: "muted" }, t("ends_after_starts"))); return; }
    const query = new URLSearchParams({ unit: form.unit.value, metric: form.metric.value, arms: String(Math.min(6, arms)), weeks: String(Math.min(52, weeks)) });
    const estimate = (await C.get(`/api/experiments/power?${query}`)).power;
    if (!estimate.available) { C.fill(box, el("h3", {}, t("power_title")), el("p", { class: "muted" }, t("power_unknown"))); return; }
    C.fill(box, el("h3", {}, t("power_title")),
      el("p", { "data-testid": "power" }, t("power_sentence", { units: estimate.units, arms, weeks: C.number(weeks, 1),
        detectable: `${C.number(estimate.detectable * 100, 1)} %`, metric: C.experimentReport.metricName(estimate.metric) })),
      el("p", { "data-testid": "power-weeks" }, estimate.weeks_for_5_percent ? t("power_weeks", { n: estimate.weeks_for_5_percent }) : t("power_too_long")));
  }

  function strataFor(unit) { return el("div", { class: "strata" }, choices("strata", X.strata[unit], t("experiment_strata"), X.strata[unit].includes("site") ? ["site"] : [])); }

  function form() {
    const result = el("div", { class: "result" });
    const box = el("div", { class: "power", id: "experiment-power" });
    const arms = el("ol", { class: "arms", "data-field": "arms" });
    const starts = el("input", { name: "starts", type: "datetime-local", required: "required" });
    const ends = el("input", { name: "ends", type: "datetime-local", required: "required" });
    const tomorrow = new Date(Date.now() + 86400000);
    starts.value = C.toLocal(tomorrow).slice(0, 11) + "00:00";
    ends.value = C.toLocal(new Date(tomorrow.getTime() + 28 * 86400000)).slice(0, 11) + "00:00";
    const unit = el("select", { name: "unit" }, X.units.map((u) => el("option", { value: u }, t(`unit_${u}`))));
    const metric = el("select", { name: "metric" }, X.metrics.map((m) => el("option", { value: m }, C.experimentReport.metricName(m))));
    let strata = strataFor("agent");
    const guardrails = el("div", {}, choices("guardrails", X.metrics.slice(1), t("experiment_guardrails"), ["cancellation_rate", "quality"]));
    const node = el("form", { novalidate: "", id: "experiment-form", class: "stack" },
      el("div", { class: "fields" }, labelled(t("experiment_name"), el("input", { name: "name", required: "required", maxlength: "200", size: "30" }))),
      el("div", { class: "field" }, el("span", { class: "label" }, t("experiment_arms")), el("p", { class: "help" }, t("experiment_first_arm")), arms,
        C.button(t("add_arm"), () => { if (arms.children.length < 6) armRow(arms, arms.children.length); refresh(); }, { class: "secondary" })),
      el("div", { class: "fields" }, labelled(t("experiment_unit"), unit), labelled(t("experiment_primary"), metric)),
      el("p", { class: "help" }, t("unit_help")), strata, guardrails, el("p", { class: "help" }, t("guardrails_help")),
      el("div", { class: "fields" }, labelled(t("experiment_starts"), starts, C.clock.zone), labelled(t("experiment_ends"), ends, C.clock.zone)),
      box, el("button", { type: "submit" }, t("launch_experiment")), result);
    armRow(arms, 0);
    armRow(arms, 1);
    const refresh = () => power(node, box).catch(() => C.fill(box));
    unit.addEventListener("change", () => { const next = strataFor(unit.value); strata.replaceWith(next); strata = next; refresh(); });
    metric.addEventListener("change", () => {
      for (const box of node.querySelectorAll("input[name=guardrails]")) box.disabled = box.value === metric.value;
      refresh();
    });
    for (const input of [starts, ends]) input.addEventListener("change", refresh);
    node.addEventListener("submit", (submit) => {
      submit.preventDefault();
      if (!C.checkForm(node, result)) return;
      if (weeksOf(node) <= 0) { C.fieldError(node, "ends", t("ends_after_starts")); return; }
      C.confirmInline(result, t("launch_experiment_question"), t("launch_experiment"), () => launch(node, result));
    });
    refresh();
    return node;
  }

  async function launch(node, result) {
    const taken = new Set(listed.map((x) => x.experiment));
    const arms = [...node.querySelectorAll("li.arm")].map((row) => ({
      arm: row.querySelector("input").value.trim(),
      rules: sources.find((s) => s.key === row.querySelector("select").value).rules,
    }));
    const picked = (name) => [...node.querySelectorAll(`input[name=${name}]:checked:not(:disabled)`)].map((box) => box.value);
    const body = { experiment: C.slug(node.name.value, taken), name: node.name.value.trim(), arms, unit: node.unit.value,
      strata: picked("strata"), metric: node.metric.value, guardrails: picked("guardrails").filter((m) => m !== node.metric.value),
      starts: C.fromLocal(node.starts.value), ends: C.fromLocal(node.ends.value) };
    try {
      await C.call("POST", "/api/experiments", body);
      C.done(result, t("experiment_launched", { name: body.name }), "experiment-launched");
      shown = body.experiment;
      await load();
    } catch (error) {
      C.showRefusal(node, result, error);
    }
  }

  function list() {
    const rows = listed.slice().reverse().map((x) => el("tr", { "data-experiment": x.experiment },
      el("th", { scope: "row" }, x.name, x.retrospective ? el("span", { class: "muted small" }, ` · ${t("retrospective")}`) : null),
      el("td", {}, t(`status_${x.status}`)), el("td", {}, x.arms.join(" · ")), el("td", {}, C.experimentReport.metricName(x.metric)),
      el("td", { class: "nowrap" }, C.when(x.starts)), el("td", { class: "nowrap" }, C.when(x.ends)),
      el("td", {}, C.button(t("show_report"), () => { shown = x.experiment; report(); }, { class: "secondary" }))));
    return C.table([t("experiment_name"), t("experiment_status"), t("experiment_arms"), t("experiment_primary"), t("experiment_starts"), t("experiment_ends"), ""], rows, { id: "experiments-list" });
  }

  async function report() {
    const holder = C.$("experiment-report");
    if (!holder || !shown) return;
    holder.hidden = false;
    await C.experimentReport.show(holder, shown);
  }

  async function load() {
    listed = (await C.get("/api/experiments")).experiments;
    // The newest experiment's report, until the manager picks another.
    if (!shown && listed.length) shown = listed[listed.length - 1].experiment;
    const holder = C.$("experiments-list-panel");
    if (holder) C.fill(holder, el("h2", {}, t("experiments_list")), list());
    await report();
  }

  async function render() {
    sources = await ruleSources().catch(() => []);
    C.fill(C.$("experiments-view"),
      el("section", { class: "panel", id: "experiments-list-panel" }),
      el("section", { class: "panel", id: "experiment-report", hidden: "hidden" }),
      el("section", { class: "panel" }, el("h2", {}, t("set_up_experiment")), form()));
    await load();
  }

  return { render, load };
})(Console);

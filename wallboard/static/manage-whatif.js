// A what-if's answer in tables: the totals and their cost, the gates passed, and the
// difference for each agent, team and site, largest first.
"use strict";

Console.whatif = (function (C) {
  const { el, t } = C;
  const MEASURES = ["points", "commission", "prizes"];
  const BY = ["agent", "team", "site"];
  const SHOWN = 50;

  // {actual, whatif, diff} from a triple or a bare number.
  function triple(value) {
    if (value === null || value === undefined) return null;
    if (typeof value === "number") return { actual: value, whatif: value, diff: 0 };
    const diff = value.diff !== undefined ? value.diff : (value.whatif || 0) - (value.actual || 0);
    return { actual: value.actual, whatif: value.whatif, diff };
  }

  function figure(measure, value) {
    if (value === undefined || value === null) return "–";
    return measure === "commission" || measure === "prize_cost" ? C.money(value) : C.number(value);
  }

  function cells(measure, value) {
    const v = triple(value);
    if (!v) return [el("td", {}, "–"), el("td", {}, "–"), el("td", {}, "–")];
    const sign = v.diff > 0 ? "up" : v.diff < 0 ? "down" : "";
    const diff = measure === "commission" || measure === "prize_cost" ? (v.diff > 0 ? "+" : "") + C.money(v.diff) : C.signed(v.diff);
    return [el("td", { class: "num" }, figure(measure, v.actual)), el("td", { class: "num" }, figure(measure, v.whatif)),
      el("td", { class: `num diff ${sign}` }, diff)];
  }

  // The rows for agents, teams or sites, wherever the answer keeps them.
  function rows(answer, by) {
    const holders = [answer[`${by}s`], answer[`by_${by}`], answer.differences && (answer.differences[`${by}s`] || answer.differences[by])];
    const found = holders.find((h) => h !== undefined && h !== null) || [];
    const list = Array.isArray(found) ? found : Object.entries(found).map(([id, row]) => ({ id, ...row }));
    const size = (row) => Math.abs((triple(row.points) || { diff: 0 }).diff) + Math.abs((triple(row.commission) || { diff: 0 }).diff);
    return list.map((row) => ({ ...row, id: row[by] || row.id })).sort((a, b) => size(b) - size(a));
  }

  function differences(answer, by) {
    const list = rows(answer, by);
    if (!list.length) return null;
    const head = [t(by), ...MEASURES.flatMap((m) => [`${t(`whatif_${m}`)} · ${t("actual")}`, t("whatif"), t("difference")])];
    const body = list.slice(0, SHOWN).map((row) => el("tr", { "data-id": row.id }, el("th", { scope: "row" }, row.name || C.name(by, row.id)),
      MEASURES.flatMap((m) => cells(m, row[m]))));
    return el("section", { class: "whatif-by", id: `whatif-${by}` }, el("h3", {}, t(`whatif_by_${by}`)),
      C.table(head, body, { class: "grid whatif" }),
      list.length > SHOWN ? el("p", { class: "muted" }, t("whatif_more", { n: list.length - SHOWN })) : null);
  }

  function totals(answer) {
    const all = answer.totals || {};
    const names = [...MEASURES, "prize_cost", "agents_winning"].filter((m) => all[m] !== undefined);
    if (!names.length) return null;
    return C.table([t("total"), t("actual"), t("whatif"), t("difference")],
      names.map((m) => el("tr", { "data-total": m }, el("th", { scope: "row" }, t(`whatif_${m}`)), cells(m, all[m]))), { id: "whatif-totals", class: "grid whatif" });
  }

  // Agents passing each period's gates: [{gate: "month", period: "2026-10",
  // passing: {actual, whatif}, agents: {actual, whatif}}].
  function gates(answer) {
    const list = Array.isArray(answer.gates) ? answer.gates : [];
    if (!list.length) return null;
    return C.table([t("gates_passed"), t("actual"), t("whatif"), t("difference"), t("of_agents")], list.map((g) => el("tr", {},
      el("th", { scope: "row" }, `${C.periodNoun(g.gate)} ${g.period}`), cells("gates", g.passing),
      el("td", { class: "num" }, C.number((g.agents || {}).whatif || 0, 0)))), { id: "whatif-gates", class: "grid whatif" });
  }

  // The totals and gates beside the draft; the rows per agent, team and site below,
  // the page's whole width (or in details).
  function show(holder, answer, details, title) {
    details = details || C.$("whatif-details");
    const tables = BY.map((by) => differences(answer, by)).filter(Boolean);
    C.fill(details, el("h2", {}, title || t("whatif_differences")), ...tables);
    details.hidden = !tables.length;
    C.fill(holder, 
      el("p", { class: "muted", "data-testid": "whatif-done" }, t("whatif_took", { ms: C.number(answer.took_ms || 0, 0),
        events: C.number(answer.events_replayed || 0, 0), since: C.when(answer.from), until: C.when(answer.until) })),
      totals(answer), gates(answer));
  }

  return { show };
})(Console);

// The tombola tab: tombolas with their tickets, winners and the check of each draw,
// and the form that opens one with prizes picked from the catalogue by name.
"use strict";

Console.tombolas = (function (C) {
  const { el, t } = C;
  const draft = C.draft;
  let drums = [];

  function labelled(text, node, unit) {
    return el("label", { class: "field" }, el("span", { class: "label" }, text), node, unit ? el("span", { class: "unit" }, unit) : null);
  }

  function verification(drum) {
    if (drum.state !== "drawn") return el("span", { class: "muted" }, t("not_drawn_yet"));
    return drum.verified ? el("span", { class: "ok" }, "✔ ", t("verified"))
      : el("span", { class: "error" }, "✘ ", t("not_verified"), ": ", drum.problems.join("; "));
  }

  function ledger(drum) {
    return Object.entries(drum.tickets || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }

  // A tombola's row, and below it (once asked for) every agent's tickets.
  const opened = new Set();
  function rows(drum) {
    const entries = ledger(drum);
    const total = entries.reduce((sum, [, n]) => sum + n, 0);
    const summary = t("tickets_summary", { tickets: C.number(total, 0), entrants: C.number(entries.length, 0) });
    const detail = el("tr", { class: "ledger" },
      el("td", { colspan: "8" }, entries.length
        ? el("ol", { class: "ledger" }, entries.map(([agent, n]) => el("li", {}, `${C.name("agent", agent)}: ${n}`)))
        : el("p", { class: "muted" }, t("no_tickets_yet"))));
    detail.hidden = !opened.has(drum.tombola);
    const toggle = C.button(`${summary} ▸`, () => {
      if (opened.has(drum.tombola)) opened.delete(drum.tombola); else opened.add(drum.tombola);
      detail.hidden = !opened.has(drum.tombola);
    }, { class: "link tickets", "aria-label": `${t("show_tickets")}: ${drum.name}` });
    return [el("tr", { "data-tombola": drum.tombola },
      el("th", { scope: "row" }, drum.name), el("td", {}, t(`tombola_${drum.state}`)),
      el("td", { class: "nowrap" }, C.when(drum.closes)), el("td", { class: "num" }, drum.every),
      el("td", {}, toggle),
      el("td", {}, drum.prizes.map((p) => C.name("prize", p)).join(", ")),
      el("td", {}, Console.awards.winners(drum.tombola) || (drum.winners.length ? drum.winners.map((w) => C.name("agent", w)).join(", ") : "–")),
      el("td", {}, verification(drum), el("div", { class: "mono small", title: drum.seed_hash }, `${t("seed_hash")} ${drum.seed_hash.slice(0, 12)}…`))), detail];
  }

  function list() {
    const open = drums.filter((d) => d.state === "open");
    const past = drums.filter((d) => d.state !== "open").reverse();
    const head = [t("tombola_name"), t("state"), t("closes"), t("sales_per_ticket"), t("tickets"), t("prizes"), t("winners"), t("draw_check")];
    return el("div", {},
      el("h3", {}, t("open_tombolas")), open.length ? C.table(head, open.flatMap(rows), { id: "tombolas-open" }) : el("p", { class: "muted" }, t("none")),
      el("h3", {}, t("past_tombolas")), past.length ? C.table(head, past.flatMap(rows), { id: "tombolas-past" }) : el("p", { class: "muted" }, t("none")));
  }

  function prizeRow(list) {
    const select = Console.prizes.prizeSelect("prize");
    const line = el("li", {}, el("span", { class: "winner" }), select, C.button("✕", () => { line.remove(); number(list); }, { class: "secondary small", "aria-label": t("remove") }));
    list.append(line);
    number(list);
  }
  function number(list) {
    list.querySelectorAll("li").forEach((line, index) => {
      line.querySelector(".winner").textContent = `${index + 1}.`;
      line.querySelector("select").setAttribute("aria-label", t("prize_for_winner", { n: index + 1 }));
    });
  }

  function form() {
    const result = el("div", { class: "result" });
    const closes = el("input", { name: "closes", type: "datetime-local", required: "required" });
    closes.value = C.toLocal(new Date(Date.now() + 7 * 86400000)).slice(0, 11) + "17:00";
    const prizes = el("ol", { class: "prize-picks", "data-field": "prizes" });
    const node = el("form", { novalidate: "", id: "tombola-form", class: "stack" },
      el("div", { class: "fields" },
        labelled(t("tombola_name"), el("input", { name: "name", required: "required", maxlength: "200", size: "24" })),
        labelled(t("closes"), closes, C.clock.zone),
        labelled(t("sales_per_ticket"), el("input", { name: "every", type: "number", min: "1", max: "1000", step: "1", value: "1", required: "required", size: "4" }))),
      el("label", {}, el("input", { type: "checkbox", name: "count_pending", checked: "checked" }), " ", t("count_pending")),
      el("label", {}, el("input", { type: "checkbox", name: "exclude_prize_winners" }), " ", t("exclude_prize_winners")),
      el("div", { class: "field" }, el("span", { class: "label" }, t("prizes_one_per_winner")), prizes,
        C.button(t("add_winner"), () => prizeRow(prizes), { class: "secondary" })),
      el("button", { type: "submit" }, t("add_to_draft")), result);
    prizeRow(prizes);
    node.addEventListener("submit", (submit) => {
      submit.preventDefault();
      // Every problem at once: the browser's checks, then the closing time and prizes.
      let ok = C.checkForm(node, result);
      const moment = closes.value ? C.fromLocal(closes.value) : null;
      if (moment && new Date(moment) <= new Date()) ok = C.fieldError(node, "closes", t("closes_in_future")) && false;
      const picked = [...prizes.querySelectorAll("select")].map((s) => s.value);
      if (!picked.length) ok = C.fieldError(node, "prizes", t("pick_a_prize")) && false;
      if (!ok) return;
      const taken = new Set([...drums.map((d) => d.tombola), ...draft.tombolas().map((d) => d.event.tombola)]);
      const body = { tombola: C.slug(node.name.value, taken), name: node.name.value.trim(), prizes: picked,
        closes: moment, every: Number(node.every.value), count_pending: node.count_pending.checked,
        exclude_prize_winners: node.exclude_prize_winners.checked };
      draft.addTombola(body);
      C.done(result, t("in_draft", { what: body.name }), "tombola-drafted");
    });
    return node;
  }

  function listPanel() {
    return el("section", { class: "panel", id: "tombola-list" }, el("h2", {}, t("tombolas")),
      el("p", { class: "help" }, t("tombolas_help")), list());
  }

  function render() {
    C.fill(C.$("tombolas-view"), listPanel(),
      el("section", { class: "panel" }, el("h2", {}, t("open_a_tombola")), el("p", { class: "help" }, t("open_tombola_help")), form()));
  }

  // The list follows the live frame and the names as they come (tickets stay open where
  // the manager opened them); the form stays as the manager left it.
  function refresh() {
    const holder = C.$("tombola-list");
    if (holder) holder.replaceWith(listPanel());
  }
  C.onFrame((state) => { drums = state.tombolas || []; refresh(); });
  C.onNames(refresh);

  return { render, refresh };
})(Console);

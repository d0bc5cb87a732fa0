// The prizes tab: the catalogue with its stock, new prizes and restocking, the rules
// that award prizes (instant tiers, point thresholds, ranks) and the awards to hand over.
"use strict";

Console.prizes = (function (C) {
  const { el, t } = C;
  const draft = C.draft;
  let book = { prizes: [], rules: [], awards: [] };
  // the one kind of prize rule that a sale's revenue decides
  const INSTANT = "instant";

  async function load() {
    book = await C.get("/api/prizes");
    C.learn("prize", Object.fromEntries(book.prizes.map((p) => [p.prize, p.name])));
    render();
    refreshPickers();
  }

  // Prizes a form may pick: the catalogue's and those waiting in the draft.
  function choices() {
    const listed = book.prizes.map((p) => ({ id: p.prize, name: p.name }));
    for (const item of draft.events()) {
      const event = item.event;
      if (event.type === "prize" && !listed.some((p) => p.id === event.prize)) listed.push({ id: event.prize, name: `${event.name} (${t("new")})` });
    }
    return listed;
  }

  function prizeSelect(name) {
    const options = choices();
    return el("select", { name: name || "prize", required: "required", "data-prizes": "" },
      el("option", { value: "" }, options.length ? t("choose_prize") : t("no_prizes_yet")),
      options.map((p) => el("option", { value: p.id }, p.name)));
  }

  function periodSelect() {
    return el("select", { name: "period" }, C.config.periods.map((p) => el("option", { value: p }, C.periodNoun(p))));
  }

  function labelled(text, node, unit) {
    return el("label", { class: "field" }, el("span", { class: "label" }, text), node, unit ? el("span", { class: "unit" }, unit) : null);
  }

  function picture(url) {
    return url ? el("img", { src: url, alt: "", class: "thumb", loading: "lazy", referrerpolicy: "no-referrer" }) : el("span", { class: "thumb none" });
  }

  function stockText(p) {
    if (p.stock === null || p.stock === undefined) return t("unlimited");
    return t("stock_left", { left: C.number(p.left, 0), stock: C.number(p.stock, 0) });
  }

  function restock(p) {
    const more = el("input", { type: "number", name: "more", min: "1", max: "1000000", step: "1", required: "required", size: "5", placeholder: "+", "aria-label": `${t("restock")} ${p.name}` });
    const form = el("form", { novalidate: "", class: "inline" }, more, el("button", { type: "submit", class: "secondary" }, t("restock")));
    form.addEventListener("submit", (submit) => {
      submit.preventDefault();
      if (!C.checkForm(form)) return;
      // A prize event sets the whole stock (what was ever in it, awards included).
      const stock = (p.stock === null ? p.awarded : p.stock) + Number(more.value);
      const event = { type: "prize", prize: p.prize, name: p.name, stock };
      if (p.picture) event.picture = p.picture;
      draft.addEvent(event, p.prize);
    });
    return form;
  }

  function catalogue() {
    const rows = book.prizes.map((p) => el("tr", { "data-prize": p.prize },
      el("td", {}, picture(p.picture)), el("th", { scope: "row" }, p.name),
      el("td", { class: p.left === 0 ? "warn nowrap" : "nowrap" }, stockText(p)),
      el("td", { class: "num" }, C.number(p.awarded, 0)),
      el("td", { class: "num" }, p.value === null || p.value === undefined ? "–" : C.money(p.value)), el("td", { class: "nowrap" }, p.stock === null || p.stock === undefined ? "" : restock(p))));
    return C.table(["", t("prize"), t("stock"), t("awarded"), t("value"), t("restock")], rows, { id: "catalogue" });
  }

  function prizeForm() {
    const name = el("input", { name: "name", required: "required", maxlength: "200", size: "24" });
    const url = el("input", { name: "picture", type: "text", maxlength: "500", size: "30", placeholder: "https://…",
      pattern: "(https://|/).+", title: t("picture_help") });
    const stock = el("input", { name: "stock", type: "number", class: "wide", min: "0", max: "1000000", step: "1", size: "6", placeholder: t("unlimited") });
    const value = el("input", { name: "value", type: "number", min: "0", max: "1000000000", step: "0.01", size: "8", placeholder: t("optional"), title: t("value_each") });
    const preview = el("span", { class: "preview" });
    url.addEventListener("change", () => C.fill(preview, url.checkValidity() && url.value ? picture(url.value) : ""));
    const result = el("div", { class: "result" });
    const form = el("form", { novalidate: "", id: "prize-form", class: "inline" }, labelled(t("prize_name"), name),
      labelled(t("picture"), url), preview, labelled(t("stock"), stock),
      labelled(t("value"), value, "€"), el("button", { type: "submit" }, t("add_to_draft")), result);
    form.addEventListener("submit", (submit) => {
      submit.preventDefault();
      if (!C.checkForm(form, result)) return;
      const taken = new Set(choices().map((p) => p.id));
      if (choices().some((p) => p.name === name.value.trim())) return C.fieldError(form, "name", t("prize_exists"));
      const event = { type: "prize", prize: C.slug(name.value, taken), name: name.value.trim() };
      if (stock.value !== "") event.stock = Number(stock.value);
      // What one costs, for the what-if's prize cost (a server that knows it).
      if (value.value !== "") event.value = Number(value.value).toFixed(2);
      if (url.value) event.picture = url.value.trim();
      draft.addEvent(event, event.prize);
      C.done(result, t("in_draft", { what: event.name }), "prize-drafted");
      form.reset();
      C.fill(preview);
    });
    return form;
  }

  // One form per kind of prize rule: what makes it fire, and which prize.
  function ruleForm(kind) {
    const result = el("div", { class: "result" });
    const fields = {
      instant: () => [labelled(t("min_revenue"), el("input", { name: "min_revenue", type: "number", min: "0", max: "1000000000", step: "0.01", required: "required", size: "8" }), "€")],
      threshold: () => [labelled(t("threshold_points"), el("input", { name: "points", type: "number", min: "0", max: "1000000000", step: "any", required: "required", size: "8" })), labelled(t("period"), periodSelect())],
      rank: () => [labelled(t("top_n"), el("input", { name: "top", type: "number", min: "1", max: "1000", step: "1", required: "required", size: "4" })), labelled(t("period"), periodSelect())],
    }[kind]();
    const form = el("form", { novalidate: "", id: `${kind}-form`, class: "inline" }, ...fields, labelled(t("prize"), prizeSelect()),
      el("label", { title: t("hidden_help") }, el("input", { type: "checkbox", name: "hidden" }), " ", t("hidden_rule")),
      el("button", { type: "submit" }, t("add_to_draft")), result);
    form.addEventListener("submit", (submit) => {
      submit.preventDefault();
      if (!C.checkForm(form, result)) return;
      const event = { type: "prize_rule", kind, prize: form.prize.value };
      if (form.min_revenue) event.min_revenue = Number(form.min_revenue.value).toFixed(2);
      if (form.points) event.points = Number(form.points.value);
      if (form.top) event.top = Number(form.top.value);
      if (form.period) event.period = form.period.value;
      if (form.hidden.checked) event.hidden = true;
      const detail = event.min_revenue || event.points || event.top;
      const taken = new Set(book.rules.map((r) => r.rule));
      event.rule = C.slug(`${kind} ${event.prize} ${detail} ${event.period || ""}`, taken);
      draft.addEvent(event, event.rule);
      C.done(result, t("in_draft", { what: C.describe.rule(event) }), `${kind}-drafted`);
    });
    return form;
  }

  function ruleRows() {
    const order = { instant: 0, threshold: 1, rank: 2 };
    const rules = [...book.rules].sort((a, b) => order[a.kind] - order[b.kind] || (b.min_revenue - a.min_revenue));
    return rules.map((rule) => {
      const event = { ...rule, active: true };
      const toggle = C.button(rule.active ? t("switch_off") : t("switch_on"), () => {
        const { status, ...fields } = rule;
        const change = { type: "prize_rule", ...fields, active: !rule.active, min_revenue: Number(rule.min_revenue).toFixed(2) };
        if (rule.kind !== INSTANT) delete change.min_revenue;
        draft.addEvent(change, rule.rule);
      }, { class: "secondary" });
      const status = [rule.status.startsWith("out of stock") ? t("out_of_stock") : rule.active ? t("active") : t("inactive"),
        rule.hidden ? t("hidden") : null].filter(Boolean).join(" · ");
      return el("tr", { "data-rule": rule.rule }, el("td", {}, t(`kind_${rule.kind}`)), el("td", {}, C.describe.rule(event)),
        el("td", { class: rule.active && !rule.status.startsWith("out") ? "ok" : "warn" }, status), el("td", { class: "nowrap" }, toggle));
    });
  }

  // A prize rule in words, by its id (the awards say why with it).
  function ruleSentence(id) {
    const rule = book.rules.find((r) => r.rule === id);
    return rule ? C.describe.rule({ ...rule, active: true }) : null;
  }

  function panel(id, title, help, ...content) {
    return el("section", { class: "panel", id }, el("h2", {}, title), help ? el("p", { class: "help" }, help) : null, ...content);
  }

  function render() {
    C.fill(C.$("prizes-view"), 
      el("div", { class: "columns" },
        panel("prizes-catalogue", t("catalogue"), t("catalogue_help"), catalogue(), el("h3", {}, t("add_prize")), prizeForm()),
        panel("prizes-rules", t("prize_rules"), t("prize_rules_help"),
          C.table([t("kind"), t("rule"), t("state"), ""], ruleRows(), { id: "prize-rules" }),
          el("h3", {}, t("kind_instant")), el("p", { class: "help" }, t("instant_help")), ruleForm("instant"),
          el("h3", {}, t("kind_threshold")), el("p", { class: "help" }, t("threshold_help")), ruleForm("threshold"),
          el("h3", {}, t("kind_rank")), el("p", { class: "help" }, t("rank_help")), ruleForm("rank"))),
      panel("prizes-awards", t("awards"), t("awards_help"), Console.awards.panel()));
  }

  // The prize pickers follow the draft: a prize added a moment ago may be chosen.
  function refreshPickers() {
    for (const select of document.querySelectorAll("select[data-prizes]")) {
      const chosen = select.value;
      C.fill(select, ...prizeSelect().childNodes);
      select.value = chosen;
    }
  }
  draft.onChange(refreshPickers);
  // A published draft leaves nothing "in the draft": those notes go.
  draft.onChange(() => {
    if (!draft.count()) document.querySelectorAll("[data-testid$=-drafted]").forEach((note) => note.remove());
  });


  return { load, render, choices, prizeSelect, refreshPickers, ruleSentence };
})(Console);

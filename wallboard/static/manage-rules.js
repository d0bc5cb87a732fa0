// The rules tab: a form for every part of the rule set (README: Rules), editing the draft.
//
// Each input is bound to a path of the rule set; a change goes into the draft at once
// (Console.draft) and the input is marked as changed, with the value in force beside it.
// Nothing is sent until the draft is published.
"use strict";

Console.rules = (function (C) {
  const { el, t } = C;
  const draft = C.draft;
  const CHANNELS = C.config.channels;
  const PERIODS = C.config.periods;
  // what a rule set without products earns (README: Rules, the defaults)
  const DEFAULT_PRODUCT = { base: 10, per_euro: 0.1 };
  const BIG = 1e6;

  function field(path) { return `rules.${path.join(".")}`; }

  function shown(value, percent) {
    if (value === undefined || value === null) return "";
    return percent ? String(Math.round(value * 100 * 1e4) / 1e4) : String(value);
  }

  function mark(node, path) {
    const before = draft.at(draft.inForce(), path);
    const changed = JSON.stringify(before) !== JSON.stringify(draft.at(draft.rules(), path));
    node.classList.toggle("changed", changed);
    node.title = changed ? `${t("in_force")}: ${C.describe.value(path, before)}` : "";
  }

  // An input bound to path: options min, max, step, percent (a fraction shown as %),
  // text, placeholder, write (how a value goes into the draft), label.
  function input(path, options) {
    options = options || {};
    const attrs = { "data-field": field(path), class: "rule", "aria-label": options.label || C.describe.path(path) };
    if (options.text) Object.assign(attrs, { type: "text", size: options.size || "12" });
    else {
      const scale = options.percent ? 100 : 1;
      Object.assign(attrs, { type: "number", step: options.step || "any", inputmode: "decimal" });
      if (options.min !== undefined) attrs.min = String(options.min * scale);
      if (options.max !== undefined) attrs.max = String(options.max * scale);
    }
    const node = el("input", attrs);
    node.value = shown(draft.at(draft.rules(), path), options.percent);
    if (options.placeholder !== undefined) node.placeholder = options.placeholder;
    node.addEventListener("change", () => {
      C.clearErrors(node.parentNode);
      if (!node.checkValidity()) {
        C.fieldError(node.parentNode, field(path), node.validationMessage);
        return;
      }
      const text = node.value.trim();
      let value = text === "" ? undefined : options.text ? text : Number(text);
      if (value !== undefined && options.percent) value = Math.round(value * 1e4) / 1e6;
      (options.write || ((v) => draft.setRule(path, v)))(value);
      mark(node, path);
    });
    mark(node, path);
    return node;
  }

  function labelled(text, node, unit) {
    return el("label", { class: "field" }, el("span", { class: "label" }, text), node, unit ? el("span", { class: "unit" }, unit) : null);
  }

  // What a product not named in the rules earns today, to fill the fields a manager did
  // not set when they give a product a rule of its own.
  function star(rules) {
    const products = (rules.sale && rules.sale.products) || {};
    if (!Object.keys(products).length) return DEFAULT_PRODUCT;
    const rule = products["*"];
    return rule ? { base: rule.base || 0, per_euro: rule.per_euro || 0 } : { base: 0, per_euro: 0 };
  }

  function ensureProduct(key) {
    const rules = draft.rules();
    const products = (rules.sale && rules.sale.products) || {};
    const inherited = star(rules);
    // Without any product rule the server applies "*" (10 and 0.1): keep it in force.
    if (!Object.keys(products).length) draft.setRule(["sale", "products", "*"], { ...DEFAULT_PRODUCT });
    if (products[key] === undefined && key !== "*") draft.setRule(["sale", "products", key], { ...inherited });
  }

  function productWrite(path, key) {
    return (value) => {
      if (value !== undefined) ensureProduct(key);
      draft.setRule(path, value);
    };
  }

  function commissionText(rule) {
    if (!rule) return t("no_commission");
    return [rule.fixed ? C.money(rule.fixed) : null, rule.percent ? `${C.number(rule.percent)} %` : null].filter(Boolean).join(" + ") || t("no_commission");
  }

  // Commission is either euros per unit or a percent of revenue: a choice and an
  // amount. A product without its own pays as all other products ("*").
  function commissionCell(key, rules) {
    const path = ["commission", key];
    const own = (rules.commission || {})[key];
    const kind = own === undefined ? "inherit" : own.percent !== undefined && !own.fixed ? "percent" : "fixed";
    const inherit = key === "*" ? t("no_commission") : `${t("as_other_products")} (${commissionText((rules.commission || {})["*"])})`;
    const choice = el("select", { "data-field": field(path), "aria-label": `${t("commission")} · ${C.describe.product(key)}` },
      el("option", { value: "inherit" }, inherit), el("option", { value: "fixed" }, t("commission_fixed_unit")),
      el("option", { value: "percent" }, t("commission_percent_unit")));
    choice.value = kind;
    const amount = el("input", { type: "number", step: "any", min: "0", class: "rule" });
    const arrange = () => {
      amount.hidden = choice.value === "inherit";
      amount.max = choice.value === "percent" ? "100" : "1000000000";
      amount.dataset.field = field([...path, choice.value]);
      amount.setAttribute("aria-label", `${C.describe.path([...path, choice.value])}`);
    };
    arrange();
    if (own !== undefined) amount.value = shown(own[kind]);
    const write = () => {
      C.clearErrors(amount.parentNode);
      if (choice.value === "inherit") draft.setRule(path, undefined);
      else if (!amount.checkValidity()) return C.fieldError(amount.parentNode, amount.dataset.field, amount.validationMessage);
      else draft.setRule(path, { [choice.value]: Number(amount.value || 0) });
      mark(choice, path);
      mark(amount, [...path, choice.value]);
    };
    choice.addEventListener("change", () => { arrange(); write(); if (!amount.hidden) amount.focus(); });
    amount.addEventListener("change", write);
    mark(choice, path);
    if (own !== undefined) mark(amount, [...path, kind]);
    return el("div", { class: "commission" }, choice, amount);
  }

  function bonusCell(key, rule) {
    const bonus = (rule && rule.channel_bonus) || {};
    const summary = Object.entries(bonus).map(([ch, v]) => `${t(`channel_${ch}`)} ${C.signed(v)}`).join(", ") || t("none");
    return el("details", { class: "bonus" }, el("summary", {}, summary),
      el("div", { class: "channels" }, CHANNELS.map((ch) => {
        const path = ["sale", "products", key, "channel_bonus", ch];
        return labelled(t(`channel_${ch}`), input(path, { min: -BIG, max: BIG, placeholder: "0", write: productWrite(path, key) }));
      })));
  }

  function productRow(key, rules, groups) {
    const products = (rules.sale && rules.sale.products) || {};
    const rule = products[key];
    const inherited = rule ? { base: 0, per_euro: 0 } : star(rules);
    const members = Object.entries(groups).filter(([, g]) => g === key).map(([p]) => p);
    const points = (name) => {
      const path = ["sale", "products", key, name];
      return input(path, { min: -BIG, max: BIG, placeholder: C.number(inherited[name], 4), write: productWrite(path, key) });
    };
    const remove = key === "*" ? "" : C.button("✕", () => {
      draft.setRule(["sale", "products", key], undefined);
      draft.setRule(["commission", key], undefined);
      render();
    }, { class: "secondary small", title: t("remove"), "aria-label": `${t("remove")} ${key}` });
    return el("tr", { "data-product": key },
      el("th", { scope: "row" }, C.describe.product(key),
        members.length ? el("div", { class: "muted small" }, `${t("group_of")}: ${members.join(", ")}`) : null),
      el("td", {}, points("base")), el("td", {}, points("per_euro")),
      el("td", {}, bonusCell(key, rule)),
      el("td", {}, commissionCell(key, rules)), el("td", {}, remove));
  }

  function productsPanel(rules) {
    const products = (rules.sale && rules.sale.products) || {};
    const groups = (rules.sale && rules.sale.groups) || {};
    const keys = [...new Set(["*", ...Object.keys(products), ...Object.keys(rules.commission || {})])];
    keys.sort((a, b) => (a === "*") - (b === "*") || a.localeCompare(b));
    const name = el("input", { type: "text", name: "product", required: "required", maxlength: "128", list: "known-products", size: "16" });
    const add = el("form", { novalidate: "", class: "inline add" }, labelled(t("product_or_group"), name), el("button", { type: "submit" }, t("add_product")));
    add.addEventListener("submit", (submit) => {
      submit.preventDefault();
      if (!C.checkForm(add)) return;
      ensureProduct(name.value.trim());
      render();
    });
    return panel("rules-products", t("products_and_commission"), t("products_help"),
      C.table([t("product_or_group"), t("base_points"), t("per_euro"), t("channel_bonus"), t("commission"), ""],
        keys.map((key) => productRow(key, rules, groups)), { class: "grid products" }), add);
  }

  function groupsPanel(rules) {
    const groups = (rules.sale && rules.sale.groups) || {};
    const rows = Object.keys(groups).sort().map((product) => el("tr", {},
      el("th", { scope: "row" }, product),
      el("td", {}, input(["sale", "groups", product], { text: true, placeholder: t("no_group") })),
      el("td", {}, C.button("✕", () => { draft.setRule(["sale", "groups", product], undefined); render(); }, { class: "secondary small", "aria-label": `${t("remove")} ${product}` }))));
    const product = el("input", { type: "text", name: "group_product", required: "required", maxlength: "128", size: "14" });
    const group = el("input", { type: "text", name: "group_name", required: "required", maxlength: "128", size: "14", list: "known-products" });
    const add = el("form", { novalidate: "", class: "inline add" }, labelled(t("product"), product), labelled(t("product_group"), group), el("button", { type: "submit" }, t("add")));
    add.addEventListener("submit", (submit) => {
      submit.preventDefault();
      if (!C.checkForm(add)) return;
      draft.setRule(["sale", "groups", product.value.trim()], group.value.trim());
      render();
    });
    return panel("rules-groups", t("product_groups"), t("groups_help"), C.table([t("product"), t("product_group"), ""], rows), add);
  }

  function generalPanel() {
    return panel("rules-general", t("general"), t("general_help"),
      el("div", { class: "fields" },
        labelled(t("cancellation_window"), input(["cancellation_window_days"], { min: 0, max: 365, placeholder: "14" }), t("days")),
        labelled(t("weight_sales"), input(["weights", "sales"], { min: 0, max: 100, placeholder: "1" })),
        labelled(t("weight_support"), input(["weights", "support"], { min: 0, max: 100, placeholder: "1" })),
        labelled(t("timezone"), input(["timezone"], { text: true, placeholder: "Europe/Berlin", size: "16" }))),
      el("h3", {}, t("channel_factors")), el("p", { class: "help" }, t("channel_factors_help")),
      el("div", { class: "fields" }, CHANNELS.map((ch) => labelled(t(`channel_${ch}`),
        input(["sale", "channel_factors", ch], { min: 0, max: 100, placeholder: "1" }), "×"))));
  }

  function bandsEditor(rules) {
    const bands = ((rules.contact || {}).quality_bands || []).map((band) => ({ ...band }));
    const path = ["contact", "quality_bands"];
    const write = () => { draft.setRule(path, bands.filter((b) => b.min !== undefined && b.points !== undefined)); };
    const rows = bands.map((band, index) => {
      const cell = (key, min, max) => {
        const node = el("input", { type: "number", step: "any", min: String(min), max: String(max), value: String(band[key]),
          "data-field": `rules.contact.quality_bands[${index}].${key}`, "aria-label": t(key === "min" ? "band_min" : "band_points") });
        node.addEventListener("change", () => {
          if (!node.checkValidity() || node.value === "") return C.fieldError(node.parentNode, node.dataset.field, node.validationMessage || t("required"));
          band[key] = Number(node.value);
          write();
        });
        return node;
      };
      return el("tr", {}, el("td", {}, cell("min", 0, 100), " %"), el("td", {}, cell("points", -BIG, BIG)),
        el("td", {}, C.button("✕", () => { bands.splice(index, 1); write(); render(); }, { class: "secondary small", "aria-label": t("remove") })));
    });
    const add = C.button(t("add_band"), () => { bands.push({ min: 0, points: 0 }); write(); render(); }, { class: "secondary" });
    return el("div", { "data-field": field(path) }, C.table([t("band_min"), t("band_points"), ""], rows), add);
  }

  function contactPanel(rules) {
    const number = (name, fallback) => labelled(t(`contact_${name}`), input(["contact", name], { min: -BIG, max: BIG, placeholder: fallback }), t("points_unit"));
    return panel("rules-contact", t("contact_points"), t("contact_help"),
      el("div", { class: "fields" }, number("handled", "1"), number("resolved", "1"), number("referral", "2")),
      el("h3", {}, t("quality_bands")), el("p", { class: "help" }, t("bands_help")), bandsEditor(rules));
  }

  const GATES = [["min_sales", { min: 0, max: 1e6, step: "1" }], ["min_quality", { min: 0, max: 100 }],
    ["min_referral_rate", { min: 0, max: 1, percent: true }], ["max_cancellation_rate", { min: 0, max: 1, percent: true }]];

  function gatesPanel() {
    const rows = PERIODS.map((period) => el("tr", { "data-period": period }, el("th", { scope: "row" }, C.periodNoun(period)),
      GATES.map(([name, options]) => el("td", {}, input(["gates", period, name], { ...options, placeholder: "–",
        label: `${t(name)} · ${C.periodName(period)}` }), name === "min_sales" ? "" : " %"))));
    return panel("rules-gates", t("gates"), t("gates_help"),
      C.table([t("period"), t("min_sales"), t("min_quality"), t("min_referral_rate"), t("max_cancellation_rate")], rows));
  }

  function ratesPanel(rules) {
    const rates = rules.exchange_rates || {};
    const rows = Object.keys(rates).filter((c) => c !== "EUR").sort().map((currency) => el("tr", {},
      el("th", { scope: "row" }, currency),
      el("td", {}, input(["exchange_rates", currency], { min: 0.000001, max: 1e9 }), " €"),
      el("td", {}, C.button("✕", () => { draft.setRule(["exchange_rates", currency], undefined); render(); }, { class: "secondary small", "aria-label": `${t("remove")} ${currency}` }))));
    const code = el("input", { type: "text", name: "currency", required: "required", pattern: "[A-Z]{3}", size: "4", maxlength: "3", placeholder: "USD" });
    const rate = el("input", { type: "number", name: "rate", required: "required", step: "any", min: "0.000001" });
    const add = el("form", { novalidate: "", class: "inline add" }, labelled(t("currency"), code), labelled(t("euros_per_unit"), rate), el("button", { type: "submit" }, t("add")));
    add.addEventListener("submit", (submit) => {
      submit.preventDefault();
      if (!C.checkForm(add)) return;
      draft.setRule(["exchange_rates", code.value], Number(rate.value));
      render();
    });
    return panel("rules-rates", t("exchange_rates"), t("rates_help"), C.table([t("currency"), t("euros_per_unit"), ""], rows), add);
  }

  // What earns coins for the reward store (README: Coins and the reward store).
  function coinsPanel() {
    const places = (text) => {
      const list = text === undefined ? [] : String(text).split(/[\s,;]+/).filter(Boolean).map(Number);
      draft.setRule(["coins", "places"], list.length ? list : undefined);
    };
    return panel("rules-coins", t("coin_rules"), t("coin_rules_help"),
      el("div", { class: "fields" },
        labelled(t("coins_per_point"), input(["coins", "per_point"], { min: 0, max: 1000, placeholder: "0", label: t("coins_per_point") })),
        labelled(t("coins_places"), input(["coins", "places"], { text: true, size: "14", placeholder: "50, 30, 20", label: t("coins_places"), write: places })),
        labelled(t("coins_challenge_won"), input(["coins", "challenge_won"], { min: 0, max: 1000000, step: "1", placeholder: "0", label: t("coins_challenge_won") }))));
  }

  function panel(id, title, help, ...content) {
    return el("section", { class: "panel", id }, el("h2", {}, title), help ? el("p", { class: "help" }, help) : null, ...content);
  }

  function knownProducts(rules) {
    const sale = rules.sale || {};
    const names = new Set([...Object.keys(sale.products || {}), ...Object.keys(sale.groups || {}),
      ...Object.values(sale.groups || {}), ...Object.keys(rules.commission || {})]);
    names.delete("*");
    return el("datalist", { id: "known-products" }, [...names].sort().map((n) => el("option", { value: n })));
  }

  function render() {
    const rules = draft.rules();
    C.fill(C.$("rules-forms"), knownProducts(rules), generalPanel(), contactPanel(rules),
      productsPanel(rules), gatesPanel(), groupsPanel(rules), ratesPanel(rules), coinsPanel());
  }

  // Drawn again when the rule set in force changes, unless the manager is typing in it.
  let version = null;
  C.onFrame((state) => {
    const now = state.rules && state.rules.version;
    if (now === version) return;
    version = now;
    if (!C.$("rules-forms").contains(document.activeElement)) render();
  });

  return { render };
})(Console);

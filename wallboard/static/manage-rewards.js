// The rewards tab: the store's items (add, edit, withdraw), the redemptions waiting
// for a decision, each site's monthly budget, and a grant of coins to an agent.
"use strict";

Console.rewards = (function (C) {
  const { el, t } = C;
  let store = { rewards: [], waiting: [], budgets: [], month: "" };

  function labelled(text, node) {
    return el("label", { class: "field" }, el("span", { class: "label" }, text), node);
  }
  function coins(value) { return value === null || value === undefined ? "–" : C.number(value); }
  async function post(event, result, text) {
    await C.call("POST", "/api/events", { id: `${event.type}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, ts: new Date().toISOString(), ...event });
    C.done(result, text);
    load();
  }
  function refused(form, result) { return (error) => C.showRefusal(form, result, error, (p) => p.field.replace(/^\w+\./, "")); }

  // One row per item, its price, stock and picture edited in place.
  function itemRow(item, result) {
    const price = el("input", { name: "price", type: "number", min: "1", max: "1000000", step: "1", value: String(item.price), size: "6", "aria-label": `${t("reward_price")}: ${item.name}` });
    const stock = el("input", { name: "stock", type: "number", min: "0", max: "1000000", step: "1", value: item.stock === null ? "" : String(item.stock), size: "10", class: "wide", placeholder: t("unlimited"), "aria-label": `${t("reward_stock")}: ${item.name}` });
    const picture = el("input", { name: "picture", type: "url", maxlength: "2000", value: item.picture || "", size: "18", "aria-label": `${t("reward_picture")}: ${item.name}` });
    const row = el("tr", { "data-reward": item.reward, class: item.active ? "" : "muted" });
    const save = (active) => {
      if (!C.checkForm(row, result)) return;
      const event = { type: "reward", reward: item.reward, name: item.name, price: Number(price.value), active };
      if (stock.value !== "") event.stock = Number(stock.value);
      if (picture.value) event.picture = picture.value;
      post(event, result, t("reward_saved", { what: item.name })).catch(refused(row, result));
    };
    C.fill(row, el("th", { scope: "row" }, item.picture ? el("img", { src: item.picture, alt: "", class: "thumb" }) : null, " ", item.name,
        item.active ? null : el("span", { class: "muted small" }, ` (${t("withdrawn")})`)),
      el("td", {}, price), el("td", {}, stock), el("td", { class: "num" }, item.left === null ? t("unlimited") : C.number(item.left, 0)),
      el("td", { class: "num" }, C.number(item.redeemed || 0, 0)), el("td", {}, picture),
      el("td", { class: "nowrap" }, C.button(t("save_reward"), () => save(item.active), { class: "secondary" }), " ",
        item.active ? C.button(t("withdraw"), () => save(false), { class: "danger", "aria-label": `${t("withdraw")}: ${item.name}` })
          : C.button(t("put_back"), () => save(true), { class: "secondary" })));
    return row;
  }

  function addForm(result) {
    const form = el("form", { novalidate: "", id: "reward-form", class: "inline" },
      labelled(t("reward_name"), el("input", { name: "name", required: "required", maxlength: "200", size: "18" })),
      labelled(t("reward_price"), el("input", { name: "price", type: "number", min: "1", max: "1000000", step: "1", required: "required", size: "6" })),
      labelled(t("reward_stock"), el("input", { name: "stock", type: "number", min: "0", max: "1000000", step: "1", size: "10", class: "wide", placeholder: t("unlimited") })),
      labelled(t("reward_picture"), el("input", { name: "picture", type: "url", maxlength: "2000", size: "18" })),
      el("button", { type: "submit" }, t("add_reward")));
    form.addEventListener("submit", (submit) => {
      submit.preventDefault();
      if (!C.checkForm(form, result)) return;
      const taken = new Set(store.rewards.map((r) => r.reward));
      const event = { type: "reward", reward: C.slug(form.name.value, taken), name: form.name.value.trim(), price: Number(form.price.value) };
      if (form.stock.value !== "") event.stock = Number(form.stock.value);
      if (form.picture.value) event.picture = form.picture.value;
      post(event, result, t("reward_saved", { what: event.name })).catch(refused(form, result));
    });
    return form;
  }

  function waitingRow(asked, result) {
    const reason = el("input", { name: "reason", maxlength: "500", size: "24", placeholder: t("reject_reason"), "aria-label": `${t("reject_reason")}: ${asked.redemption}` });
    const what = `${asked.agent_name || asked.agent}: ${asked.name || asked.reward}`;
    const decide = (approve) => {
      const event = { type: "redemption_decision", redemption: asked.redemption, approve };
      if (reason.value.trim()) event.reason = reason.value.trim();
      post(event, result, t(approve ? "approved_it" : "rejected_it", { what })).catch((error) => C.fill(result, el("p", { class: "error" }, error.message)));
    };
    return el("tr", { "data-redemption": asked.redemption },
      el("th", { scope: "row" }, asked.agent_name || asked.agent), el("td", {}, asked.name || asked.reward),
      el("td", { class: "num" }, coins(asked.price)), el("td", {}, C.name("site", asked.site)), el("td", { class: "nowrap" }, C.short(asked.ts)),
      el("td", { class: "nowrap" }, C.button(t("approve"), () => decide(true), { "aria-label": `${t("approve")}: ${what}` }), " ", reason, " ",
        C.button(t("reject"), () => decide(false), { class: "danger", "aria-label": `${t("reject")}: ${what}` })));
  }

  function budgetRow(budget, result) {
    const cap = el("input", { name: "month_cap", type: "number", min: "1", max: "100000000", step: "1", size: "10", class: "wide",
      value: budget.month_cap === null ? "" : String(budget.month_cap), placeholder: t("unlimited"), "aria-label": `${t("budget_cap")}: ${budget.name || budget.site}` });
    const row = el("tr", { "data-site": budget.site }, el("th", { scope: "row" }, budget.name || budget.site), el("td", {}, cap),
      el("td", { class: "num" }, coins(budget.used)), el("td", { class: "num" }, budget.left === null ? t("unlimited") : coins(budget.left)),
      el("td", {}, C.button(t("set_budget"), () => {
        if (!C.checkForm(row, result)) return;
        const event = { type: "reward_budget", site: budget.site };
        if (cap.value !== "") event.month_cap = Number(cap.value);
        post(event, result, t("budget_set", { what: budget.name || budget.site })).catch(refused(row, result));
      }, { class: "secondary" })));
    return row;
  }

  function grantForm(result) {
    const form = el("form", { novalidate: "", id: "grant-form", class: "inline" },
      labelled(t("agent_id"), el("input", { name: "agent", required: "required", maxlength: "128", size: "10", class: "wide", list: "known-agents" })),
      labelled(t("grant_amount"), el("input", { name: "amount", type: "number", min: "-1000000", max: "1000000", step: "1", required: "required", size: "6" })),
      labelled(t("grant_reason"), el("input", { name: "reason", required: "required", maxlength: "500", size: "28" })),
      el("button", { type: "submit" }, t("grant")));
    form.addEventListener("submit", (submit) => {
      submit.preventDefault();
      if (!C.checkForm(form, result)) return;
      const event = { type: "coins", agent: form.agent.value.trim(), amount: Number(form.amount.value), reason: form.reason.value.trim() };
      post(event, result, t("granted", { coins: C.number(event.amount, 0), agent: C.name("agent", event.agent) }))
        .then(() => form.reset()).catch(refused(form, result));
    });
    return form;
  }

  function render() {
    const results = { store: el("div", { class: "result", id: "reward-result" }), waiting: el("div", { class: "result", id: "redemption-result" }),
      budget: el("div", { class: "result", id: "budget-result" }), grant: el("div", { class: "result", id: "grant-result" }) };
    // Sites without a budget yet are listed too, so one can be set.
    const budgets = [...store.budgets];
    for (const [site, name] of Object.entries(C.names.site)) if (!budgets.some((b) => b.site === site)) budgets.push({ site, name, month_cap: null, used: 0, left: null });
    C.fill(C.$("rewards-view"),
      el("section", { class: "panel", id: "waiting-panel" }, el("h2", {}, t("waiting_redemptions")),
        store.waiting.length ? C.table([t("agent"), t("reward_name"), t("reward_price"), t("site"), t("asked_at"), ""],
          store.waiting.map((w) => waitingRow(w, results.waiting)), { id: "waiting" }) : el("p", { class: "muted", id: "waiting" }, t("nothing_waiting")),
        results.waiting),
      el("section", { class: "panel", id: "store-panel" }, el("h2", {}, t("reward_store")), el("p", { class: "help" }, t("reward_store_help")),
        C.table([t("reward_name"), t("reward_price"), t("reward_stock"), t("reward_left"), t("reward_redeemed"), t("reward_picture"), ""],
          store.rewards.map((r) => itemRow(r, results.store)), { id: "rewards" }),
        addForm(results.store), results.store),
      el("section", { class: "panel", id: "budget-panel" }, el("h2", {}, t("site_budgets")), el("p", { class: "help" }, t("site_budgets_help", { month: store.month })),
        C.table([t("site"), t("budget_cap"), t("budget_used"), t("budget_left"), ""], budgets.map((b) => budgetRow(b, results.budget)), { id: "budgets" }),
        results.budget),
      el("section", { class: "panel", id: "grant-panel" }, el("h2", {}, t("grant_coins")), el("p", { class: "help" }, t("grant_help")),
        grantForm(results.grant), results.grant));
  }

  // Kept messages: a redraw keeps the last result line of each section.
  async function load() {
    const kept = ["reward-result", "redemption-result", "budget-result", "grant-result"].map((id) => [id, C.$(id) && [...C.$(id).childNodes]]);
    store = await C.get("/api/rewards");
    const focused = C.$("tab-rewards").contains(document.activeElement) && document.activeElement.tagName === "INPUT";
    if (focused) return;
    render();
    for (const [id, nodes] of kept) if (nodes && nodes.length) C.fill(C.$(id), nodes);
  }

  let timer = null;
  C.onFrame(() => {
    if (timer === null && !C.$("tab-rewards").hidden) timer = setTimeout(() => { timer = null; load().catch(() => {}); }, 2000);
  });

  return { load };
})(Console);

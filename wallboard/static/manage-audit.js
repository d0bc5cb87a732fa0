// The audit tab: who changed what, the integrations' traffic apart, the commission
// export, and the raw event box folded away under Advanced.
"use strict";

Console.audit = (function (C) {
  const { el, t } = C;
  let actions = [];
  let before = null;

  // GET /api/manage/audit?actor=&type=&since=&until= (local dates), newest first, a
  // page at a time (`next_before`). Filtered here as well, for a server that answers
  // the latest events whatever it is asked; sales, cancellations and contacts are
  // integration traffic and never listed here.
  function filters() {
    const form = C.$("audit-form");
    return { actor: form.actor.value.trim(), type: form.type.value, since: form.since.value, until: form.until.value };
  }

  function matches(action, wanted) {
    const since = wanted.since ? C.fromLocal(`${wanted.since}T00:00`) : "";
    const until = wanted.until ? C.fromLocal(`${wanted.until}T23:59`) : "";
    return !C.config.integration_types.includes(action.type)
      && (!wanted.actor || action.by === wanted.actor) && (!wanted.type || action.type === wanted.type)
      && (!since || action.received >= since) && (!until || action.received <= until);
  }

  // What an action was about: the names the server gives for its ids, else its id.
  function about(action) {
    const named = Object.values(action.names || {}).filter(Boolean);
    const fields = action.fields || {};
    const own = fields.name || fields.title || fields.label || (fields.role ? t(`role_${fields.role}`) : null);
    return [own, ...named.filter((name) => name !== own)].filter(Boolean).join(" · ") || action.summary || action.id;
  }

  async function load(more) {
    const wanted = filters();
    const query = Object.entries({ ...wanted, before: more ? before : "" }).filter(([, v]) => v)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
    try {
      const answer = await C.get(`/api/manage/audit${query ? `?${query}` : ""}`);
      actions = (more ? actions : []).concat(answer.actions.filter((a) => matches(a, wanted)));
      before = answer.next_before || null;
      if (answer.actors) C.fill(C.$("known-actors"), ...answer.actors.map((actor) => el("option", { value: actor })));
      draw();
    } catch (error) { C.fill(C.$("audit"), el("tbody", {}, el("tr", {}, el("td", { class: "error" }, error.message)))); }
  }

  function draw() {
    const rows = actions.map((a) => el("tr", {}, el("td", { class: "nowrap" }, C.when(a.received)), el("td", {}, a.by || (a.source === "manage" ? t("unnamed_manager") : a.source) || "–"),
      el("td", {}, t(`type_${a.type}`)), el("td", {}, about(a), el("div", { class: "mono small muted" }, a.id))));
    C.fill(C.$("audit"), el("thead", {}, el("tr", {}, [t("when"), t("who"), t("what"), t("details")].map((h) => el("th", {}, h)))),
      el("tbody", {}, rows.length ? rows : el("tr", { class: "empty" }, el("td", { colspan: "4" }, t("nothing_found")))));
    C.$("audit-older").hidden = !before;
  }

  // GET /api/manage/traffic: integration events per local day, source and type. A
  // server without it (404) leaves the panel out.
  async function traffic() {
    const panel = C.$("traffic-panel");
    try {
      const answer = await C.get("/api/manage/traffic");
      const days = [...new Set(answer.days.map((d) => d.day))];
      const kinds = [...new Set(answer.days.map((d) => `${d.source}\u0000${d.type}`))].sort();
      const count = (day, kind) => answer.days.filter((d) => d.day === day && `${d.source}\u0000${d.type}` === kind).reduce((n, d) => n + d.count, 0);
      C.fill(C.$("traffic"), C.table([t("day"), ...kinds.map((k) => { const [source, type] = k.split("\u0000"); return `${source} · ${t(`type_${type}`)}`; })],
        days.map((day) => el("tr", {}, el("th", { scope: "row" }, day), kinds.map((k) => el("td", { class: "num" }, C.number(count(day, k), 0)))))));
      panel.hidden = false;
    } catch (error) {
      panel.hidden = true;
      if (error.status !== 404) throw error;
    }
  }

  // The raw event box, for what no form covers.
  async function sendRaw() {
    const result = C.$("event-result");
    try {
      const parsed = JSON.parse(C.$("event-json").value);
      const events = Array.isArray(parsed) ? parsed : [parsed];
      for (const item of events) {
        item.id = item.id || `${item.type}-${Date.now()}-${Math.random().toString(16).slice(2, 8)}`;
        item.ts = item.ts || new Date().toISOString();
      }
      const { data } = await C.call("POST", "/api/events", events);
      C.done(result, t("raw_stored", { accepted: data.accepted, duplicates: data.duplicates }));
    } catch (error) {
      if (error instanceof SyntaxError) C.fill(result, el("p", { class: "error" }, `${t("not_json")}: ${error.message}`));
      else C.showRefusal(C.$("advanced"), result, error);
    }
  }

  function show() {
    load(false);
    traffic().catch(() => {});
  }

  function init() {
    C.$("audit-form").addEventListener("submit", (submit) => { submit.preventDefault(); load(false); });
    C.$("audit-older").addEventListener("click", () => load(true));
    C.$("event-send").addEventListener("click", sendRaw);
    C.$("rules-load").addEventListener("click", () => {
      // A rules event replaces the whole rule set: start from the one in force.
      C.$("event-json").value = JSON.stringify({ type: "rules", rules: C.draft.inForce() }, null, 2);
      C.done(C.$("event-result"), t("rules_loaded", { version: C.draft.inForceVersion() }));
    });
    const period = C.$("commission-period");
    const link = C.$("commission-link");
    period.addEventListener("change", () => { link.href = `/api/manage/commission.csv?period=${period.value}`; });
  }

  return { init, show };
})(Console);

// The access tab: tokens for wall screens, agents' widgets, integrations and scripts;
// and the audit tab: who changed what, the commission export, and the raw event box.
"use strict";

Console.access = (function (C) {
  const { el, t } = C;

  let tokens = [];
  async function loadTokens() {
    tokens = (await C.get("/api/manage/tokens")).tokens;
    drawTokens();
  }

  function drawTokens() {
    C.$("tokens").replaceChildren(el("thead", {}, el("tr", {}, [t("label"), t("role"), t("agent"), t("created"), t("state"), ""].map((h) => el("th", {}, h)))),
      el("tbody", {}, [...tokens].reverse().map((token) => {
        const action = el("td", { class: "nowrap" });
        if (!token.revoked) {
          action.append(C.button(t("revoke"), () => C.confirmInline(action, t("revoke_question"), t("revoke"), async () => {
            try { await C.call("POST", `/api/manage/tokens/${encodeURIComponent(token.id)}/revoke`); loadTokens(); } catch (error) { action.replaceChildren(el("span", { class: "error" }, error.message)); }
          }), { class: "secondary" }));
        }
        return el("tr", { "data-token": token.id }, el("th", { scope: "row" }, token.label || el("span", { class: "muted" }, token.id)),
          el("td", {}, t(`role_${token.role}`)), el("td", {}, token.agent ? C.name("agent", token.agent) : ""),
          el("td", {}, C.when(token.created)), el("td", {}, token.revoked ? t("revoked") : t("active")), action);
      })));
  }

  async function createToken(submit) {
    submit.preventDefault();
    const form = submit.target;
    const result = C.$("token-result");
    if (!C.checkForm(form, result)) return;
    try {
      const { data } = await C.call("POST", "/api/manage/tokens", { role: form.role.value,
        agent: form.role.value === "agent" ? form.agent.value.trim() : "", label: form.label.value.trim() });
      const page = data.role === "agent" ? "/me" : data.role === "display" ? "/board" : null;
      result.replaceChildren(el("p", {}, t("shown_once"), " ", el("span", { class: "token" }, data.token)),
        page ? el("p", {}, t("open_once"), " ", el("span", { class: "token" }, `${location.origin}${page}?token=${data.token}`)) : null);
      loadTokens();
    } catch (error) { C.showRefusal(form, result, error); }
  }

  // The audit log: GET /api/manage/audit with the filters; filtered here as well, for a
  // server that answers the latest actions whatever it is asked. Sales, cancellations
  // and contacts are integration traffic, left out unless asked for.
  async function loadAudit(submit) {
    if (submit) submit.preventDefault();
    const form = C.$("audit-form");
    const filters = { actor: form.actor.value.trim(), type: form.type.value,
      since: form.since.value ? C.fromLocal(`${form.since.value}T00:00`) : "",
      until: form.until.value ? C.fromLocal(`${form.until.value}T23:59`) : "" };
    const query = Object.entries(filters).filter(([, v]) => v).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
    try {
      const { actions } = await C.get(`/api/manage/audit${query ? `?${query}` : ""}`);
      const integrations = form.integrations.checked;
      const shown = actions.filter((a) => (integrations || !C.config.integration_types.includes(a.type))
        && (!filters.actor || a.by === filters.actor) && (!filters.type || a.type === filters.type)
        && (!filters.since || a.received >= filters.since) && (!filters.until || a.received <= filters.until));
      C.$("audit").replaceChildren(el("thead", {}, el("tr", {}, [t("when"), t("who"), t("what"), t("details")].map((h) => el("th", {}, h)))),
        el("tbody", {}, shown.map((a) => el("tr", {}, el("td", {}, C.when(a.received)), el("td", {}, a.by || a.source || "–"),
          el("td", {}, t(`type_${a.type}`)), el("td", {}, a.summary || a.id)))));
      if (!shown.length) C.$("audit").querySelector("tbody").append(el("tr", { class: "empty" }, el("td", { colspan: "4" }, t("nothing_found"))));
    } catch (error) { C.$("audit").replaceChildren(el("tr", {}, el("td", { class: "error" }, error.message))); }
  }

  // The raw event box, for what no form covers yet.
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
      if (error instanceof SyntaxError) result.replaceChildren(el("p", { class: "error" }, `${t("not_json")}: ${error.message}`));
      else C.showRefusal(C.$("advanced"), result, error);
    }
  }

  function init() {
    const form = C.$("token-form");
    const agent = form.agent;
    form.role.addEventListener("change", () => {
      agent.disabled = form.role.value !== "agent";
      agent.required = form.role.value === "agent";
    });
    form.addEventListener("submit", createToken);
    C.$("audit-form").addEventListener("submit", loadAudit);
    C.$("audit-form").integrations.addEventListener("change", () => loadAudit());
    C.onNames(drawTokens);
    C.$("audit-load").addEventListener("click", () => loadAudit());
    C.$("event-send").addEventListener("click", sendRaw);
    C.$("rules-load").addEventListener("click", () => {
      // A rules event replaces the whole rule set: start from the one in force.
      C.$("event-json").value = JSON.stringify({ type: "rules", rules: C.draft.inForce() }, null, 2);
      C.done(C.$("event-result"), t("rules_loaded", { version: C.draft.inForceVersion() }));
    });
    const period = C.$("commission-period");
    const link = C.$("commission-link");
    period.addEventListener("change", () => { link.href = `/api/manage/commission.csv?period=${period.value}`; });
    loadTokens().catch(() => {});
  }

  return { init, loadTokens, loadAudit };
})(Console);

// The access tab: tokens for wall screens, agents' widgets, integrations and scripts.
"use strict";

Console.access = (function (C) {
  const { el, t } = C;

  let tokens = [];
  async function loadTokens() {
    tokens = (await C.get("/api/manage/tokens")).tokens;
    drawTokens();
  }

  function drawTokens() {
    C.fill(C.$("tokens"), el("thead", {}, el("tr", {}, [t("label"), t("role"), t("agent"), t("created"), t("state"), ""].map((h) => el("th", {}, h)))),
      el("tbody", {}, [...tokens].reverse().map((token) => {
        const action = el("td", { class: "nowrap" });
        if (!token.revoked) {
          action.append(C.button(t("revoke"), () => C.confirmInline(action, t("revoke_question"), t("revoke"), async () => {
            try { await C.call("POST", `/api/manage/tokens/${encodeURIComponent(token.id)}/revoke`); loadTokens(); } catch (error) { C.fill(action, el("span", { class: "error" }, error.message)); }
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
      C.fill(result, el("p", {}, t("shown_once"), " ", el("span", { class: "token" }, data.token)),
        page ? el("p", {}, t("open_once"), " ", el("span", { class: "token" }, `${location.origin}${page}?token=${data.token}`)) : null);
      loadTokens();
    } catch (error) { C.showRefusal(form, result, error); }
  }

  function init() {
    const form = C.$("token-form");
    const agent = form.agent;
    form.role.addEventListener("change", () => {
      agent.disabled = form.role.value !== "agent";
      agent.required = form.role.value === "agent";
    });
    form.addEventListener("submit", createToken);
    C.onNames(drawTokens);
    loadTokens().catch(() => {});
  }

  return { init, loadTokens };
})(Console);

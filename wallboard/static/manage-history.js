// The rule set in force and the versions before it, each with what it changed.
"use strict";

Console.history = (function (C) {
  const { el, t } = C;

  // GET /api/rules: {in_force: {version, effective_from, received, by, rules},
  // history: [{..., changes: [{path, from, to}]}]}. A server without it answers 404;
  // then the version in force comes from the console's live frame alone.
  async function fetchRules() {
    try {
      return await C.get("/api/rules");
    } catch (error) {
      if (error.status === 404 || error.status === 405) return null;
      throw error;
    }
  }

  // The server names a key added or removed whole ({"base": 30, ...}): one line per
  // value inside it, as the draft's own changes are said.
  function leaves(change) {
    const steps = String(change.path).split(".");
    const side = (value) => (value === null ? undefined : value);
    return C.draft.diff(side(change.from), side(change.to), steps);
  }

  function changesList(changes) {
    const lines = (changes || []).flatMap(leaves);
    if (!lines.length) return el("p", { class: "muted" }, t("no_changes_listed"));
    return el("ul", { class: "changes" }, lines.map((change) => el("li", {},
      el("span", { class: "what" }, C.describe.path(change.path)), ": ",
      el("span", { class: "from" }, C.describe.value(change.path, change.from)), " → ",
      el("span", { class: "to" }, C.describe.value(change.path, change.to)))));
  }

  function version(entry, current) {
    return el("li", { class: current ? "version current" : "version" },
      el("div", { class: "version-head" }, el("b", {}, entry.version),
        current ? el("span", { class: "badge ok" }, t("in_force")) : null,
        entry.scheduled ? el("span", { class: "badge warn" }, t("scheduled")) : null,
        entry.effective_from ? ` · ${t("effective_from")} ${C.when(entry.effective_from)}` : ` · ${t("defaults")}`,
        entry.by ? ` · ${t("by")} ${entry.by}` : "",
        entry.received ? el("span", { class: "muted" }, ` · ${t("published")} ${C.when(entry.received)}`) : null),
      entry.changes ? changesList(entry.changes) : null);
  }

  async function render() {
    const holder = C.$("rules-history");
    const latest = C.latest();
    let answer = null;
    try {
      answer = await fetchRules();
    } catch (error) {
      C.fill(holder, el("p", { class: "error" }, error.message));
      return;
    }
    if (answer === null) {
      const current = latest && latest.rules ? latest.rules.version : "default";
      C.fill(holder, el("p", {}, t("in_force"), ": ", el("b", {}, current)),
        el("p", { class: "muted" }, t("history_unavailable")));
      return;
    }
    // Newest first, as the server orders them.
    const history = [...(answer.history || [])];
    const inForce = answer.in_force;
    if (inForce && !history.some((entry) => entry.version === inForce.version)) history.unshift(inForce);
    C.fill(holder, el("ol", { class: "versions" },
      history.map((entry) => version(entry, inForce && entry.version === inForce.version))));
  }

  let shownVersion = null;
  C.onFrame((state) => {
    const now = state.rules && state.rules.version;
    if (now !== shownVersion && !C.$("tab-rules").hidden) render();
    shownVersion = now;
  });

  return { render };
})(Console);

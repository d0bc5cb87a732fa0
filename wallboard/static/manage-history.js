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
    return C.draft.diff(side(change.from), side(change.to), steps).filter((line) => !noughtAdded(line));
  }

  // A commission of "5 % of revenue" is stored with "0 € per unit" beside it: a part
  // that comes or goes as zero changes nothing and is not said.
  function noughtAdded(line) {
    const steps = typeof line.path === "string" ? line.path.split(".") : line.path;
    const part = steps[steps.length - 1];
    if (steps[0] !== "commission" || (part !== "fixed" && part !== "percent")) return false;
    const zero = (value) => value === undefined || value === null || Number(value) === 0;
    return zero(line.from) && zero(line.to);
  }

  function changesList(changes) {
    const lines = (changes || []).flatMap(leaves);
    if (!lines.length) return el("p", { class: "muted" }, t("no_changes_listed"));
    return el("ul", { class: "changes" }, lines.map((change) => el("li", {},
      el("span", { class: "what" }, C.describe.path(change.path)), ": ",
      el("span", { class: "from" }, C.describe.value(change.path, change.from)), " → ",
      el("span", { class: "to" }, C.describe.value(change.path, change.to)))));
  }

  function version(entry, current, inForce) {
    return el("li", { class: current ? "version current" : entry.hidden ? "version trial" : "version", "data-version": entry.version },
      el("div", { class: "version-head" }, el("b", {}, entry.version),
        current ? el("span", { class: "badge ok" }, t("in_force")) : null,
        entry.hidden ? el("span", { class: "badge" }, t("trial")) : null,
        entry.scheduled && !entry.hidden ? el("span", { class: "badge warn" }, t("scheduled")) : null,
        entry.effective_from ? ` · ${t(entry.hidden ? "trial_from" : "effective_from")} ${C.when(entry.effective_from)}` : ` · ${t("defaults")}`,
        entry.by ? ` · ${t("by")} ${entry.by}` : "",
        entry.received ? el("span", { class: "muted" }, ` · ${t("published")} ${C.when(entry.received)}`) : null),
      entry.changes ? changesList(entry.changes) : null,
      entry.hidden ? trial(entry, inForce) : null);
  }

  // A hidden trial scores nothing live: what it would have paid since it was set is
  // a what-if over those days, and publishing it is taking it into the draft. It
  // stands in for the set in force: where that set was published after the trial's
  // date, the trial pays from a second after it (a later set would win by its date).
  function trial(entry, inForce) {
    const result = el("div", { class: "result" });
    const details = el("div", { class: "trial-details", hidden: true });
    const bar = el("progress", { max: "1", hidden: true });
    const holder = el("div", { class: "trial-actions" });
    const clock = () => { const latest = C.latest(); return latest && latest.clock ? new Date(latest.clock).getTime() : Date.now(); };
    const live = inForce && inForce.effective_from ? new Date(inForce.effective_from).getTime() + 1000 : 0;
    const since = Math.max(new Date(entry.effective_from).getTime(), live);
    const ts = new Date(since).toISOString().replace(/\.\d+Z$/, "Z");
    const days = () => Math.max(1, Math.min(366, Math.ceil((clock() - since) / 86400000)));
    const events = async () => [{ type: "rules", ts, rules: entry.rules }];
    C.fill(holder,
      C.button(t("trial_whatif"), () => Console.publish.whatIf(events, days(), holder, result, bar, details, t("trial_differences")), { class: "secondary" }), " ",
      C.button(t("trial_adopt"), () => { C.draft.adopt(entry.rules); location.hash = "publish"; }, { class: "secondary" }),
      bar, result, details);
    return holder;
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
      history.map((entry) => version(entry, inForce && entry.version === inForce.version, inForce))));
  }

  let shownVersion = null;
  C.onFrame((state) => {
    const now = state.rules && state.rules.version;
    if (now !== shownVersion && !C.$("tab-rules").hidden) render();
    shownVersion = now;
  });

  return { render };
})(Console);

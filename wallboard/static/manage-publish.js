// The publish tab: the draft in words, a what-if preview of what it would have paid,
// and publishing it (one batch of events, all or nothing, then the tombolas).
"use strict";

Console.publish = (function (C) {
  const { el, t } = C;
  const draft = C.draft;

  function line(text, key, undo) {
    return el("li", { "data-key": key }, el("span", {}, text), " ",
      C.button(t("undo"), undo, { class: "secondary small", "aria-label": `${t("undo")}: ${text}` }));
  }

  function changes() {
    const rules = draft.ruleChanges().map((change) => line(C.describe.change(change), `rules.${change.path.join(".")}`,
      () => { draft.setRule(change.path, change.from); Console.rules.render(); }));
    const events = draft.events().map((item) => line(C.describe.event(item.event), item.key, () => draft.remove(item.key)));
    const tombolas = draft.tombolas().map((item) => line(C.describe.event(item.event), item.key, () => draft.remove(item.key)));
    if (!rules.length && !events.length && !tombolas.length) return el("p", { class: "muted", "data-testid": "draft-empty" }, t("draft_empty"));
    return el("div", {},
      rules.length ? [el("h3", {}, t("rule_changes")), el("ul", { class: "changes", id: "draft-rules" }, rules)] : null,
      events.length ? [el("h3", {}, t("prize_changes")), el("ul", { class: "changes", id: "draft-events" }, events)] : null,
      tombolas.length ? [el("h3", {}, t("tombolas_to_open")), el("ul", { class: "changes", id: "draft-tombolas" }, tombolas)] : null);
  }

  function render() {
    C.fill(C.$("draft-changes"), changes());
    const count = draft.count();
    C.$("draft-count").textContent = count ? String(count) : "";
    C.$("draft-bar").hidden = count === 0;
    C.$("draft-bar-text").textContent = t("draft_bar", { n: count });
    C.$("publish").disabled = count === 0;
    C.$("draft-version").placeholder = draft.version();
    C.$("draft-when").hidden = draft.ruleChanges().length === 0;
  }

  function fields() {
    C.$("draft-version").value = draft.meta("version");
    C.$("draft-effective").value = draft.meta("effective");
    C.$("draft-hidden").checked = Boolean(draft.meta("hidden"));
  }

  // A refused batch: each problem beside its change here, and a rule's beside its input
  // on the rules tab as well.
  function refused(error) {
    const result = C.$("publish-result");
    C.clearErrors(C.$("draft-changes"));
    C.clearErrors(C.$("rules-forms"));
    const rest = [];
    for (const problem of C.problems(error)) {
      const event = error.batch && problem.index !== undefined ? error.batch[problem.index] : null;
      let shown = false;
      const rule = event && event.type === "rules" && problem.field.startsWith("rules.");
      if (rule) C.fieldError(C.$("rules-forms"), problem.field, problem.message);
      const key = rule ? problem.field : event ? event.id : error.tombola;
      const item = key && C.$("draft-changes").querySelector(`[data-key="${CSS.escape(key)}"]`);
      if (item) {
        item.append(el("span", { class: "field-error", role: "alert" }, rule ? problem.message : `${problem.field}: ${problem.message}`));
        shown = true;
      }
      if (!shown) rest.push(problem.field ? `${C.describe.path(problem.field)}: ${problem.message}` : problem.message);
    }
    C.fill(result, el("p", { class: "error", role: "alert" }, error.message),
      rest.length ? el("ul", { class: "plain error" }, rest.map((text) => el("li", {}, text))) : null);
  }

  async function publish() {
    const result = C.$("publish-result");
    if (!C.checkForm(C.$("draft-when"), result)) return;
    const count = draft.count();
    const trial = draft.ruleChanges().length > 0 && Boolean(draft.meta("hidden"));
    C.$("publish").disabled = true;
    try {
      await draft.publish();
      render();
      fields();
      C.fill(result, el("p", { class: "done", "data-testid": "published" },
        t("published_n", { n: count }), trial ? ` ${t("published_trial")}` : ""));
      Console.prizes.load().then(() => Console.awards.load()).catch(() => {});
    } catch (error) {
      render();
      refused(error);
    }
  }

  // POST /api/whatif {events, days}: the draft folded into the last `days` days of the
  // log as if posted at the window's start (the server dates events without a ts
  // then, and names them), against what the log paid. The answer is the result
  // (200), or a job to follow (202: its address in Location, or `poll`) whose
  // `progress` (0 to 1) moves the bar until it is `done`. Tombolas need a seed of the
  // server's and are left out.
  //
  // A rule set takes effect by its ts: one published within the window would win
  // over a draft dated at the window's start from its own ts on. So the draft's rule
  // set takes effect a second after the set in force (or at the window's start, if
  // that is later): it pays for everything since, where the set in force paid.
  async function whatIfEvents(days) {
    const latest = C.latest();
    const clock = latest && latest.clock ? new Date(latest.clock).getTime() : Date.now();
    const start = clock - days * 86400000;
    let since = null;
    try {
      const inForce = (await C.get("/api/rules")).in_force;
      if (inForce && inForce.effective_from) since = new Date(inForce.effective_from).getTime() + 1000;
    } catch (error) {
      if (error.status !== 404) throw error;
    }
    return draft.batch().map(({ id, ts, ...event }) => {
      if (event.type === "rules" && since !== null && since > start) event.ts = new Date(since).toISOString().replace(/\.\d+Z$/, "Z");
      return event;
    });
  }

  async function runWhatIf() {
    const days = Number(C.$("whatif-days").value) || 28;
    await whatIf(() => whatIfEvents(days), days, C.$("whatif"), C.$("whatif-result"), C.$("whatif-progress"));
  }

  // Runs a what-if of the events `make` gives, with a progress bar, into result.
  async function whatIf(make, days, panel, result, bar, details, title) {
    details = details || C.$("whatif-details");
    bar.hidden = false;
    bar.removeAttribute("value");
    details.hidden = true;
    C.fill(result, el("p", { class: "muted" }, t("whatif_running")));
    try {
      const events = await make();
      if (!events.length) { C.fill(result, el("p", { class: "muted" }, t("whatif_nothing"))); return; }
      const first = await C.call("POST", "/api/whatif", { events, days });
      const answer = first.status === 202 ? await follow(first, bar) : first.data;
      Console.whatif.show(result, answer, details, title);
    } catch (error) {
      if (error.status === 404 || error.status === 405) C.fill(result, el("p", { class: "muted" }, t("whatif_unavailable")));
      else C.showRefusal(panel, result, error);
    } finally {
      bar.hidden = true;
    }
  }

  async function follow(first, bar) {
    const address = first.headers.get("Location") || first.data.poll || first.data.status_url || `/api/whatif/${encodeURIComponent(first.data.job)}`;
    let data = first.data;
    for (;;) {
      if (typeof data.progress === "number") bar.value = data.progress;
      if (data.state === "failed" || data.state === "error") throw new Error(data.error || t("whatif_failed"));
      if (data.state === "done" || data.result) return data.result || data;
      await new Promise((resolve) => setTimeout(resolve, 400));
      data = (await C.call("GET", address)).data;
    }
  }

  function init() {
    C.$("publish").addEventListener("click", publish);
    C.$("whatif-run").addEventListener("click", runWhatIf);
    C.$("discard").addEventListener("click", () => C.confirmInline(C.$("discard-holder"), t("discard_question"), t("discard"), () => {
      draft.discard();
      fields();
      Console.rules.render();
      C.fill(C.$("publish-result"));
    }));
    C.$("draft-version").addEventListener("change", (change) => draft.setMeta("version", change.target.value.trim()));
    C.$("draft-effective").addEventListener("change", (change) => draft.setMeta("effective", change.target.value));
    C.$("draft-hidden").addEventListener("change", (change) => draft.setMeta("hidden", change.target.checked));
    draft.onChange(render);
    // The rule set in force changed: the draft's differences from it did too.
    let version = null;
    C.onFrame((state) => {
      if (state.rules && state.rules.version !== version) render();
      version = state.rules && state.rules.version;
    });
    fields();
    render();
  }

  return { init, render, whatIf };
})(Console);

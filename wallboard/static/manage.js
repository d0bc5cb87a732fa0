// The manager console: forms that write events, and the live overview.
"use strict";

(function () {
  const config = Live.config();
  config.strings = { live: "live", offline: "offline" };
  const { el } = Live;
  const $ = (id) => document.getElementById(id);
  let sites = [];

  $("logout-csrf").value = config.csrf;

  async function call(method, path, body, raw) {
    const headers = { "X-CSRF-Token": config.csrf };
    if (!raw) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { method, credentials: "same-origin", headers,
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body) });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(describe(data));
    return data;
  }

  function describe(data) {
    let text = data.error || "failed";
    for (const bad of data.invalid || []) text += "\n" + JSON.stringify(bad.problems);
    for (const bad of data.errors || []) text += `\nline ${bad.line}: ${bad.error}`;
    return text;
  }

  function show(id, ...children) { $(id).replaceChildren(...children); }
  function fail(id, error) { show(id, el("p", { class: "error" }, error.message)); }

  let latest = null;

  function overview(state) {
    latest = state;
    show("overview",
      el("p", {}, `log offset ${state.offset} · clock ${state.clock || "-"} · ${state.sites} sites · ${state.teams} teams · ${state.agents} agents · ${state.sales} sales`),
      el("ul", { class: "plain" }, state.seasons.map((s) => el("li", {},
        `${s.name} (${s.season}): ${s.matchdays} matchdays, ${s.clubs.length} clubs${s.ended ? ", ended, champion " + s.champion : ""}`))),
      el("ul", { class: "plain" }, state.tombolas.map((x) => el("li", {},
        `${x.name}: ${x.state}, seed hash ${x.seed_hash.slice(0, 16)}…${x.state === "drawn" ? `, winners ${x.winners.join(", ")}, ${x.verified ? "verified" : "NOT verified: " + x.problems.join("; ")}` : ""}`))));
  }

  function seasonEvent() {
    const form = $("season-form");
    const clubs = [...document.querySelectorAll("#season-clubs input[type=number]")]
      .filter((input) => input.closest("label").querySelector("input[type=checkbox]").checked)
      .map((input) => {
        const site = sites.find((s) => s.site === input.name);
        const club = { club: site.site, name: site.name, heads: Number(input.value) || 1 };
        if (site.short_name) club.short_name = site.short_name;
        if (site.colour) club.colour = site.colour;
        return club;
      });
    return { type: "league_season", season: form.season.value, name: form.name.value,
      starts: form.starts.value, matchday_days: Number(form.matchday_days.value),
      double: form.double.checked, goal_every: Number(form.goal_every.value), clubs };
  }

  async function loadSites() {
    sites = (await call("GET", "/api/manage/roster")).sites;
    show("season-clubs", ...sites.map((s) => el("label", { class: "club-choice" },
      el("input", { type: "checkbox", checked: "checked" }), ` ${s.name} `,
      el("input", { type: "number", name: s.site, min: "1", value: String(Math.max(1, s.heads)), size: "4" }), " heads ")));
  }

  $("season-preview").addEventListener("click", async () => {
    try {
      const event = seasonEvent();
      delete event.type;
      const preview = await call("POST", "/api/seasons/preview", event);
      if (preview.calibrated_goal_every) $("season-form").goal_every.value = preview.calibrated_goal_every;
      show("season-result", el("p", {}, `${preview.matches.length} matches; calibrated goal every: ${preview.calibrated_goal_every || "no sales to calibrate from"}`),
        el("table", {}, preview.matches.map((m) => el("tr", {}, el("td", {}, m.matchday),
          el("td", {}, `${m.home} – ${m.away}`), el("td", {}, m.starts), el("td", {}, m.ends)))));
    } catch (error) { fail("season-result", error); }
  });

  $("season-launch").addEventListener("click", async () => {
    try {
      const event = seasonEvent();
      event.id = `season-${event.season}`;
      event.ts = new Date().toISOString();
      await call("POST", "/api/events", event);
      show("season-result", el("p", { "data-testid": "season-launched" }, `Season ${event.name} launched.`));
    } catch (error) { fail("season-result", error); }
  });

  async function event(type, fields, target) {
    try {
      await call("POST", "/api/events", { id: `${type}-${Date.now()}`, type,
        ts: new Date().toISOString(), ...fields });
      show(target, el("p", {}, `${type} stored.`));
    } catch (error) { fail(target, error); }
  }

  $("forfeit-form").addEventListener("submit", (submit) => {
    submit.preventDefault();
    const form = submit.target;
    event("forfeit", { season: form.season.value, match: form.match.value, club: form.club.value }, "season-action");
  });
  $("end-form").addEventListener("submit", (submit) => {
    submit.preventDefault();
    if (confirm("End the season now? The leader becomes champion.")) {
      event("league_end", { season: submit.target.season.value }, "season-action");
    }
  });

  $("tombola-form").addEventListener("submit", async (submit) => {
    submit.preventDefault();
    const form = submit.target;
    try {
      const opened = await call("POST", "/api/tombolas", {
        tombola: form.tombola.value, name: form.name.value,
        prizes: form.prizes.value.split(",").map((p) => p.trim()).filter(Boolean),
        closes: new Date(form.closes.value).toISOString(), every: Number(form.every.value),
        exclude_prize_winners: form.exclude_prize_winners.checked });
      show("tombola-result", el("p", {}, `Opened; published seed hash ${opened.seed_hash}`));
    } catch (error) { fail("tombola-result", error); }
  });

  async function loadTokens() {
    const { tokens } = await call("GET", "/api/manage/tokens");
    show("tokens", ...tokens.map((token) => el("tr", {}, el("td", {}, token.id), el("td", {}, token.role),
      el("td", {}, token.agent || ""), el("td", {}, token.label), el("td", {}, token.revoked ? "revoked" : "active"),
      el("td", {}, token.revoked ? "" : (() => {
        const button = el("button", { type: "button" }, "Revoke");
        button.addEventListener("click", async () => { await call("POST", `/api/manage/tokens/${token.id}/revoke`); loadTokens(); });
        return button;
      })()))));
  }

  $("token-form").addEventListener("submit", async (submit) => {
    submit.preventDefault();
    const form = submit.target;
    try {
      const created = await call("POST", "/api/manage/tokens", { role: form.role.value,
        agent: form.agent.value, label: form.label.value });
      const page = created.role === "agent" ? "/me" : created.role === "display" ? "/board" : null;
      show("token-result", el("p", {}, "Shown once: ", el("span", { class: "token" }, created.token),
        page ? el("span", {}, " · open ", el("span", { class: "token" }, `${location.origin}${page}?token=${created.token}`)) : ""));
      loadTokens();
    } catch (error) { fail("token-result", error); }
  });

  async function roster(commit) {
    try {
      const result = await call("POST", `/api/manage/roster${commit ? "?commit=1" : ""}`, $("roster-csv").value, true);
      show("roster-result", el("p", {}, `${result.agents.length} agents ${result.committed ? "imported" : "ready to import"}`));
      if (commit) loadSites();
    } catch (error) { fail("roster-result", error); }
  }
  $("roster-preview").addEventListener("click", () => roster(false));
  $("roster-commit").addEventListener("click", () => roster(true));

  $("event-send").addEventListener("click", async () => {
    try {
      const event = JSON.parse($("event-json").value);
      const events = Array.isArray(event) ? event : [event];
      for (const item of events) {
        item.id = item.id || `${item.type}-${Date.now()}-${Math.random().toString(16).slice(2, 8)}`;
        item.ts = item.ts || new Date().toISOString();
      }
      const result = await call("POST", "/api/events", events);
      show("event-result", el("p", {}, `${result.accepted} stored, ${result.duplicates} duplicates`));
      loadSites();
    } catch (error) { fail("event-result", error); }
  });

  // A rules event replaces the whole rule set: start from the one in force, not from
  // a blank that would put every rule left out back to its default.
  $("rules-load").addEventListener("click", () => {
    if (!latest) return;
    $("event-json").value = JSON.stringify({ type: "rules", rules: latest.rules.rules }, null, 2);
    show("event-result", el("p", {}, `Rules ${latest.rules.version}: change them and send.`));
  });

  $("audit-load").addEventListener("click", async () => {
    const { actions } = await call("GET", "/api/manage/audit");
    show("audit", ...actions.map((a) => el("tr", {}, el("td", {}, a.received), el("td", {}, a.by),
      el("td", {}, a.type), el("td", {}, a.id))));
  });

  $("season-form").starts.value = new Date().toISOString().slice(0, 10);
  loadSites().catch(() => {});
  loadTokens().catch(() => {});
  Live.connect(config, { state: overview, events: () => {} });
})();

// The people tab: sites, teams and agents (with who opted out of public boards), new
// sites and teams, and the roster import with its dry run.
"use strict";

Console.people = (function (C) {
  const { el, t } = C;
  let roster = { sites: [] };

  function labelled(text, node, unit) {
    return el("label", { class: "field" }, el("span", { class: "label" }, text), node, unit ? el("span", { class: "unit" }, unit) : null);
  }

  // GET /api/manage/roster: today {sites}; with teams and agents as the server adds
  // them ({teams: [{team, name, site}], agents: [{agent, name, public_name, team, site,
  // opt_out, active}]}), the list below shows every agent by site and team.
  async function load() {
    roster = await C.get("/api/manage/roster");
    roster.sites.sort((a, b) => a.name.localeCompare(b.name));
    C.learn("site", Object.fromEntries(roster.sites.map((s) => [s.site, s.name])));
    if (roster.teams) C.learn("team", Object.fromEntries(roster.teams.map((team) => [team.team, team.name])));
    if (roster.agents) {
      C.learn("agent", Object.fromEntries(roster.agents.map((a) => [a.agent, a.name])));
      // The token form offers agents by name.
      C.fill(C.$("known-agents"), ...roster.agents.map((a) => el("option", { value: a.agent, label: a.name })));
    }
    render();
  }

  function agentRow(agent) {
    const row = el("tr", { "data-agent": agent.agent, class: agent.active === false ? "inactive" : "" },
      el("th", { scope: "row" }, agent.name, externalIdsLine(agent)), el("td", {}, agent.public_name || el("span", { class: "muted" }, t("initials"))),
      el("td", {}, agent.opt_out ? el("span", { class: "badge warn" }, t("opted_out")) : t("on_boards")),
      el("td", {}, agent.active === false ? t("inactive") : t("active")),
      el("td", { class: "actions" }, C.button(t("edit"), () => toggleEditor(row, agent), { class: "secondary small" })));
    return row;
  }

  function externalIdsLine(agent) {
    const ids = Object.entries(agent.external_ids || {});
    if (!ids.length) return null;
    return el("span", { class: "muted small external-ids-line", title: t("external_ids") },
      ids.map(([system, id]) => `${system} ${id}`).join(" · "));
  }

  // One agent's line opens a form under it: the roster fields (an `agent` event, from
  // now) and a personal goal (a `goal` event).
  function toggleEditor(row, agent) {
    const next = row.nextElementSibling;
    if (next && next.classList.contains("editor")) { next.remove(); return; }
    const cell = el("td", { colspan: "5" }, agentForm(agent), goalForm(agent));
    row.after(el("tr", { class: "editor", "data-editor": agent.agent }, cell));
  }

  function agentForm(agent) {
    const result = el("div", { class: "result" });
    const siteName = (id) => C.names.site[id] || id;
    const teams = [...(roster.teams || [])].sort((a, b) => `${siteName(a.site)} ${a.name}`.localeCompare(`${siteName(b.site)} ${b.name}`));
    const form = el("form", { novalidate: "", class: "inline agent-form" },
      labelled(t("name"), el("input", { name: "name", required: "required", maxlength: "200", size: "16", value: agent.name })),
      labelled(t("team"), el("select", { name: "team", required: "required" }, teams.map((team) =>
        el("option", { value: team.team, ...(team.team === agent.team ? { selected: "selected" } : {}) }, `${siteName(team.site)} · ${team.name}`)))),
      labelled(t("public_name"), el("input", { name: "public_name", maxlength: "40", size: "10", value: agent.public_name || "" })),
      el("label", { class: "check" }, el("input", { type: "checkbox", name: "opt_out", ...(agent.opt_out ? { checked: "checked" } : {}) }), " ", t("opted_out")),
      el("label", { class: "check" }, el("input", { type: "checkbox", name: "active", ...(agent.active !== false ? { checked: "checked" } : {}) }), " ", t("active")),
      externalIds(agent),
      el("button", { type: "submit" }, t("save")), result);
    form.addEventListener("submit", (submit) => {
      submit.preventDefault();
      if (!C.checkForm(form, result)) return;
      const ids = externalIdsOf(form);
      if (ids === null) return;
      const team = (roster.teams || []).find((each) => each.team === form.team.value);
      const event = { type: "agent", agent: agent.agent, name: form.name.value.trim(), team: team.team, site: team.site,
        opt_out: form.opt_out.checked, active: form.active.checked, external_ids: ids };
      // Left empty, the public name is the initials: the event leaves it out.
      if (form.public_name.value.trim()) event.public_name = form.public_name.value.trim();
      send(event, form, result, false);
    });
    return form;
  }

  // The agent's ids in other systems, a line per system: what connectors find the
  // agent by (the `agent` event's external_ids, sent whole: it replaces the set).
  function externalIds(agent) {
    const lines = el("div", { class: "external-ids" });
    const line = (system, id) => {
      const row = el("div", { class: "external-id" },
        el("input", { name: "external_system", value: system, size: "10", maxlength: "32", list: "external-systems",
          pattern: "[a-z0-9][a-z0-9_\\-]*", "aria-label": t("external_system"), placeholder: t("external_system") }),
        el("input", { name: "external_id", value: id, size: "16", maxlength: "128", "aria-label": t("external_id"), placeholder: t("external_id") }));
      row.append(C.button("×", () => row.remove(), { class: "secondary small", title: t("remove"), "aria-label": t("remove") }));
      lines.append(row);
    };
    for (const [system, id] of Object.entries(agent.external_ids || {})) line(system, id);
    const known = new Set([...C.config.connector_presets.filter((p) => p !== "csv"),
      ...(roster.agents || []).flatMap((a) => Object.keys(a.external_ids || {}))]);
    const systems = C.$("external-systems") || document.body.appendChild(el("datalist", { id: "external-systems" }));
    C.fill(systems, [...known].sort().map((system) => el("option", { value: system })));
    return el("div", { class: "field", "data-field": "external_ids" },
      el("span", { class: "label", title: t("external_ids_help") }, t("external_ids")), lines,
      C.button(t("external_ids_add"), () => { line("", ""); lines.lastChild.firstChild.focus(); }, { class: "secondary small" }));
  }

  // {system: id} from the lines with both filled in; null (and the problem shown)
  // when a line has one without the other.
  function externalIdsOf(form) {
    const ids = {};
    for (const row of form.querySelectorAll(".external-id")) {
      const [system, id] = [...row.querySelectorAll("input")].map((input) => input.value.trim());
      if (!system && !id) continue;
      if (!system || !id) { C.fieldError(form, "external_ids", t("external_ids_pair")); return null; }
      ids[system] = id;
    }
    return ids;
  }

  function goalForm(agent) {
    const result = el("div", { class: "result" });
    const form = el("form", { novalidate: "", class: "inline goal-form" },
      el("span", { class: "label" }, t("personal_goal")),
      labelled(t("goal_title"), el("input", { name: "title", required: "required", maxlength: "80", size: "16" })),
      labelled(t("goal_price"), el("input", { name: "price", required: "required", inputmode: "decimal", size: "7" }), "€"),
      el("button", { type: "submit" }, t("set_goal")), result);
    form.addEventListener("submit", (submit) => {
      submit.preventDefault();
      if (!C.checkForm(form, result)) return;
      const price = Number(form.price.value.replace(",", "."));
      if (!(price > 0)) { C.fieldError(form, "price", t("expected_amount")); return; }
      send({ type: "goal", agent: agent.agent, title: form.title.value.trim(), price: price.toFixed(2), name: agent.name }, form, result, false);
    });
    return form;
  }

  function bySite() {
    if (!roster.agents) {
      return [C.table([t("site"), t("short_name"), t("heads")], roster.sites.map((s) => el("tr", { "data-site": s.site },
        el("th", { scope: "row" }, el("span", { class: "swatch", style: { background: s.colour || "#888" } }), s.name),
        el("td", {}, s.short_name || ""), el("td", { class: "num" }, s.heads)))),
      el("p", { class: "muted" }, t("agents_unavailable"))];
    }
    return roster.sites.map((site) => {
      const teams = (roster.teams || []).filter((team) => team.site === site.site);
      const agentsOf = (team) => roster.agents.filter((a) => a.team === team && a.site === site.site)
        .sort((a, b) => a.name.localeCompare(b.name));
      const hidden = roster.agents.filter((a) => a.site === site.site && a.opt_out).length;
      // Folded: a site's line says how many agents, teams and opt-outs it has.
      return el("details", { class: "site", "data-site": site.site },
        el("summary", {}, el("span", { class: "swatch", style: { background: site.colour || "#888" } }), site.name,
          el("span", { class: "muted" }, ` · ${t("n_agents", { n: site.heads })} · ${t("n_teams", { n: teams.length })}`,
            hidden ? ` · ${t("n_opted_out", { n: hidden })}` : "")),
        teams.map((team) => el("div", { class: "team", "data-team": team.team }, el("h4", {}, team.name),
          C.table([t("name"), t("public_name"), t("public_boards"), t("state"), ""], agentsOf(team.team).map(agentRow)))));
    });
  }

  function siteForm() {
    const result = el("div", { class: "result" });
    const form = el("form", { novalidate: "", id: "site-form", class: "inline" },
      labelled(t("site_name"), el("input", { name: "name", required: "required", maxlength: "200", size: "16" })),
      labelled(t("short_name"), el("input", { name: "short_name", maxlength: "12", size: "6" })),
      labelled(t("colour"), el("input", { name: "colour", type: "color", value: "#1f77b4" })),
      el("button", { type: "submit" }, t("add_site")), result);
    form.addEventListener("submit", (submit) => {
      submit.preventDefault();
      if (!C.checkForm(form, result)) return;
      const event = { type: "site", site: C.slug(form.name.value, new Set(roster.sites.map((s) => s.site))),
        name: form.name.value.trim(), colour: form.colour.value };
      if (form.short_name.value.trim()) event.short_name = form.short_name.value.trim();
      send(event, form, result);
    });
    return form;
  }

  function teamForm() {
    const result = el("div", { class: "result" });
    const form = el("form", { novalidate: "", id: "team-form", class: "inline" },
      labelled(t("team_name"), el("input", { name: "name", required: "required", maxlength: "200", size: "16" })),
      labelled(t("site"), el("select", { name: "site", required: "required" }, el("option", { value: "" }, t("choose_site")),
        roster.sites.map((s) => el("option", { value: s.site }, s.name)))),
      el("button", { type: "submit" }, t("add_team")), result);
    form.addEventListener("submit", (submit) => {
      submit.preventDefault();
      if (!C.checkForm(form, result)) return;
      const taken = new Set((roster.teams || []).map((team) => team.team));
      send({ type: "team", team: C.slug(`${form.site.value} ${form.name.value}`, taken), name: form.name.value.trim(), site: form.site.value }, form, result);
    });
    return form;
  }

  // Posts one event; a new site or team empties its form and reloads the lists. An
  // agent's edit (reset false) is accepted into the log, and folded a moment later:
  // the list shows it at once from what was sent.
  async function send(fields, form, result, reset = true) {
    const { name, ...event } = fields;
    const body = { id: `${fields.type}-${fields[fields.type]}-${Date.now()}`, ts: new Date().toISOString(), ...event };
    if (fields.type !== "goal") body.name = name;
    try {
      await C.call("POST", "/api/events", body);
      C.done(result, t("saved_name", { name }));
      if (reset) {
        form.reset();
        load();
        Console.seasons.loadSites();
      } else if (fields.type === "agent") {
        const { type, id, ts, ...stored } = body;
        roster.agents = roster.agents.map((a) => (a.agent === stored.agent ? { ...a, ...stored } : a));
        C.learn("agent", { [stored.agent]: stored.name });
        C.fill(C.$("people-list"), ...bySite());
        const site = C.$("people-list").querySelector(`details[data-site="${CSS.escape(stored.site)}"]`);
        if (site) site.open = true;
      }
    } catch (error) { C.showRefusal(form, result, error); }
  }

  // The roster import's address: a dry run, the import, or (confirm) the import that
  // also creates the teams and sites the file names and the roster lacks.
  function importUrl(commit, confirm) {
    return confirm ? "/api/manage/roster?confirm=1" : commit ? "/api/manage/roster?commit=1" : "/api/manage/roster";
  }

  // The file as chosen (its bytes: the server reads its encoding and delimiter), or
  // the text in the box once it was typed in.
  let file = null;

  // A dry run's warnings in the page's language, by their kind (the server's message
  // for a kind not known here).
  const WARNINGS = {
    unknown_site: (w) => t("warn_unknown_site", { site: w.site }),
    unknown_team: (w) => t("warn_unknown_team", { team: w.team, site: C.names.site[w.site] || w.site }),
    ignored_column: (w) => t("warn_ignored_column", { column: w.column }),
  };
  function warning(w) {
    const lines = w.lines && w.lines.length ? ` (${t("lines")} ${w.lines.join(", ")})` : "";
    const say = WARNINGS[w.kind];
    return say ? say(w) + lines : w.message || String(w);
  }

  function showImport(data) {
    const result = C.$("roster-result");
    const counts = data.counts;
    const changes = (a) => (a.changes || []).map((c) => t(`change_${c}`)).join(", ") || (a.changes ? t("change_none") : "");
    C.fill(result, 
      el("p", { class: data.committed ? "done" : "" }, data.committed ? t("roster_imported", { n: data.agents.length }) : t("roster_ready", { n: data.agents.length }),
        counts ? ` ${t("roster_counts", counts)}` : ""),
      (data.errors || []).length ? el("ul", { class: "plain error" }, data.errors.map((e) => el("li", {}, `${t("line")} ${e.line}: ${e.error}`))) : null,
      (data.warnings || []).length ? el("ul", { class: "plain warn" }, data.warnings.map((w) => el("li", {}, warning(w)))) : null,
      C.table([t("line"), t("name"), t("team"), t("site"), t("public_name"), t("change")], data.agents.map((a) => el("tr", {},
        el("td", { class: "num" }, a.line || ""), el("th", { scope: "row" }, a.name), el("td", {}, a.team_name || C.names.team[a.team] || a.team),
        el("td", {}, a.site_name || C.names.site[a.site] || a.site), el("td", {}, a.public_name || ""), el("td", {}, changes(a))))));
    C.$("roster-confirm-label").hidden = !data.needs_confirm;
  }

  async function importRoster(commit) {
    const result = C.$("roster-result");
    const confirm = commit && C.$("roster-confirm").checked && !C.$("roster-confirm-label").hidden;
    try {
      const { data } = await C.call("POST", importUrl(commit, confirm), file || C.$("roster-csv").value, true);
      showImport(data);
      if (data.committed) { load(); Console.seasons.loadSites(); }
    } catch (error) {
      // A refused import answers with the same lines, each bad one with its problem.
      if (error.data && error.data.agents) {
        showImport(error.data);
        result.prepend(el("p", { class: "error", role: "alert" }, error.message));
      } else C.showRefusal(C.$("roster-section"), result, error);
    }
  }

  function render() {
    C.fill(C.$("people-list"), ...bySite());
    C.fill(C.$("people-forms"), el("h3", {}, t("add_site")), siteForm(), el("h3", {}, t("add_team")), teamForm());
  }

  function init() {
    C.$("roster-preview").addEventListener("click", () => importRoster(false));
    C.$("roster-commit").addEventListener("click", () => importRoster(true));
    C.$("roster-file").addEventListener("change", async (change) => {
      file = change.target.files[0] || null;
      if (file) C.$("roster-csv").value = await file.text();
    });
    C.$("roster-csv").addEventListener("input", () => { file = null; });
    load().catch((error) => C.fill(C.$("people-list"), el("p", { class: "error" }, error.message)));
  }

  return { init, load };
})(Console);

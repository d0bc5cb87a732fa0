// The contests tab: the form that launches each format, and the contests running,
// hidden and past with their standings, a Reveal for hidden ones and an End.
"use strict";

Console.contests = (function (C) {
  const { el, t } = C;
  const FORMATS = { team_battle: t("format_team_battle"), challenge: t("format_challenge"), cup: t("format_cup"), race: t("format_race") };
  const METRICS = { points: t("metric_points"), sales: t("metric_sales"), confirmed_sales: t("metric_confirmed_sales"),
    revenue: t("metric_revenue"), contacts_resolved: t("metric_contacts_resolved"), mix: t("metric_mix") };
  // What a weighted mix may weigh, and the fairness each format takes, as the fold
  // has them (scoring/contests/model.py), cohorts by team or by tenure.
  const MIXED = C.config.contests.mixed;
  const KINDS = { teams: t("by_teams"), sites: t("by_sites"), agents: t("by_agents"), groups: t("by_groups") };
  const FAIRNESS = { none: t("fairness_none"), target: t("fairness_target"), per_head: t("fairness_per_head"),
    improvement: t("fairness_improvement"), cohort_team: t("fairness_cohort_team"), cohort_tenure: t("fairness_cohort_tenure") };
  const FAIR_FOR = Object.fromEntries(Object.entries(C.config.contests.fairness_of).map(([format, options]) =>
    [format, options.flatMap((o) => (o === "cohort" ? ["cohort_team", "cohort_tenure"] : [o]))]));
  const REPEATS = { "": t("repeat_none"), daily: t("repeat_daily"), weekly: t("repeat_weekly"), monthly: t("repeat_monthly") };
  const STATES = { running: t("running_contests"), issued: t("running_contests"), decided: t("provisional"), final: t("final") };
  let shown = [];
  let reveals = [];
  let seasons = [];
  // The form, while it edits a contest: {definition, started, endsShown, runEnds}.
  let editing = null;
  let editForm = null;

  function labelled(text, node, unit) {
    return el("label", { class: "field" }, el("span", { class: "label" }, text), node, unit ? el("span", { class: "unit" }, unit) : null);
  }
  function choice(name, options, value) {
    return el("select", { name }, Object.entries(options).map(([key, text]) =>
      el("option", { value: key, ...(key === value ? { selected: "selected" } : {}) }, text)));
  }
  function ids(text) { return text.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean); }
  // Named groups, one a line: "Name: id, id, id".
  function groupsOf(text) {
    const found = {};
    for (const line of text.split("\n")) {
      const at = line.indexOf(":");
      if (at > 0 && line.slice(0, at).trim()) found[line.slice(0, at).trim()] = ids(line.slice(at + 1));
    }
    return found;
  }
  // The cup's windows, rounds times legs, sharing starts to ends equally (as the fold
  // does without them).
  function evenRounds(from, to, count) {
    const a = new Date(from).getTime();
    const step = (new Date(to).getTime() - a) / count;
    return Array.from({ length: count }, (_, n) => [new Date(a + n * step), new Date(a + (n + 1) * step)]);
  }

  function form() {
    const result = el("div", { class: "result", id: "contest-result" });
    const starts = el("input", { name: "starts", type: "datetime-local", required: "required" });
    const ends = el("input", { name: "ends", type: "datetime-local", required: "required" });
    const today = C.toLocal(new Date()).slice(0, 11);
    starts.value = `${today}08:00`;
    ends.value = C.toLocal(new Date(Date.now() + 7 * 86400000)).slice(0, 11) + "18:00";
    const fairness = choice("fairness", FAIRNESS, "none");
    const season = el("select", { name: "season" });
    const parts = {
      sides: el("div", { class: "fields", "data-for": "team_battle cup race" },
        labelled(t("sides_by"), choice("kind", KINDS, "teams")),
        labelled(t("participants_ids"), el("input", { name: "participants", size: "40", maxlength: "4000", list: "known-agents" })),
        labelled(t("groups_lines"), el("textarea", { name: "groups", rows: "3", cols: "44", maxlength: "8000",
          placeholder: t("groups_placeholder") }))),
      challenge: el("div", { class: "fields", "data-for": "challenge" },
        labelled(t("challenger"), el("input", { name: "challenger", size: "12", maxlength: "128" })),
        labelled(t("opponent"), el("input", { name: "opponent", size: "12", maxlength: "128" })),
        labelled(t("stake"), el("input", { name: "stake", type: "number", min: "0", max: "1000000", step: "1", value: "0", size: "6" }))),
      cup: el("div", { class: "fields", "data-for": "cup" },
        labelled(t("cup_legs"), choice("legs", { 1: t("cup_one_leg"), 2: t("cup_two_legs") }, "1")),
        el("label", {}, el("input", { type: "checkbox", name: "away_goals" }), " ", t("away_goals")),
        labelled(t("cup_seeding"), choice("seeding", { listed: t("seed_as_listed"), season: t("seed_from_season") }, "listed")),
        labelled(t("tab_league"), season),
        el("p", { class: "help" }, t("cup_rounds_help")),
        el("label", {}, el("input", { type: "checkbox", name: "own_rounds" }), " ", t("cup_own_rounds")),
        el("div", { class: "fields", id: "cup-rounds", "data-field": "rounds" })),
      race: el("div", { class: "fields", "data-for": "race" },
        labelled(t("race_target"), el("input", { name: "target", type: "number", min: "0.01", step: "any", value: "10", size: "6" })),
        labelled(t("race_places"), el("input", { name: "places", type: "number", min: "1", max: "10", step: "1", value: "3", size: "3" }))),
    };
    // Shown by the metric and the fairness chosen, not by the format.
    const weights = el("div", { class: "fields", id: "mix-weights" }, el("p", { class: "help" }, t("mix_help")),
      MIXED.map((m) => labelled(METRICS[m], el("input", { name: `weight_${m}`, type: "number", step: "any", value: m === "points" ? "1" : "0", size: "5" }))));
    const targets = el("div", { class: "fields", id: "contest-targets", "data-field": "targets" });
    const preview = el("button", { type: "button", class: "secondary", id: "contest-preview" }, t("contest_preview"));
    const launchButton = el("button", { type: "submit", id: "contest-launch" }, t("contest_launch"));
    const cancelEdit = el("button", { type: "button", class: "secondary", id: "contest-edit-cancel", hidden: "" }, t("cancel"));
    const editNote = el("p", { class: "help", id: "contest-edit-note", role: "status", hidden: "" });
    const node = el("form", { novalidate: "", id: "contest-form", class: "stack" },
      el("div", { class: "fields" },
        labelled(t("contest_name"), el("input", { name: "name", required: "required", maxlength: "200", size: "24" })),
        labelled(t("contest_format"), choice("format", FORMATS, "team_battle")),
        labelled(t("contest_metric"), choice("metric", METRICS, "points"))),
      el("div", { class: "fields" }, labelled(t("contest_starts"), starts, C.clock.zone), labelled(t("contest_ends"), ends)),
      weights, parts.sides, parts.challenge, parts.cup, parts.race,
      el("div", { class: "fields" }, labelled(t("fairness"), fairness),
        labelled(t("baseline_windows"), el("input", { name: "baseline_windows", type: "number", min: "1", max: "12", step: "1", value: "4", size: "3" }),
          t("baseline_windows_unit")),
        labelled(t("repeat"), choice("repeat", REPEATS, "")),
        el("label", {}, el("input", { type: "checkbox", name: "hidden" }), " ", t("contest_hidden"))),
      targets,
      el("div", { class: "actions" }, preview, " ", launchButton, " ", cancelEdit), result);
    node.prepend(editNote);

    // The sides as the form names them now: ids, groups' names, or the challenge's two.
    function sides() {
      if (node.format.value === "challenge") return [node.challenger.value.trim(), node.opponent.value.trim()].filter(Boolean);
      return node.kind.value === "groups" ? Object.keys(groupsOf(node.groups.value)) : ids(node.participants.value);
    }
    // A target for each side, kept by side while the sides are edited.
    const typed = {};
    function followTargets() {
      for (const input of targets.querySelectorAll("input")) typed[input.dataset.side] = input.value;
      targets.hidden = fairness.value !== "target";
      if (targets.hidden) { C.fill(targets); return; }  // no hidden input holds the form back
      const named = sides();
      const now = Array.from(targets.querySelectorAll("input"), (i) => i.dataset.side);
      if (now.length && now.join("\n") === named.join("\n")) return;  // as typed, not made again
      C.fill(targets, el("p", { class: "help" }, t(named.length ? "targets_help" : "targets_first")),
        named.map((side) => labelled(side, el("input", { type: "number", min: "0.01", step: "any", size: "6", required: "required",
          "data-side": side, value: typed[side] || "", "aria-label": `${t("fairness_target")}: ${side}` }))));
    }
    // Each round's window (and each leg's), filled in equal shares until edited.
    function followRounds() {
      const holder = node.querySelector("#cup-rounds");
      const count = Math.ceil(Math.log2(Math.max(2, sides().length))) * Number(node.legs.value);
      holder.hidden = node.format.value !== "cup" || !node.own_rounds.checked;
      if (holder.hidden) { C.fill(holder); return; }
      if (holder.childElementCount === count) return;  // as the manager set them
      const shares = starts.value && ends.value ? evenRounds(C.fromLocal(starts.value), C.fromLocal(ends.value), count) : [];
      const legs = Number(node.legs.value);
      C.fill(holder, Array.from({ length: count }, (_, n) => el("fieldset", { class: "round" },
        el("legend", {}, legs > 1 ? t("cup_round_leg", { n: Math.floor(n / legs) + 1, leg: (n % legs) + 1 }) : t("cup_round", { n: n + 1 })),
        el("input", { type: "datetime-local", required: "required", "data-round": `${n}:0`, value: shares[n] ? C.toLocal(shares[n][0]) : "",
          "aria-label": `${t("cup_round", { n: n + 1 })}: ${t("contest_starts")}` }),
        " – ",
        el("input", { type: "datetime-local", required: "required", "data-round": `${n}:1`, value: shares[n] ? C.toLocal(shares[n][1]) : "",
          "aria-label": `${t("cup_round", { n: n + 1 })}: ${t("contest_ends")}` }))));
    }
    function follow() {
      const format = node.format.value;
      for (const part of Object.values(parts)) part.hidden = !part.dataset.for.split(" ").includes(format);
      for (const option of fairness.options) option.hidden = !FAIR_FOR[format].includes(option.value);
      if (!FAIR_FOR[format].includes(fairness.value)) fairness.value = "none";
      for (const option of node.kind.options) option.hidden = option.value === "groups" && format !== "team_battle";
      if (node.kind.value === "groups" && format !== "team_battle") node.kind.value = "teams";
      const grouped = node.kind.value === "groups";
      node.participants.closest("label").hidden = grouped;
      node.groups.closest("label").hidden = !grouped;
      weights.hidden = node.metric.value !== "mix";
      node.baseline_windows.closest("label").hidden = fairness.value !== "improvement";
      C.fill(season, seasons.map((s) => el("option", { value: s.season }, s.name)));
      season.disabled = node.seeding.value !== "season" || !seasons.length;
      followTargets();
      followRounds();
    }
    node.addEventListener("change", follow);
    // A field put right loses its error as it is typed, not at the next Launch.
    node.addEventListener("input", (typing) => {
      const input = typing.target;
      if (!input.hasAttribute("aria-invalid") || !input.checkValidity()) return;
      input.removeAttribute("aria-invalid");
      const holder = input.closest("label, td, .field") || input.parentNode;
      for (const error of holder.querySelectorAll(".field-error")) error.remove();
    });
    for (const name of ["participants", "groups", "challenger", "opponent"]) node[name].addEventListener("input", followTargets);
    follow();

    // The contest the form describes, or null after saying what is missing.
    function drafted() {
      if (editing && editing.started) return changedDefinition();
      let ok = C.checkForm(node, result);
      const format = node.format.value;
      const from = starts.value ? C.fromLocal(starts.value) : null;
      const to = ends.value ? C.fromLocal(ends.value) : null;
      if (from && to && new Date(to) <= new Date(from)) ok = C.fieldError(node, "ends", t("ends_after_starts")) && false;
      const grouped = format !== "challenge" && node.kind.value === "groups";
      const picked = grouped ? Object.keys(groupsOf(node.groups.value)) : ids(node.participants.value);
      if (format !== "challenge" && picked.length < 2) ok = C.fieldError(node, grouped ? "groups" : "participants", t("need_two")) && false;
      const weighed = Object.fromEntries(MIXED.map((m) => [m, Number(node[`weight_${m}`].value)]).filter(([, w]) => w));
      if (node.metric.value === "mix" && !Object.keys(weighed).length) ok = C.fieldError(node, "weight_points", t("need_weight")) && false;
      if (format === "cup" && (picked.length < 4 || picked.length > 64)) ok = C.fieldError(node, "participants", t("cup_size")) && false;
      if (format === "challenge" && (!node.challenger.value.trim() || !node.opponent.value.trim())) ok = C.fieldError(node, "opponent", t("need_two")) && false;
      if (!ok) return null;
      const taken = new Set(shown.map((c) => c.contest));
      const id = editing ? editing.definition.contest : C.slug(node.name.value, taken);
      const event = { type: "contest", contest: id, format, name: node.name.value.trim(),
        metric: node.metric.value, starts: from, ends: to };
      if (format === "challenge") {
        event.agents = [node.challenger.value.trim(), node.opponent.value.trim()];
        if (Number(node.stake.value)) event.stake = Number(node.stake.value);
      } else if (grouped) event.groups = groupsOf(node.groups.value);
      else event[node.kind.value] = picked;
      if (event.metric === "mix") event.weights = weighed;
      if (format === "cup") {
        event.legs = Number(node.legs.value);
        if (node.away_goals.checked) event.away_goals = true;
        if (node.seeding.value === "season" && season.value) event.seeding = season.value;
        if (node.own_rounds.checked) {
          const at = (key) => C.fromLocal(node.querySelector(`[data-round="${key}"]`).value);
          event.rounds = Array.from(node.querySelectorAll("#cup-rounds fieldset"), (_, n) => [at(`${n}:0`), at(`${n}:1`)]);
        }
      }
      if (format === "race") { event.target = Number(node.target.value); event.places = Number(node.places.value); }
      const fair = fairness.value;
      if (fair.startsWith("cohort_")) { event.fairness = "cohort"; event.cohort = fair.slice(7); } else if (fair !== "none") event.fairness = fair;
      if (fair === "improvement" && Number(node.baseline_windows.value) !== 4) event.baseline_windows = Number(node.baseline_windows.value);
      if (fair === "target") {
        event.targets = Object.fromEntries(Array.from(targets.querySelectorAll("input"), (i) => [i.dataset.side, Number(i.value)]));
        if (format === "race") delete event.target;
      }
      if (node.repeat.value) event.repeat = node.repeat.value;
      if (node.hidden.checked) event.hidden = true;
      return event;
    }

    // How the draft would stand now: a what-if replay of the days since it starts.
    preview.addEventListener("click", async () => {
      const event = drafted();
      if (!event) return;
      const since = (Date.now() - new Date(event.starts || Date.now()).getTime()) / 86400000;
      const days = Math.min(366, Math.max(1, Math.ceil(since) + 1));
      C.fill(result, el("p", { class: "muted", role: "status" }, t("contest_previewing")));
      try {
        const answer = (await C.call("POST", "/api/whatif", { events: [event], days })).data;
        const view = (answer.contests || {})[event.contest];
        C.fill(result, el("div", { "data-testid": "contest-preview" },
          el("p", {}, t("contest_preview_of", { what: event.name })),
          view && view.standings.length
            ? el("table", { class: "grid" }, el("tbody", {}, view.standings.map((row) => standing(row, view))))
            : el("p", { class: "muted" }, t("contest_preview_empty"))));
      } catch (error) {
        C.showRefusal(node, result, error, (p) => p.field.replace(/^\w+\./, ""));
      }
    });

    node.addEventListener("submit", async (submit) => {
      submit.preventDefault();
      const event = drafted();
      if (!event) return;
      try {
        await C.call("POST", "/api/events", { id: `contest-${event.contest}-${Date.now()}`.slice(0, 128), ts: new Date().toISOString(), ...event });
        const saved = editing !== null;
        stopEditing();
        C.done(result, t(saved ? "contest_saved" : "contest_launched", { what: event.name }), saved ? "contest-saved" : "contest-launched");
        node.name.value = "";
        load();
      } catch (error) {
        C.showRefusal(node, result, error, (p) => {
          const field = p.field.replace(/^\w+\./, "");
          if (field.startsWith("weights")) return "weight_points";
          return ["agents", "teams", "sites"].includes(field) ? (node.format.value === "challenge" ? "opponent" : "participants") : field;
        });
      }
    });
    // A started contest keeps what its tallies rest on: its definition as the fold
    // holds it, with the name and end from the form (the end only if it was moved,
    // so that the minutes the form shows do not move it by seconds).
    function changedDefinition() {
      let ok = C.checkForm(node, result);
      const event = { ...editing.definition, name: node.name.value.trim() };
      if (ends.value !== editing.endsShown) {
        // The form shows the run on now (a recurring contest's latest); the event
        // says the first run's end, moved by as much.
        const moved = new Date(C.fromLocal(ends.value)).getTime();
        event.ends = new Date(new Date(editing.definition.ends).getTime() + moved - editing.runEnds).toISOString();
        if (moved <= now()) ok = C.fieldError(node, "ends", t("ends_after_now")) && false;
      }
      if (!node.hidden.checked) delete event.hidden;
      return ok ? event : null;
    }

    function stopEditing() {
      editing = null;
      for (const field of node.elements) field.disabled = false;
      launchButton.textContent = t("contest_launch");
      C.$("contest-form-title").textContent = t("launch_contest");
      cancelEdit.hidden = editNote.hidden = true;
      follow();
    }
    cancelEdit.addEventListener("click", () => { stopEditing(); C.fill(result); node.name.value = ""; });

    // The form filled with a contest as it stands; one that has started changes only
    // its name and end (and comes out of hiding): the other fields are shown, locked.
    function edit(definition, started, run) {
      const d = definition;
      C.clearErrors(node);
      node.name.value = d.name;
      node.format.value = d.format;
      node.metric.value = d.metric;
      starts.value = C.toLocal(new Date(d.starts));
      ends.value = C.toLocal(new Date(d.ends));
      if (d.format === "challenge") {
        [node.challenger.value, node.opponent.value] = d.agents;
        node.stake.value = d.stake || 0;
      } else {
        const by = ["groups", "agents", "teams", "sites"].find((k) => k in d);
        node.kind.value = by;
        if (by === "groups") node.groups.value = Object.entries(d.groups).map(([name, members]) => `${name}: ${members.join(", ")}`).join("\n");
        else node.participants.value = d[by].join(", ");
      }
      for (const m of MIXED) node[`weight_${m}`].value = d.weights ? d.weights[m] || 0 : m === "points" ? 1 : 0;
      fairness.value = d.fairness === "cohort" ? `cohort_${d.cohort}` : d.fairness || "none";
      node.baseline_windows.value = d.baseline_windows || 4;
      for (const [side, target] of Object.entries(d.targets || {})) typed[side] = String(target);
      C.fill(targets);
      node.repeat.value = d.repeat || "";
      node.hidden.checked = Boolean(d.hidden);
      node.legs.value = String(d.legs || 1);
      node.away_goals.checked = Boolean(d.away_goals);
      node.seeding.value = typeof d.seeding === "string" ? "season" : "listed";
      node.own_rounds.checked = Boolean(d.rounds && d.rounds.length);
      node.target.value = d.target === undefined ? 10 : d.target;
      node.places.value = d.places === undefined ? 3 : d.places;
      C.fill(node.querySelector("#cup-rounds"));
      follow();
      if (typeof d.seeding === "string") season.value = d.seeding;
      (d.rounds || []).forEach(([from, to], n) => {
        node.querySelector(`[data-round="${n}:0"]`).value = C.toLocal(new Date(from));
        node.querySelector(`[data-round="${n}:1"]`).value = C.toLocal(new Date(to));
      });
      if (started) {  // the run on now: a recurring contest's latest, not its first
        starts.value = C.toLocal(new Date(run.starts));
        ends.value = C.toLocal(new Date(run.ends));
      }
      editing = { definition: d, started, endsShown: ends.value, runEnds: new Date(run.ends).getTime() };
      const open = new Set(started ? ["name", "ends", ...(d.hidden ? ["hidden"] : [])] : []);
      for (const field of node.elements) {
        if (field.tagName === "BUTTON") continue;
        field.disabled = started && !open.has(field.name);
      }
      preview.disabled = started;
      launchButton.textContent = t("contest_save");
      C.$("contest-form-title").textContent = t("edit_contest_title", { what: d.name });
      cancelEdit.hidden = editNote.hidden = false;
      editNote.textContent = t(started ? "contest_editing_started" : "contest_editing", { what: d.name });
      C.fill(result);
      node.scrollIntoView({ block: "start" });
      node.name.focus();
    }
    editForm = edit;
    return node;
  }

  // A fair ranking's figure beside the raw score: percent of the side's target, per
  // head, or the improvement on its baseline (README: Contests, Fairness).
  // Ranked by a fair figure, that figure leads and the raw score follows in grey:
  // the ranks read in order.
  function scored(row, view) {
    if (row.ranked_by === undefined || row.ranked_by === row.score) return [C.number(row.score)];
    const figure = `${C.number(row.ranked_by)}${view.fairness === "target" ? " %" : ""}`;
    return [el("b", {}, figure), el("span", { class: "muted" }, ` (${t("raw_score", { what: C.number(row.score) })})`)];
  }

  function standing(row, view) {
    return el("tr", {}, el("td", { class: "num" }, `${row.rank}.`), el("th", { scope: "row" }, row.name || row.id),
      el("td", { class: "num" }, ...scored(row, view)),
      el("td", { class: "small" }, row.reached ? el("span", { class: "muted" }, `${t("reached_line")} ${C.short(row.reached)} `) : null,
        row.provisional ? el("span", { class: "warn" }, t("provisional")) : null));
  }

  function cup(view) {
    if (!view.cup) return null;
    const side = (s) => (s === null ? "?" : s.bye ? t("bye") : s.name || s.id);
    return el("div", { class: "small" }, view.cup.rounds.map((round) => el("p", {},
      el("b", {}, t("cup_round", { n: round.round }), ": "),
      round.ties.map((tie) => `${side(tie.home)} – ${side(tie.away)}${tie.winner ? ` → ${side(tie.winner)}` : ""}`).join(" · "))));
  }

  // A run still open whose end has passed waits only for its grace period: it is past.
  function now() {
    const state = C.latest();
    return state && state.clock ? Math.max(Date.now(), new Date(state.clock).getTime()) : Date.now();
  }
  function open(view) { return (view.state === "running" || view.state === "issued") && new Date(view.ends).getTime() > now(); }
  function stateText(view) {
    if ((view.state === "running" || view.state === "issued") && !open(view)) return t("contest_settling");
    if (view.challenge && view.challenge.answer === "issued") return t("challenge_waiting");
    return STATES[view.state] || view.state;
  }

  function card(view, result) {
    const actions = el("div", { class: "actions" });
    const reveal = reveals.find((r) => r.contest === view.contest);
    if (view.hidden && reveal) {
      actions.append(C.button(t("reveal"), async () => {
        try {
          await C.call("POST", "/api/events", { id: `reveal-${view.contest}-${Date.now()}`.slice(0, 128), ts: new Date().toISOString(), ...reveal });
          C.done(result, t("contest_revealed", { what: view.name }));
          load();
        } catch (error) { C.fill(result, el("p", { class: "error" }, error.message)); }
      }, { "aria-label": `${t("reveal")}: ${view.name}` }));
    }
    if (view.definition && (open(view) || (view.hidden && view.state === "running"))) {
      const started = new Date(view.definition.starts).getTime() <= now();
      actions.append(C.button(t("edit_contest"), () => editForm(view.definition, started, view),
        { class: "secondary", "aria-label": `${t("edit_contest")}: ${view.name}` }));
    }
    if (open(view)) {
      const end = C.button(t("end_contest"), () => C.confirmInline(actions, t("end_contest_question"), t("end_contest"), async () => {
        try {
          await C.call("POST", "/api/events", { id: `end-${view.contest}-${Date.now()}`.slice(0, 128), type: "contest_end", ts: new Date().toISOString(), contest: view.contest });
          C.done(result, t("contest_ended", { what: view.name }));
          load();
        } catch (error) { C.fill(result, el("p", { class: "error" }, error.message)); }
      }), { class: "danger", "aria-label": `${t("end_contest")}: ${view.name}` });
      actions.append(end);
    }
    const winners = view.winners && view.winners.length ? view.winners.map((w) => w.name || w.id).join(", ") : null;
    return el("article", { class: "card contest", "data-contest": view.contest },
      el("h3", {}, view.name, " ", el("span", { class: "muted small" }, `${FORMATS[view.format] || view.format} · ${METRICS[view.metric] || view.metric}`)),
      el("p", { class: "small" }, `${C.short(view.starts)} – ${C.short(view.ends)}`,
        view.repeat ? ` · ${REPEATS[view.repeat]} · ${t("run_n", { n: view.run })}` : "",
        view.challenge && view.challenge.stake ? ` · ${t("stake")} ${C.number(view.challenge.stake)}` : "",
        ` · ${stateText(view)}`,
        view.provisional ? el("span", { class: "warn" }, ` (${t("provisional")})`) : null),
      winners ? el("p", {}, el("b", {}, `${t("winners")}: `), winners) : null,
      view.standings && view.standings.length
        ? C.table(["#", t("sides_by"), t("contest_score"), ""], view.standings.slice(0, 10).map((row) => standing(row, view)),
          { class: "grid standings", "aria-label": `${t("standings")}: ${view.name}` }) : null,
      cup(view), actions);
  }

  async function load() {
    const holder = C.$("contest-list");
    if (!holder) return;
    try {
      const list = (await C.get("/api/contests")).contests;
      shown = await Promise.all(list.map((c) => C.get(`/api/contests/${encodeURIComponent(c.contest)}`)));
    } catch (error) { C.fill(holder, el("p", { class: "error" }, error.message)); return; }
    const result = el("div", { class: "result" });
    const hidden = shown.filter((v) => v.hidden);
    const running = shown.filter((v) => !v.hidden && open(v));
    const past = shown.filter((v) => !v.hidden && !running.includes(v)).reverse();
    const group = (title, id, views) => [el("h3", {}, title),
      views.length ? el("div", { class: "cards", id }, views.map((v) => card(v, result))) : el("p", { class: "muted" }, t("none"))];
    C.fill(holder, result, group(t("running_contests"), "contests-running", running),
      hidden.length ? group(t("hidden_contests"), "contests-hidden", hidden) : null,
      group(t("past_contests"), "contests-past", past));
  }

  function render() {
    C.fill(C.$("contests-view"),
      el("section", { class: "panel" }, el("p", { class: "help" }, t("contests_help")), el("div", { id: "contest-list" })),
      el("section", { class: "panel" }, el("h2", { id: "contest-form-title" }, t("launch_contest")), form()));
    load();
  }

  // Standings move with every sale: read again on a frame, at most every two seconds,
  // while the tab is shown.
  let timer = null;
  C.onFrame((state) => {
    reveals = state.reveals || [];
    seasons = state.seasons || [];
    if (timer === null && !C.$("tab-contests").hidden) timer = setTimeout(() => { timer = null; load(); }, 2000);
  });

  return { render, load };
})(Console);

// The league tab: running and past seasons (table, matches, forfeits, the end), and the
// form that previews and launches a season between sites picked by name.
"use strict";

Console.seasons = (function (C) {
  const { el, t } = C;
  let sites = [];
  let seasons = [];
  let idEdited = false;

  function labelled(text, node, unit) {
    return el("label", { class: "field" }, el("span", { class: "label" }, text), node, unit ? el("span", { class: "unit" }, unit) : null);
  }

  async function loadSites() {
    sites = (await C.get("/api/manage/roster")).sites;
    C.learn("site", Object.fromEntries(sites.map((s) => [s.site, s.name])));
    clubs();
  }

  function clubs() {
    C.fill(C.$("season-clubs"), ...sites.map((s) => el("label", { class: "club-choice" },
      el("input", { type: "checkbox", checked: "checked", value: s.site }), ` ${s.name} `,
      el("input", { type: "number", name: s.site, min: "1", max: "100000", step: "1", value: String(Math.max(1, s.heads)), size: "4", "aria-label": t("heads_of", { site: s.name }) }),
      ` ${t("heads")}`)));
  }

  // The league_season event the form describes (without id and ts).
  function seasonEvent() {
    const form = C.$("season-form");
    const picked = [...document.querySelectorAll("#season-clubs label")].filter((label) => label.querySelector("input[type=checkbox]").checked)
      .map((label) => {
        const site = sites.find((s) => s.site === label.querySelector("input[type=checkbox]").value);
        const club = { club: site.site, name: site.name, heads: Number(label.querySelector("input[type=number]").value) || 1 };
        if (site.short_name) club.short_name = site.short_name;
        if (site.colour) club.colour = site.colour;
        return club;
      });
    const event = { type: "league_season", season: form.season.value.trim(), name: form.name.value.trim(),
      double: form.double.checked, goal_every: Number(form.goal_every.value), clubs: picked };
    if (form.schedule.value === "windows") {
      event.windows = [...document.querySelectorAll("#season-windows li")].map((line) =>
        [...line.querySelectorAll("input")].map((input) => C.fromLocal(input.value)));
    } else {
      event.starts = form.starts.value;
      event.matchday_days = Number(form.matchday_days.value);
      event.working_days = [...form.querySelectorAll("input[name=working_day]:checked")].map((box) => Number(box.value));
      const holidays = form.holidays.value.split(/[\s,;]+/).filter(Boolean);
      if (holidays.length) event.holidays = holidays;
    }
    return event;
  }

  function check(form, result) {
    if (!C.checkForm(form, result)) return false;
    if (document.querySelectorAll("#season-clubs input[type=checkbox]:checked").length < 2) {
      C.fieldError(form.parentNode, "clubs", t("pick_two_clubs"));
      return false;
    }
    return true;
  }

  function windowLine(list) {
    const from = el("input", { type: "datetime-local", required: "required", "aria-label": t("window_from") });
    const to = el("input", { type: "datetime-local", required: "required", "aria-label": t("window_to") });
    const line = el("li", { class: "inline" }, from, " – ", to, C.button("✕", () => line.remove(), { class: "secondary small", "aria-label": t("remove") }));
    list.append(line);
  }

  // {value, reason} beside the manager's own figure (value null: nothing to go by); a
  // server of before offers a bare calibrated number.
  function suggestion(preview) {
    if (preview.suggested_goal_every) return preview.suggested_goal_every;
    if (preview.calibrated_goal_every) return { value: preview.calibrated_goal_every, reason: t("calibrated_reason") };
    return { value: null, reason: "" };
  }

  // Why this figure, in the page's language where the preview gives the numbers.
  function reason(offer, sent) {
    if (offer.goals_per_match === undefined || offer.windows === undefined) return offer.reason || "";
    return t("suggestion_reason", { windows: offer.windows, goals: C.number(offer.goals_per_match, 1),
      target: C.number(offer.target || 2.75), sent: C.number(sent), as_sent: C.number(offer.goals_per_match_as_sent, 1) });
  }

  function fixture(match) {
    const home = match.home_name || C.name("site", match.home);
    const away = match.away_name || C.name("site", match.away);
    return `${home} – ${away}`;
  }

  // The clubs with a bye on each matchday, where the preview names them.
  function byes(preview) {
    const lines = (preview.matchdays || []).filter((day) => day.bye && day.bye.length)
      .map((day) => el("li", {}, t("bye_on", { matchday: day.matchday, clubs: day.bye.join(", ") })));
    return lines.length ? el("ul", { class: "plain muted" }, lines) : null;
  }

  async function previewSeason() {
    const result = C.$("season-result");
    const form = C.$("season-form");
    if (!check(form, result)) return;
    try {
      const { type, ...body } = seasonEvent();
      const { data } = await C.call("POST", "/api/seasons/preview", body);
      const offer = suggestion(data);
      const use = C.button(t("use_suggestion"), () => {
        form.goal_every.value = offer.value;
        form.goal_every.dispatchEvent(new Event("change"));
      }, { id: "use-suggestion", class: "secondary" });
      C.clearErrors(form);
      if (data.exists) C.fieldError(form, "season", t("season_exists", { season: body.season }));
      C.fill(result, 
        el("p", {}, t("preview_summary", { matches: data.matches.length })),
        offer.value ? el("p", { class: "suggestion" }, t("suggested_goal_every", { value: C.number(offer.value) }), " ", el("span", { class: "muted" }, reason(offer, body.goal_every)), " ", use)
          : el("p", { class: "muted" }, t("no_suggestion")),
        byes(data) || "",
        C.table([t("matchday"), t("match"), t("window_from"), t("window_to")], data.matches.map((m) => el("tr", {},
          el("td", { class: "num" }, m.matchday), el("td", {}, fixture(m)),
          el("td", { class: "nowrap" }, C.short(m.starts)), el("td", { class: "nowrap" }, C.short(m.ends))))));
    } catch (error) { C.showRefusal(form, result, error); }
  }

  async function launch() {
    const result = C.$("season-result");
    const form = C.$("season-form");
    if (!check(form, result)) return;
    const event = seasonEvent();
    if (seasons.some((s) => s.season === event.season)) {
      C.showRefusal(form, result, new C.Refused(409, { error: t("season_exists", { season: event.season }), problems: { season: t("season_exists", { season: event.season }) } }));
      return;
    }
    try {
      event.id = `season-${event.season}`;
      event.ts = new Date().toISOString();
      const { data } = await C.call("POST", "/api/events", event);
      // A server of before acknowledged a second launch as a duplicate; now it is a 409.
      if (data.duplicates) throw new C.Refused(409, { error: t("season_exists", { season: event.season }) });
      C.clearErrors(form);
      C.fill(result, el("p", { class: "done", "data-testid": "season-launched" }, t("season_launched", { name: event.name })));
    } catch (error) {
      C.showRefusal(form, result, error);
      if (error.status === 409) C.fieldError(form, "season", error.message);
    }
  }

  async function details(season, holder) {
    try {
      const [table, matches] = await Promise.all([C.get(`/api/seasons/${encodeURIComponent(season.season)}/table`),
        C.get(`/api/seasons/${encodeURIComponent(season.season)}/matches`)]);
      const clubName = (id) => (season.clubs.find((c) => c.club === id) || { name: id }).name;
      C.fill(holder, 
        C.table(["#", t("club"), t("played"), t("goals"), t("points")], table.table.map((row) => el("tr", {},
          el("td", { class: "num" }, row.position), el("th", { scope: "row" }, row.name), el("td", { class: "num" }, row.played),
          el("td", { class: "num" }, `${row.goals_for}:${row.goals_against}`), el("td", { class: "num" }, row.points)))),
        C.table([t("matchday"), t("match"), t("score"), t("state"), t("window_from"), ""], matches.matches.map((m) => {
          const actions = el("td", { class: "nowrap" });
          if (!season.ended && m.state !== "final") {
            const club = el("select", { "aria-label": t("club_that_forfeits") }, [m.home, m.away].map((c) => el("option", { value: c }, clubName(c))));
            actions.append(club, " ", C.button(t("forfeit"), () => C.confirmInline(actions, t("forfeit_question"), t("forfeit"),
              () => post({ type: "forfeit", season: season.season, match: m.match, club: club.value }, actions)), { class: "secondary" }));
          }
          return el("tr", {}, el("td", { class: "num" }, m.matchday), el("td", {}, `${clubName(m.home)} – ${clubName(m.away)}`),
            el("td", { class: "num" }, `${m.home_goals}:${m.away_goals}`), el("td", {}, t(`match_${m.state}`)), el("td", { class: "nowrap" }, C.short(m.starts)), actions);
        })));
    } catch (error) { C.fill(holder, el("p", { class: "error" }, error.message)); }
  }

  async function post(fields, holder) {
    try {
      await C.call("POST", "/api/events", { id: `${fields.type}-${Date.now()}`, ts: new Date().toISOString(), ...fields });
      C.fill(holder, el("span", { class: "done" }, t("stored")));
    } catch (error) { C.fill(holder, el("span", { class: "error" }, error.message)); }
  }

  function seasonCard(season) {
    const more = el("div", { class: "season-details" });
    const open = el("details", {}, el("summary", {}, t("table_and_matches")), more);
    open.addEventListener("toggle", () => { if (open.open) details(season, more); });
    const end = el("span", {});
    if (!season.ended) end.append(C.button(t("end_season"), () => C.confirmInline(end, t("end_question"), t("end_season"),
      () => post({ type: "league_end", season: season.season }, end)), { class: "danger" }));
    return el("article", { class: "season", "data-season": season.season },
      el("h3", {}, season.name, " ", el("span", { class: season.ended ? "badge" : "badge ok" }, season.ended ? t("ended") : t("running"))),
      el("p", {}, season.clubs.map((c) => c.name).join(" · ")),
      el("p", { class: "muted" }, t("season_facts", { matchdays: season.matchdays, goal_every: C.number(season.goal_every) }),
        season.champion ? ` · ${t("champion")}: ${(season.clubs.find((c) => c.club === season.champion) || { name: season.champion }).name}` : ""),
      open, end);
  }

  function list(state) {
    seasons = state.seasons || [];
    const form = C.$("season-form");
    if (!idEdited) form.season.value = C.slug(form.name.value, new Set(seasons.map((s) => s.season)));
    const running = seasons.filter((s) => !s.ended);
    const past = seasons.filter((s) => s.ended).reverse();
    const holder = C.$("season-list");
    if (holder.querySelector(".season details[open], .confirm")) return;
    const pastOpen = Boolean(holder.querySelector("details.past-seasons[open]"));
    C.fill(holder, el("h2", {}, t("seasons")),
      el("h3", {}, t("running_seasons")), ...(running.length ? running.map(seasonCard) : [el("p", { class: "muted" }, t("no_season"))]),
      // Ended seasons folded away: the running ones and the form come first.
      past.length ? el("details", { class: "past-seasons" }, el("summary", {}, t("past_seasons_n", { n: past.length })), past.map(seasonCard))
        : [el("h3", {}, t("past_seasons")), el("p", { class: "muted" }, t("none"))]);
    const folded = holder.querySelector("details.past-seasons");
    if (folded && pastOpen) folded.open = true;
  }

  // A scoring season: the `season` period of leaderboards, gates and prizes.
  async function savePeriod(submit) {
    submit.preventDefault();
    const form = submit.target;
    const result = C.$("period-result");
    if (!C.checkForm(form, result)) return;
    if (form.ends.value < form.starts.value) return C.fieldError(form, "ends", t("ends_before_starts"));
    const event = { type: "season", season: C.slug(`${form.name.value} ${form.starts.value}`, new Set()),
      name: form.name.value.trim(), starts: form.starts.value, ends: form.ends.value };
    try {
      await C.call("POST", "/api/events", { id: `season-period-${event.season}`, ts: new Date().toISOString(), ...event });
      C.clearErrors(form);
      C.done(result, t("saved_name", { name: event.name }), "period-saved");
    } catch (error) { C.showRefusal(form, result, error); }
  }

  function init() {
    C.$("period-form").addEventListener("submit", savePeriod);
    const form = C.$("season-form");
    form.starts.value = C.toLocal(new Date()).slice(0, 10);
    form.season.value = C.slug(form.name.value, new Set());
    form.name.addEventListener("input", () => {
      if (!idEdited) form.season.value = C.slug(form.name.value, new Set(seasons.map((s) => s.season)));
    });
    form.season.addEventListener("input", () => { idEdited = true; });
    const windows = C.$("season-windows");
    C.$("add-window").addEventListener("click", () => windowLine(windows));
    for (const radio of form.querySelectorAll("input[name=schedule]")) {
      radio.addEventListener("change", () => {
        const fixed = form.schedule.value === "windows";
        C.$("schedule-days").hidden = fixed;
        C.$("schedule-windows").hidden = !fixed;
        for (const input of C.$("schedule-days").querySelectorAll("input")) input.disabled = fixed;
        for (const input of windows.querySelectorAll("input")) input.disabled = !fixed;
        if (fixed && !windows.children.length) windowLine(windows);
      });
    }
    C.$("season-preview").addEventListener("click", previewSeason);
    C.$("season-launch").addEventListener("click", launch);
    C.onFrame(list);
    loadSites().catch((error) => C.fill(C.$("season-clubs"), el("p", { class: "error" }, error.message)));
  }

  return { init, loadSites };
})(Console);

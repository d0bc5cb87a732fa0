// The TV board: scenes that rotate and a ticker; celebrations.js shows the moments.
//
// Several seasons of the league may run at once (state.leagues). The league scene
// comes round once per season, so a rotating board takes turns; a board pinned to
// one season (?season=) gets only that one. The league panels, the points race and
// the goal celebrations always belong to one season, the one on screen (`shown`):
// another season's goal waits for nothing, since a goal over another season's
// table reads as a goal in that table. It is seen in its own season's live matches
// when that season's turn comes.
"use strict";

(function () {
  const config = Live.config();
  const t = config.strings;
  const K = Live.kinds(config);
  const { el } = Live;
  let sceneIndex = 0;
  let latest = null;
  let shown = null;  // the id of the season on screen
  let slotsDrawn = "";

  function replace(id, ...children) {
    document.getElementById(id).replaceChildren(...children);
  }

  function seasons() {
    return latest ? latest.leagues : [];
  }

  function seasonOf(id) {
    return seasons().find((league) => league.season === id) || null;
  }

  // The rotation: each scene once, the league scene once per season shown.
  function slots() {
    const ids = seasons().length ? seasons().map((league) => league.season) : [null];
    return config.scenes.flatMap((scene) =>
      scene === "league" ? ids.map((id) => [scene, id]) : [[scene, null]]);
  }

  function table(league) {
    if (!league) {
      replace("table-title", t.table);
      return el("p", { class: "muted" }, t.no_season);
    }
    replace("table-title", `${t.table} · ${league.name}`);
    const head = el("tr", {}, el("th", {}, "#"), el("th", {}, ""), el("th", {}, t.played),
      el("th", {}, t.gd), el("th", {}, t.points), el("th", { class: "form" }, ""));
    const rows = league.table.map((row) => el("tr", {},
      el("td", {}, row.position),
      el("td", { class: "club" }, el("span", { class: "swatch",
        style: { background: league.clubs[row.club].colour } }), row.name),
      el("td", {}, row.played), el("td", {}, row.goal_difference > 0 ? "+" + row.goal_difference : row.goal_difference),
      el("td", { class: "pts" }, row.points),
      el("td", { class: "form" }, row.form.map((r) => el("span", { class: "form-" + r }, r)))));
    return el("table", { class: "league" }, el("thead", {}, head), el("tbody", {}, rows));
  }

  function match(m) {
    const goals = m.goals.map((g) => el("li", { class: (g.club === m.home ? "home" : "away") + (g.disallowed ? " disallowed" : "") },
      `${g.minute}' ${g.agent || ""}`, g.disallowed ? ` (${t.disallowed})` : ""));
    return el("div", { class: "match", "data-match": m.match },
      el("div", { class: "teams" },
        el("span", { class: "home" }, m.home_name),
        el("span", { class: "score" }, `${m.home_goals} : ${m.away_goals}`),
        el("span", { class: "away" }, m.away_name),
        m.state === "live" ? el("span", { class: "minute" }, `${m.minute}'`) : null),
      goals.length ? el("ul", { class: "goals" }, goals) : null);
  }

  function leaderboard(title, rows) {
    return el("div", { class: "panel board-list" }, el("h2", {}, title),
      el("ol", { class: "ranks" }, rows.length ? rows.map((r) => el("li", {},
        el("span", { class: "rank" }, r.rank), el("span", { class: "name" }, r.name),
        el("span", { class: "value" }, r.points.toFixed(0)))) : el("li", { class: "muted" }, t.nothing_yet)));
  }

  function render(state) {
    // A screen on a channel follows the console: a changed channel reloads the page
    // with its new scenes; a removed one shows the page's "no channel" answer.
    // (Once for each new revision, then at most once in 10 s: the web process that
    // serves the page may lag the one that pushed the change.)
    const wanted = (state.channels || {})[config.channel];
    if (config.channel && wanted !== config.channel_revision) {
      const [target, at] = JSON.parse(sessionStorage.getItem("wallboard.channel.reload") || "[null, 0]");
      if (target !== (wanted || null) || Date.now() - at > 10000) {
        sessionStorage.setItem("wallboard.channel.reload", JSON.stringify([wanted || null, Date.now()]));
        location.reload();
        return;
      }
    }
    latest = state;
    if (!seasonOf(shown)) shown = seasons().length ? seasons()[0].season : null;
    drawDots();
    if (state.site_name) replace("title", `${t.board} · ${state.site_name}`);
    const league = seasonOf(shown);
    replace("league-table", table(league));
    replace("live-matches", ...(league ? league.live.map(match) : []));
    replace("results", ...(league ? league.results.map(match) : []));
    replace("scorers", ...(league ? league.scorers.map((s) => el("li", {}, `${s.agent} · ${s.goals}`)) : []));
    const boards = [];
    for (const period of ["day", "week"]) {
      for (const by of ["agent", "team", "site"]) {
        const rows = state.leaderboards[period] && state.leaderboards[period][by];
        if (rows) boards.push(leaderboard(`${period === "day" ? t.today : t.week} · ${t[by]}`, rows));
      }
    }
    replace("leaderboards", ...boards);
    replace("ticker", ...state.ticker.map((item) => el("span", { class: "tick " + item.kind },
      item.kind === K.sale ? `${item.agent} ${t.sold} ${item.product} · ${item.revenue.toFixed(2)} €`
        : `🏆 ${item.agent} ${t.won} ${item.prize}`)));
    charts(state);
  }

  function charts(state) {
    if (!window.Plotly || !isVisible("charts")) return;
    const layout = { paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
      font: { color: "#e6edf3", size: Math.round(window.innerWidth / 90) },
      margin: { t: 10, r: 10, b: window.innerWidth / 30, l: window.innerWidth / 30 },
      showlegend: true, legend: { orientation: "h" } };
    const league = seasonOf(shown);
    replace("race-title", league ? `${t.race} · ${league.name}` : t.race);
    const race = league ? Object.entries(league.race).map(([club, points]) => ({
      x: points.map((_, i) => i + 1), y: points, name: plotText(league.clubs[club].name),
      mode: "lines+markers", line: { color: league.clubs[club].colour, width: 4 } })) : [];
    Plotly.react("chart-race", race, layout, { staticPlot: true, responsive: true });
    const hours = Object.entries(state.sales_by_hour).map(([site, counts]) => ({
      x: counts.map((_, h) => h), y: counts, name: plotText(state.sites[site] || site), type: "bar" }));
    Plotly.react("chart-hours", hours, { ...layout, barmode: "stack" },
      { staticPlot: true, responsive: true });
  }

  // Plotly reads a few HTML tags and entities in a trace's name ("<b>", "&amp;"):
  // escaped, a name is shown as it was written.
  function plotText(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function isVisible(name) {
    const scene = document.querySelector(`.scene[data-scene="${name}"]`);
    return scene && scene.classList.contains("active");
  }

  function showScene(index) {
    const rotation = slots();
    sceneIndex = index % rotation.length;
    const [scene, season] = rotation[sceneIndex];
    if (season !== null && season !== shown) {
      shown = season;
      // A goal queued for the season going off screen is not shown over the next one.
      celebrations.seasonChanged();
      if (latest) render(latest);
    }
    document.querySelectorAll(".scene").forEach((node) =>
      node.classList.toggle("active", node.dataset.scene === scene));
    drawDots();
    if (latest) charts(latest);
  }

  function drawDots() {
    const rotation = slots();
    const labels = rotation.map(([scene, season]) =>
      season !== null && seasons().length > 1 ? `${t[scene]} · ${seasonOf(season).name}` : t[scene] || scene);
    const key = JSON.stringify([labels, sceneIndex]);
    if (key === slotsDrawn) return;
    slotsDrawn = key;
    if (sceneIndex >= rotation.length) sceneIndex = 0;
    replace("scene-dots", ...labels.map((label, n) =>
      el("span", { class: n === sceneIndex ? "dot active" : "dot" }, label)));
  }

  showScene(0);
  // Always ticking: a second season launched later adds a turn to a board of one scene.
  setInterval(() => { if (slots().length > 1) showScene(sceneIndex + 1); }, config.rotate * 1000);
  const celebrations = Celebrations.create({
    config, latest: () => latest, seasonOf, shown: () => shown });
  Live.connect(config, { state: render, events: celebrations.push });
})();

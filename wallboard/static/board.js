// The TV board: scenes that rotate, a ticker, and celebrations that interrupt.
"use strict";

(function () {
  const config = Live.config();
  const t = config.strings;
  const K = Live.kinds(config);
  const { el } = Live;
  const queue = [];
  let celebrating = false;
  let sceneIndex = 0;
  let latest = null;

  function replace(id, ...children) {
    document.getElementById(id).replaceChildren(...children);
  }

  function table(league) {
    if (!league) return el("p", { class: "muted" }, t.no_season);
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
    latest = state;
    if (state.site_name) replace("title", `${t.board} · ${state.site_name}`);
    const league = state.league;
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
    const race = state.league ? Object.entries(state.league.race).map(([club, points]) => ({
      x: points.map((_, i) => i + 1), y: points, name: plotText(state.league.clubs[club].name),
      mode: "lines+markers", line: { color: state.league.clubs[club].colour, width: 4 } })) : [];
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
    const scenes = config.scenes;
    sceneIndex = index % scenes.length;
    document.querySelectorAll(".scene").forEach((node) =>
      node.classList.toggle("active", node.dataset.scene === scenes[sceneIndex]));
    if (latest) charts(latest);
  }

  function celebrate(events) {
    for (const event of events) {
      if (event.kind === K.goal) queue.push([t.goal, `${event.minute}' · ${clubName(event.club)} · ${event.score.join(" : ")}`]);
      else if (event.kind === K.goal_disallowed) queue.push([t.disallowed, `${clubName(event.club)} · ${event.reason}`]);
      else if (event.kind === K.prize) queue.push([t.prize, event.prize]);
      else if (event.kind === K.goal_reached) queue.push([t.goal_reached, event.title]);
      else if (event.kind === K.tombola_drawn) {
        const drum = (latest && latest.tombolas.find((x) => x.tombola === event.tombola)) || { entrants: [], winners: [], name: "" };
        queue.push([`${t.tombola} · ${drum.name}`, `${t.winners}: ${drum.winners.join(", ")}`, drum.entrants]);
      }
    }
    // A burst (a screen joining mid-rush) would queue minutes of celebrations: keep the latest.
    if (queue.length > 3) queue.splice(0, queue.length - 3);
    next();
  }

  function clubName(id) {
    return latest && latest.league && latest.league.clubs[id] ? latest.league.clubs[id].name : id;
  }

  function next() {
    if (celebrating || !queue.length) return;
    celebrating = true;
    const [title, text, spin] = queue.shift();
    replace("celebration-title", title);
    replace("celebration-text", spin && spin.length ? spin[0] : text);
    const overlay = document.getElementById("celebration");
    overlay.hidden = false;
    overlay.classList.remove("pop");
    void overlay.offsetWidth;
    overlay.classList.add("pop");
    if (config.sound) beep();
    let shown = 4000;
    if (spin && spin.length) {
      // The drum turns through the entrants, slowing down, and stops on the winners.
      let delay = 60, elapsed = 0, index = 0;
      const turn = () => {
        if (elapsed > 3000) { replace("celebration-text", text); return; }
        index = (index + 1) % spin.length;
        replace("celebration-text", spin[index]);
        elapsed += delay;
        delay *= 1.12;
        setTimeout(turn, delay);
      };
      turn();
      shown = 8000;
    }
    setTimeout(() => { overlay.hidden = true; celebrating = false; next(); }, shown);
  }

  function beep() {
    try {
      const audio = new AudioContext();
      const tone = audio.createOscillator();
      tone.frequency.value = 880;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.3);
    } catch (error) { /* no audio on this screen */ }
  }

  const dots = document.getElementById("scene-dots");
  config.scenes.forEach((name) => dots.append(el("span", { class: "dot" }, t[name] || name)));
  showScene(0);
  if (config.scenes.length > 1) setInterval(() => showScene(sceneIndex + 1), config.rotate * 1000);
  Live.connect(config, { state: render, events: celebrate });
})();

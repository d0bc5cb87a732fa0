// The TV board: scenes that rotate and a ticker; celebrations.js shows the moments.
//
// Several seasons of the league may run at once (state.leagues). The league scene
// comes round once per season, so a rotating board takes turns; a board pinned to
// one season (?season=) gets only that one. The league panels, the points race and
// the goal celebrations always belong to one season, the one on screen (`shown`):
// another season's goal waits for nothing, since a goal over another season's
// table reads as a goal in that table. It is seen in its own season's live matches
// when that season's turn comes.
//
// Each panel lays itself out from its content (fit.js): six clubs get large rows,
// eighteen smaller ones, never smaller than the board's least size (--type-min);
// what still does not fit is shown in a compact form, then in fewer rows.
"use strict";

(function () {
  const config = Live.config();
  const t = config.strings;
  const K = Live.kinds(config);
  const { el } = Live;
  const number = new Intl.NumberFormat(config.lang, { maximumFractionDigits: 0 });
  // Euros as the board's language writes them ("€48.46", "48,46 €"), as the contests do.
  const money = new Intl.NumberFormat(config.lang, { style: "currency", currency: "EUR" });
  // Seconds each page of the ticker stays, when its items take more than one line.
  const TICKER_PAGE_MS = 7000;
  let sceneIndex = 0;
  let latest = null;
  let shown = null;  // the id of the season on screen
  let slotsDrawn = "";
  let sizes = null;
  // What each fitted box shows, with the viewport it was fitted in: unchanged, it is
  // not drawn and measured again.
  const fitted = {};
  // How each fitted box was drawn, to fit it again when a neighbour took its room.
  const drawers = {};
  let tickerPage = 0;

  function replace(id, ...children) {
    document.getElementById(id).replaceChildren(...children);
  }

  function measure() {
    sizes = { min: Fit.px("--type-min"), body: Fit.px("--type-body"), big: Fit.px("--type-big"),
      title: Fit.px("--type-title"), viewport: `${innerWidth}x${innerHeight}` };
  }

  // Draws `id` from `data`; on screen, fitted to its box (options as Fit.fit's).
  function panel(id, data, options) {
    const box = document.getElementById(id);
    const modes = options.modes || [""];
    if (box.offsetParent === null) {  // its scene is not on screen: nothing to measure
      fitted[id] = null;
      box.dataset.mode = modes[0];
      box.replaceChildren(...options.draw(options.count, modes[0]));
      return;
    }
    const key = JSON.stringify([data, sizes.viewport]);
    if (fitted[id] === key) return;
    drawers[id] = { min: sizes.min, max: sizes.body, ...options };
    Fit.fit(box, drawers[id]);
    fitted[id] = key;
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
    // The contests scene takes its turn while a contest is on, or when it is alone.
    const quiet = latest && !(latest.contests || []).length && config.scenes.length > 1;
    return config.scenes.filter((scene) => !(scene === "contests" && quiet)).flatMap((scene) =>
      scene === "league" ? ids.map((id) => [scene, id]) : [[scene, null]]);
  }

  function siteColour(site) {
    return latest && latest.sites[site] ? latest.sites[site].colour : "";
  }

  function swatch(colour) {
    return el("span", { class: "swatch", style: { background: colour || "transparent" } });
  }

  // An icon drawn as a shape (board.css), so that no screen needs a font with pictographs.
  function icon(name) {
    return el("span", { class: `icon ${name}`, "aria-hidden": "true" });
  }

  // The league table -----------------------------------------------------------
  function table(league) {
    if (!league) {
      replace("table-title", t.table);
      panel("league-table", null, { count: 1, draw: () => [el("p", { class: "muted" }, t.no_season)] });
      return;
    }
    replace("table-title", `${t.table} · ${league.name}`);
    const head = el("tr", {}, el("th", {}, "#"), el("th", { class: "club" }, ""), el("th", {}, t.played),
      el("th", {}, t.gd), el("th", {}, t.points), el("th", { class: "form" }, ""));
    const row = (r) => el("tr", { class: r.position === 1 ? "leader" : "", "data-club": r.club },
      el("td", {}, r.position),
      el("td", { class: "club" }, swatch(league.clubs[r.club].colour), r.name),
      el("td", {}, r.played),
      el("td", {}, r.goal_difference > 0 ? "+" + r.goal_difference : r.goal_difference),
      el("td", { class: "pts" }, r.points),
      el("td", { class: "form" }, r.form.map((f) => el("span", { class: "form-" + f }, f))));
    panel("league-table", [league.table, league.clubs], {
      count: league.table.length, max: sizes.big,
      draw: (n) => [el("table", { class: "league" }, el("thead", {}, head),
        el("tbody", {}, league.table.slice(0, n).map(row)))],
    });
  }

  // Matches: the score line, and under it each side's goals (disallowed ones struck
  // through, with their scorer); compact, the score line alone.
  function match(m, league) {
    const club = (id, name, side) => el("span", { class: side, "data-club": id },
      swatch(league.clubs[id] && league.clubs[id].colour), name);
    const goal = (g) => el("li", { class: g.disallowed ? "disallowed" : "" },
      el("span", { class: "who" }, g.agent ? `${g.minute}' ${g.agent}` : `${g.minute}'`),
      g.disallowed ? ` (${t.disallowed_mark})` : null);
    const side = (id, name) => el("ul", { class: "side " + name },
      m.goals.filter((g) => g.club === id).map(goal));
    return el("div", { class: "match", "data-match": m.match },
      el("div", { class: "teams" },
        club(m.home, m.home_name, "home"),
        el("span", { class: "score" }, `${m.home_goals} : ${m.away_goals}`),
        club(m.away, m.away_name, "away"),
        el("span", { class: "minute" }, m.state === "live" ? `${m.minute}'` : "")),
      m.goals.length ? el("div", { class: "goals" }, side(m.home, "home"), side(m.away, "away")) : null);
  }

  function matches(id, league, list, keep, max) {
    panel(id, list, {
      count: list.length, modes: ["full", "compact"], keep, max: max || sizes.body,
      draw: (n) => list.slice(0, n).map((m) => match(m, league)),
    });
  }

  function scorers(league) {
    const list = league ? league.scorers : [];
    panel("scorers", list, {
      count: list.length,
      draw: (n) => list.slice(0, n).map((s, i) => el("li", {},
        el("span", { class: "rank" }, `${i + 1}.`), el("span", { class: "name" }, s.agent),
        el("span", { class: "count" }, s.goals))),
    });
  }

  // Leaders --------------------------------------------------------------------
  function leaders(state) {
    const boards = [];
    for (const period of ["day", "week"]) {
      for (const by of ["agent", "team", "site"]) {
        const rows = state.leaderboards[period] && state.leaderboards[period][by];
        if (rows) boards.push({ id: `leaders-${period}-${by}`, by, title: `${period === "day" ? t.today : t.week} · ${t[by]}`, rows });
      }
    }
    const host = document.getElementById("leaderboards");
    const shape = boards.map((b) => b.id).join();
    if (host.dataset.shape !== shape) {
      host.dataset.shape = shape;
      host.style.setProperty("--columns", Math.max(1, boards.length / 2));
      host.replaceChildren(...boards.map((b) => el("div", { class: "panel board-list" },
        el("h2", {}, el("span", {}, b.title), el("span", { class: "unit" }, t.points)),
        el("ol", { class: "fit ranks", id: b.id }))));
      boards.forEach((b) => { fitted[b.id] = null; });
    }
    // Every list at one size, the one the fullest allows: side by side, lists in
    // different sizes would read as different in weight.
    const key = JSON.stringify([boards, sizes.viewport]);
    if (document.getElementById("scene-leaders").offsetParent !== null && fitted.leaders === key) return;
    fitted.leaders = null;
    for (const b of boards) {
      const rows = b.rows;
      fitted[b.id] = null;
      panel(b.id, rows, {
        count: Math.max(1, rows.length),
        draw: (n) => rows.length ? rows.slice(0, n).map((r) => el("li", {},
          el("span", { class: "rank" }, r.rank),
          el("span", { class: "name" }, b.by === "site" ? swatch(siteColour(r.id)) : null, r.name),
          el("span", { class: "value" }, number.format(r.points))))
          : [el("li", { class: "muted" }, t.nothing_yet)],
      });
    }
    const lists = boards.map((b) => document.getElementById(b.id));
    if (lists.length && lists[0].offsetParent !== null) {
      const smallest = Math.min(...lists.map((list) => parseFloat(list.style.fontSize) || sizes.body));
      lists.forEach((list) => { list.style.fontSize = `${smallest}px`; });
      fitted.leaders = key;
    }
  }

  // Ticker: as many of the latest sales and prizes as fit on its line, newest first;
  // more than fit are shown a page at a time.
  function ticker(state) {
    const items = state.ticker.map((item) => item.kind === K.sale
      ? el("span", { class: "tick sale" }, `${item.agent} ${t.sold} ${item.product} · `,
        el("span", { class: "money" }, money.format(item.revenue)))
      : el("span", { class: "tick prize" }, icon("trophy"), `${item.agent} ${t.won} ${item.prize}`));
    const box = document.getElementById("ticker");
    const key = JSON.stringify([state.ticker, sizes.viewport]);
    if (fitted.ticker !== key) {
      fitted.ticker = key;
      box.replaceChildren(...items);
      paginate();
    }
  }

  function paginate() {
    const box = document.getElementById("ticker");
    const items = [...box.children];
    items.forEach((item) => { item.hidden = false; });
    const gap = parseFloat(getComputedStyle(box).columnGap) || 0;
    const pages = [];
    let width = Infinity;
    for (const item of items) {
      const wide = item.getBoundingClientRect().width;
      if (width + gap + wide > box.clientWidth) {
        pages.push([]);
        width = wide;
      } else {
        width += gap + wide;
      }
      pages[pages.length - 1].push(item);
    }
    box.pages = pages;
    showTickerPage();
  }

  function showTickerPage() {
    const box = document.getElementById("ticker");
    const pages = box.pages || [];
    if (!pages.length) return;
    tickerPage %= pages.length;
    pages.forEach((page, n) => page.forEach((item) => { item.hidden = n !== tickerPage; }));
  }

  // Charts -------------------------------------------------------------------------
  function charts(state) {
    if (!window.Plotly || !isVisible("charts")) return;
    const league = seasonOf(shown);
    replace("race-title", league ? `${t.race} · ${league.name}` : t.race);
    // The key first: the room it takes is the charts' to lose.
    const entries = BoardCharts.key(state, league);
    panel("chart-key", entries, {
      count: entries.length, max: sizes.min,
      draw: (n) => entries.slice(0, n).map((e) => el("li", { "data-site": e.id }, swatch(e.colour), e.name)),
    });
    const key = JSON.stringify([league && league.race, league && league.clubs, state.sales_by_hour,
      entries.length, sizes.viewport]);
    if (fitted.charts !== key) {
      fitted.charts = key;
      BoardCharts.race(league, config, sizes);
      BoardCharts.hours(state, config, sizes);
    }
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
    const league = seasonOf(shown);
    // The strips first: the room they take is the panels' beside them to lose.
    ticker(state);
    scorers(league);
    table(league);
    const live = league ? league.live : [];
    document.querySelector(".live-panel").hidden = !live.length;
    matches("live-matches", league, live, live.length);
    // Results no larger than the live matches above them.
    const liveSize = live.length ? parseFloat(document.getElementById("live-matches").style.fontSize) : 0;
    matches("results", league, league ? league.results : [], 3, liveSize || sizes.body);
    leaders(state);
    charts(state);
    contests.render(state);
    refit();
  }

  // A box that lost room to a neighbour drawn after it is fitted again.
  function refit() {
    for (const [id, options] of Object.entries(drawers)) {
      const box = document.getElementById(id);
      if (fitted[id] && box && box.offsetParent !== null && !Fit.fits(box)) Fit.fit(box, options);
    }
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
    }
    document.querySelectorAll(".scene").forEach((node) =>
      node.classList.toggle("active", node.dataset.scene === scene));
    drawDots();
    if (latest) render(latest);
  }

  function drawDots() {
    const rotation = slots();
    const labels = rotation.map(([scene, season]) =>
      season !== null && seasons().length > 1 ? `${t[scene]} · ${seasonOf(season).name}` : t[scene] || scene);
    // A scene of several pages says which is on screen: "Contests 1/2".
    const paging = rotation[sceneIndex] && rotation[sceneIndex][0] === "contests"
      ? contests.page() : { label: "" };
    const key = JSON.stringify([labels, sceneIndex, paging.label]);
    if (key === slotsDrawn) return;
    slotsDrawn = key;
    if (sceneIndex >= rotation.length) sceneIndex = 0;
    replace("scene-dots", ...labels.map((label, n) => n === sceneIndex
      ? el("span", { class: "dot active" }, label, paging.label
        ? el("span", { class: "page", title: paging.title, "data-testid": "scene-page" }, paging.label) : null)
      : el("span", { class: "dot", title: label })));
  }

  // The company's name takes the header's room, down to the board's least size.
  function fitTitle() {
    Fit.size(document.getElementById("title"), sizes.min, sizes.title);
  }

  measure();
  fitTitle();
  const contests = BoardContests.create({ el, t, panel, swatch, lang: config.lang, sizes: () => sizes,
    rotate: config.rotate, rotating: () => slots().length > 1, paged: () => drawDots() });
  // The room a scene has changes with the window, and when the logo has loaded:
  // every box is fitted again.
  let resized = null;
  new ResizeObserver(() => {
    cancelAnimationFrame(resized);
    resized = requestAnimationFrame(() => {
      measure();
      fitTitle();
      for (const id of Object.keys(fitted)) fitted[id] = null;
      if (latest) render(latest);
    });
  }).observe(document.getElementById("scenes"));
  const celebrations = Celebrations.create({
    config, latest: () => latest, seasonOf, shown: () => shown });
  showScene(0);
  // Always ticking: a second season launched later adds a turn to a board of one scene.
  setInterval(() => { if (slots().length > 1) showScene(sceneIndex + 1); }, config.rotate * 1000);
  setInterval(() => { tickerPage += 1; showTickerPage(); }, TICKER_PAGE_MS);
  Live.connect(config, { state: render, events: celebrations.push });
})();

// The board's celebrations. Goals, disallowed goals, prizes and savings goals reached
// come as a banner at the foot of the scene, naming who scored or won; the big
// moments, a tombola draw and a season won, take the whole screen. One at a time,
// and never more than a set share of the time (MAX_SHARE).
//
// The board owns the scenes; it hands this module the push frames' events and tells
// it which season is on screen. A season's goal shows only while that season's
// table is on screen, since a goal over another season's table reads as a goal there.
"use strict";

window.Celebrations = (function () {
  // At most this share of any rolling minute has a celebration on screen. A board is
  // read in glances from across the room: in a rush (a goal every few seconds, a burst
  // of prizes) moments shown back to back would hide the table and the leaders more
  // often than not. A quarter leaves the board itself three glances in four. What
  // does not fit waits and is merged into one card ("3 goals"), the least important
  // left off it; the live matches and the ticker show everything anyway.
  const MAX_SHARE = 0.25;
  const WINDOW_MS = 60000;
  const BUDGET_MS = MAX_SHARE * WINDOW_MS;
  // A pause between two moments, so that they read as two.
  const GAP_MS = 1500;
  // A moment that waited this long is old news: the scene shows it by now.
  const STALE_MS = 90000;
  const SHOW_MS = { goal: 5000, goal_disallowed: 5000, prize: 6000, goal_reached: 5000,
    contest_provisional: 6000, contest_final: 6000,
    digest: 7000, season_ended: 9000, empty_draw: 5000 };
  // What a merged card lists first; what is left off it.
  const RANK = { goal: 3, prize: 3, goal_reached: 2, goal_disallowed: 1 };
  const DIGEST_LINES = 4;
  // The tombola's drum: the first spin, each further prize's, the prizes revealed
  // together after SPINS spins, and the hold on the results.
  const SPIN_MS = 2600;
  const RESPIN_MS = 1000;
  const SPINS = 4;
  const REVEAL_MS = 250;
  const HOLD_MS = 4000;
  // The card's exit, inside its time on screen.
  const LEAVE_MS = 350;
  // The sound file of each kind of moment; a disallowed goal is silent.
  const SOUND_OF = { goal: "goal", prize: "prize", goal_reached: "prize", tombola_drawn: "tombola",
    season_ended: "season" };

  // board: { config, latest() -> state, seasonOf(id) -> league, shown() -> season id }
  function create(board) {
    const t = board.config.strings;
    const K = Live.kinds(board.config);
    const { el } = Live;
    const number = new Intl.NumberFormat(board.config.lang);
    const node = document.getElementById("celebration");
    const queue = [];
    // [from, to] of each moment on screen in the last window, oldest first
    const spans = [];
    let current = null;
    let timers = [];
    let waiting = null;
    const players = {};

    const plural = new Intl.PluralRules(board.config.lang);

    // "{n} goals" with n, or "{n} goal" where the language says n is one.
    function words(key, n) {
      const one = `${key}_one`;
      // ({count} in the words the widget shares, such as n_points)
      return t[plural.select(n) === "one" && one in t ? one : key].replace(/\{(n|count)\}/, number.format(n));
    }

    function onScreen(season) {
      return season === undefined || season === board.shown();
    }

    // Events -> moments ------------------------------------------------------
    function push(events) {
      const now = Date.now();
      for (const event of events) {
        const moment = momentOf(event);
        if (moment) queue.push({ ...moment, event, at: now });
      }
      if (current && !current.big && queue.some((m) => m.big)) finish();
      schedule();
    }

    function momentOf(event) {
      switch (event.kind) {
        case K.goal:
        case K.goal_disallowed:
          return onScreen(event.season) ? { kind: event.kind, season: event.season } : null;
        case K.prize:
          // A prize drawn in a tombola is shown with the draw's other winners.
          return event.tombola === undefined ? { kind: event.kind } : null;
        case K.goal_reached:
        case K.contest_provisional:
        case K.contest_final:
          return { kind: event.kind };
        case K.tombola_drawn:
          return { kind: event.kind, big: true };
        case K.season_ended:
          return { kind: event.kind, big: true };
        default:
          return null;
      }
    }

    // The season on screen changed: a goal of another season is not shown over it.
    function seasonChanged() {
      queue.splice(0, queue.length, ...queue.filter((m) => onScreen(m.season)));
      if (current && !onScreen(current.season)) finish();
    }

    // Scheduling -------------------------------------------------------------
    function schedule() {
      clearTimeout(waiting);
      waiting = null;
      if (current) return;
      const now = Date.now();
      queue.splice(0, queue.length, ...queue.filter((m) => now - m.at < STALE_MS && onScreen(m.season)));
      if (!queue.length) return;
      const next = pick();
      const wait = Math.max(untilRoom(next.duration, now), gapLeft(now));
      if (wait > 0) {
        waiting = setTimeout(schedule, wait);
        return;
      }
      queue.splice(0, queue.length, ...queue.filter((m) => !next.items.includes(m)));
      show(next, now);
    }

    // The next thing to show: a big moment first, else the one moment waiting, else
    // all of them merged into one card.
    function pick() {
      const big = queue.find((m) => m.big);
      if (big) return { ...big, items: [big], duration: bigDuration(big) };
      if (queue.length === 1) return { ...queue[0], items: [queue[0]], duration: SHOW_MS[queue[0].kind] };
      return { kind: "digest", merged: true, items: [...queue], duration: SHOW_MS.digest,
        season: queue.every((m) => m.season === queue[0].season) ? queue[0].season : undefined };
    }

    function gapLeft(now) {
      return spans.length ? spans[spans.length - 1][1] + GAP_MS - now : 0;
    }

    // How long until `duration` more on screen keeps every rolling window within the
    // budget. The window ending when this moment would end holds the most: the
    // moments before it fall out of it as time goes on.
    function untilRoom(duration, now) {
      const allowed = BUDGET_MS - Math.min(duration, BUDGET_MS);
      let used = 0;
      for (let i = spans.length - 1; i >= 0; i--) {
        const [from, to] = spans[i];
        if (used + (to - from) > allowed) {
          const windowFrom = to - (allowed - used);
          return Math.max(0, windowFrom + WINDOW_MS - duration - now);
        }
        used += to - from;
      }
      return 0;
    }

    function show(moment, now) {
      current = { ...moment, from: now };
      while (spans.length && spans[0][1] < now - WINDOW_MS) spans.shift();
      node.dataset.season = moment.season || "";
      node.dataset.kind = moment.kind;
      node.className = "celebration " + (moment.big ? "moment-stage" : "moment-card");
      if (moment.kind === K.tombola_drawn) drawTombola(moment.event);
      else if (moment.kind === K.season_ended) drawChampion(moment.event);
      else if (moment.merged) drawDigest(moment.items);
      else drawCard(moment.event);
      node.hidden = false;
      place(!moment.big);
      fitAll();
      node.classList.add("enter");
      play(moment.merged ? moment.items.slice().sort(byRank)[0].kind : moment.kind);
      later(() => node.classList.add("leave"), moment.duration - LEAVE_MS);
      later(finish, moment.duration);
    }

    function later(run, ms) {
      timers.push(setTimeout(run, ms));
    }

    function finish() {
      if (!current) return;
      timers.forEach(clearTimeout);
      timers = [];
      spans.push([current.from, Date.now()]);
      current = null;
      node.hidden = true;
      node.className = "celebration";
      node.replaceChildren();
      schedule();
    }

    // A card sits at the foot of the scene area, whatever the scenes' layout; a big
    // moment takes the whole screen (its style's own place).
    function place(card) {
      const scenes = document.getElementById("scenes");
      const area = card && scenes ? scenes.getBoundingClientRect() : null;
      node.style.left = area ? `${area.left}px` : "";
      node.style.right = area ? `${innerWidth - area.right}px` : "";
      node.style.bottom = area ? `${innerHeight - area.bottom}px` : "";
    }

    function byRank(a, b) {
      return (RANK[b.kind] || 0) - (RANK[a.kind] || 0) || a.at - b.at;
    }

    // Cards ------------------------------------------------------------------
    function drawCard(event) {
      const { label, sub, colour, who, what, picture } = describe(event);
      node.style.setProperty("--moment", colour);
      node.replaceChildren(
        el("div", { class: "moment-badge", id: "celebration-title" },
          el("span", { class: "moment-label" }, label), sub ? el("span", { class: "moment-sub" }, sub) : null),
        el("div", { class: "moment-body", id: "celebration-text" },
          el("div", { class: "moment-who fit" }, who), el("div", { class: "moment-what fit" }, what)),
        ...(event.kind === K.prize ? [pictureOf(picture, "moment-picture")] : []));
      node.setAttribute("aria-label", [label, sub, who, what].filter(Boolean).join(" · "));
    }

    // What a card says about one event: who (the agent's public name; the club when
    // the board may not name them) and what.
    function describe(event) {
      if (event.kind === K.goal || event.kind === K.goal_disallowed) {
        const disallowed = event.kind === K.goal_disallowed;
        const what = disallowed ? `${score(event)} · ${reason(event)}` : score(event);
        return { label: disallowed ? t.moment_disallowed : t.moment_goal, sub: `${event.minute}'`,
          colour: disallowed ? "var(--bad)" : event.colour || "var(--accent)",
          who: event.agent || clubName(event, event.club), what };
      }
      if (event.kind === K.prize) {
        return { label: t.moment_prize, colour: "var(--warn)", who: event.agent,
          what: `${t.wins} ${event.prize}`, picture: event.picture };
      }
      if (event.kind === K.contest_provisional || event.kind === K.contest_final) {
        // Its winners by the names the board may show; the contest's name alone if none.
        const provisional = event.kind === K.contest_provisional;
        return { label: provisional ? t.moment_contest_provisional : t.moment_contest,
          colour: "var(--win)", who: (event.winners || []).join(" · ") || event.name, what: event.name };
      }
      return { label: t.moment_goal_reached, colour: "var(--accent)", who: event.agent,
        what: `${t.reached} ${event.title}` };
    }

    // "Hamburg 2 : 2 Berlin", the home club first.
    function score(event) {
      const [home, away] = event.score;
      if (event.home_name === undefined) return `${clubName(event, event.club)} · ${home} : ${away}`;
      return `${event.home_name} ${home} : ${away} ${event.away_name}`;
    }

    // The core gives a disallowed goal's reason in English ("sale s-1 cancelled").
    function reason(event) {
      return /^sale .* cancelled$/.test(event.reason) ? t.reason_cancelled : event.reason;
    }

    function clubName(event, club) {
      const league = board.seasonOf(event.season);
      return league && league.clubs[club] ? league.clubs[club].name : club;
    }

    function drawDigest(items) {
      const counts = {};
      for (const item of items) counts[item.kind] = (counts[item.kind] || 0) + 1;
      const sorted = items.slice().sort(byRank);
      const shown = interleave(sorted).slice(0, DIGEST_LINES);
      const lines = shown.map((item) => {
        const { sub, who, what } = describe(item.event);
        return el("li", { "data-kind": item.kind }, sub ? el("span", { class: "moment-sub" }, sub) : null,
          el("b", {}, who), ` · ${what}`);
      });
      if (sorted.length > shown.length) lines.push(el("li", { class: "moment-more" }, words("more", sorted.length - shown.length)));
      const kinds = Object.keys(counts).sort((a, b) => (RANK[b] || 0) - (RANK[a] || 0));
      node.style.setProperty("--moment", kinds[0] === K.goal_disallowed ? "var(--bad)" : kinds[0] === K.prize ? "var(--warn)" : "var(--accent)");
      node.replaceChildren(
        el("div", { class: "moment-badge", id: "celebration-title" },
          kinds.map((kind) => el("span", { class: "moment-label" }, words("n_" + kind, counts[kind])))),
        el("div", { class: "moment-body", id: "celebration-text" }, el("ul", { class: "moment-lines" }, lines)));
      node.setAttribute("aria-label", node.textContent);
    }

    // Moments taken from each kind in turn, the most important kind first: a burst of
    // prizes does not push the goal out of the card, nor the goals the prizes.
    function interleave(sorted) {
      const byKind = new Map();
      for (const item of sorted) {
        if (!byKind.has(item.kind)) byKind.set(item.kind, []);
        byKind.get(item.kind).push(item);
      }
      const turns = [];
      for (let round = 0; turns.length < sorted.length; round++) {
        for (const list of byKind.values()) if (round < list.length) turns.push(list[round]);
      }
      return turns;
    }

    // A prize's picture, or a wrapped present where it has none.
    function pictureOf(url, className) {
      return el("div", { class: className },
        url ? el("img", { src: url, alt: "", referrerpolicy: "no-referrer" }) : el("span", { class: "gift" }));
    }

    // Big moments -----------------------------------------------------------
    function bigDuration(moment) {
      if (moment.kind !== K.tombola_drawn) return SHOW_MS[moment.kind];
      const count = (moment.event.prizes || moment.event.winners || []).length;
      if (!count) return SHOW_MS.empty_draw;
      const spins = Math.min(count, SPINS);
      return Math.min(BUDGET_MS - GAP_MS,
        SPIN_MS + (spins - 1) * RESPIN_MS + (count - spins) * REVEAL_MS + HOLD_MS);
    }

    function drawTombola(event) {
      const latest = board.latest();
      const drum = (latest && latest.tombolas.find((x) => x.tombola === event.tombola)) || {};
      const prizes = event.prizes || event.winners.map((winner) => ({ prize: "", winner }));
      const entrants = (drum.entrants || []).filter((name) => name !== "?");
      const names = entrants.length ? entrants : prizes.map((p) => p.winner).filter(Boolean);
      const rolling = el("div", { class: "drum-name fit" }, names[0] || "");
      const drawingFor = el("div", { class: "drum-for fit" });
      const results = el("ol", { class: "draw-results", id: "celebration-text" });
      const columns = prizes.length > 10 ? 3 : prizes.length > 4 ? 2 : 1;
      results.style.setProperty("--columns", columns);
      results.classList.toggle("stacked", columns > 1);
      node.style.removeProperty("--moment");
      node.replaceChildren(
        el("div", { class: "stage-label", id: "celebration-title" }, t.tombola_draw),
        el("h2", { class: "stage-title" }, event.name || drum.name || ""),
        el("div", { class: "drum" }, drawingFor, rolling),
        results);
      node.setAttribute("aria-label", `${t.tombola_draw} · ${event.name || drum.name || ""}`);
      if (!prizes.length) {
        drawingFor.textContent = t.no_tickets;
        rolling.remove();
        return;
      }
      let elapsed = 0;
      prizes.forEach((prize, index) => {
        if (index < SPINS) {
          const spin = index === 0 ? SPIN_MS : RESPIN_MS;
          later(() => { drawingFor.textContent = prize.prize ? `${t.drawing_for}: ${prize.prize}` : ""; fit(drawingFor); }, elapsed);
          turn(rolling, names, elapsed, spin);
          elapsed += spin;
        } else {
          elapsed += REVEAL_MS;
        }
        later(() => {
          rolling.textContent = prize.winner || t.name_hidden;
          fit(rolling);
          results.append(resultRow(prize));
          fit(results, 0.5);
        }, elapsed);
      });
      later(() => node.classList.add("drawn"), elapsed);
      // Many prizes: after the first spins, the rest are revealed together, and the
      // drum makes room for them.
      if (prizes.length > SPINS) later(() => node.classList.add("revealing"), SPIN_MS + (SPINS - 1) * RESPIN_MS);
    }

    // The drum turns through the entrants, slowing down, for `spin` ms from `start`.
    function turn(rolling, names, start, spin) {
      let at = start;
      let step = 50;
      let index = Math.floor(Math.random() * names.length);
      while (at + step < start + spin) {
        index = (index + 1) % names.length;
        const name = names[index];
        later(() => { rolling.textContent = name; }, at);
        at += step;
        step *= 1.1;
      }
    }

    function resultRow(prize) {
      return el("li", {}, pictureOf(prize.picture, "result-picture"),
        el("span", { class: "result-prize" }, prize.prize),
        el("span", { class: prize.winner ? "result-winner" : "result-winner hidden-name" }, prize.winner || t.name_hidden));
    }

    function drawChampion(event) {
      node.style.setProperty("--moment", event.colour || "var(--accent)");
      const champion = event.champion_name || event.champion;
      if (!champion) {
        // Ended before a match was played: no champion to celebrate, the season's end.
        node.replaceChildren(
          el("div", { class: "stage-label", id: "celebration-title" }, t.season_over),
          el("div", { class: "champion", id: "celebration-text" },
            el("div", { class: "champion-name stage-title" }, event.name || "")));
        node.setAttribute("aria-label", node.textContent);
        return;
      }
      node.replaceChildren(
        el("div", { class: "stage-label", id: "celebration-title" }, `${t.moment_season} · ${event.name || ""}`),
        el("div", { class: "champion", id: "celebration-text" },
          el("div", { class: "stars" }, el("span", { class: "star" }), el("span", { class: "star" }), el("span", { class: "star" })),
          el("div", { class: "champion-name stage-title" }, champion),
          el("div", { class: "champion-line" }, t.season_won,
            event.points === null || event.points === undefined ? "" : ` · ${words("n_points", event.points)}`)));
      node.setAttribute("aria-label", node.textContent);
    }

    // Text that must not overflow its box is made smaller until it fits: a long name,
    // a tombola's long title, many prizes.
    function fitAll() {
      node.querySelectorAll(".fit, .stage-title, .draw-results").forEach((box) => fit(box));
      // A merged card's lines at one size: the one the longest line needs.
      const lines = [...node.querySelectorAll(".moment-lines li")];
      // Not below 80 %: a longer line ends in an ellipsis rather than all lines shrinking.
      const sizes = lines.map((line) => { fit(line, 0.8); return parseFloat(line.style.fontSize) || Infinity; });
      const smallest = Math.min(...sizes);
      if (smallest !== Infinity) lines.forEach((line) => { line.style.fontSize = `${smallest}px`; });
    }

    function fit(box, floor = 0.4) {
      box.style.fontSize = "";
      let size = parseFloat(getComputedStyle(box).fontSize);
      const smallest = size * floor;
      // A font's ascent and descent may stand a little out of its lines: overflowing
      // means a quarter of a line more than the box holds.
      while (size > smallest && (box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + size / 4)) {
        size *= 0.9;
        box.style.fontSize = `${size}px`;
      }
    }

    // Sound ------------------------------------------------------------------
    // Each kind's file is fetched when first played, and only with sound on.
    function play(kind) {
      const url = board.config.sound && board.config.sounds && board.config.sounds[SOUND_OF[kind]];
      if (!url) return;
      const audio = players[url] || (players[url] = new Audio(url));
      audio.currentTime = 0;
      const playing = audio.play();
      // A browser that allows no sound before a click (one not set up as a kiosk)
      // refuses: the board goes on silently.
      if (playing) playing.catch(() => {});
    }

    return { push, seasonChanged };
  }

  return { create, MAX_SHARE, WINDOW_MS };
})();

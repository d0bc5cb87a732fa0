// The board's contests scene: a panel per team battle, race and cup, and one for
// all running 1v1 challenges. Each panel lays itself out from its content
// (board.js's `panel`, fit.js). A result that rests on sales still in their
// cancellation window is drawn dashed and says "provisional"; a revoked sale shows
// struck through under its contest; a decided contest shows its winners for a day.
//
// More panels than show whole at the board's least size are split into pages,
// measured when the scene comes on screen and again only when what the panels hold
// changes shape (a contest, a side, a winner more or less, another screen size):
// a live score moves no panel to another page. The pages share the scene's time
// on screen, counted from when it came on, so an update never turns one back; the
// header says which is shown ("Contests 1/2").
"use strict";

window.BoardContests = (function () {
  function create(board) {
    const { el, t, panel, swatch, sizes, lang, rotate, rotating, paged } = board;
    const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
    const money = new Intl.NumberFormat(lang, { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
    let shape = "";  // the plan and the page the panels on screen were laid out for
    let plan = null;  // the pages, and what they were measured from
    let drawn = 0;  // layouts so far
    let shownAt = null;  // when the scene came on screen
    let turn = null;  // the timer of the next page
    let latest = null;
    let paging = { label: "", title: "" };

    function amount(contest, value) {
      return contest.metric === "revenue" ? money.format(value) : number.format(value);
    }

    // What a row's figure is: the fair value when the contest ranks by one.
    function figure(contest, row) {
      if (row.ranked_by === undefined) return amount(contest, row.score);
      if (contest.fairness === "target") return `${number.format(row.ranked_by)} %`;
      return number.format(row.ranked_by);
    }

    function unit(contest) {
      const metric = t[`board_metric_${contest.metric}`] || contest.metric;
      if (contest.fairness === "per_head") return `${metric} ${t.per_head}`;
      if (contest.fairness === "target") return t.of_target;
      if (contest.fairness === "improvement") return `${metric} ${t.improvement}`;
      return metric;
    }

    function title(contest) {
      // The format shows itself (bars, a bracket); a race's line is said.
      const line = contest.format === "race"
        ? `${t.race_to.replace("{n}", amount(contest, contest.race.target))} · ` : "";
      // The red "−2" beside a figure, said once where a side has one.
      const rows = contest.format === "team_battle" || contest.format === "race" ? contest.standings : [];
      const key = rows.some((row) => row.revoked) ? ` · ${t.revoked_key}` : "";
      return [el("span", { class: "contest-name" }, contest.name),
        el("span", { class: "unit" }, `${line}${unit(contest)}${key}`)];
    }

    function mark(provisional) {
      return provisional ? el("span", { class: "provisional-mark" }, t.provisional) : null;
    }

    function winners(contest) {
      if (!contest.winners) return null;
      return el("div", { class: "contest-winners" + (contest.provisional ? " provisional" : ""),
        "data-testid": "contest-winners" },
      el("span", { class: "winner-label" }, t.winner_screen),
      el("span", { class: "winner-names" }, contest.winners.map((w) => w.name).join(" · ")),
      mark(contest.provisional));
    }

    function revoked(contest, n) {
      return contest.revoked.slice(0, Math.max(0, n)).map((r) => el("li", { class: "revoked" },
        el("s", {}, `${r.name} · ${r.product}`), ` (${t.revoked_sale})`));
    }

    // How many of a side's sales were revoked, in red beside its figure (the title
    // says what the red figure is).
    function taken(row) {
      return el("span", { class: "taken" }, row.revoked ? `−${number.format(row.revoked)}` : null);
    }

    // A team battle: a bar per side, as long as its share of the leader's figure.
    function battle(contest, n) {
      const rows = contest.standings.slice(0, n);
      const top = Math.max(...contest.standings.map((r) => r.ranked_by ?? r.score), 1e-9);
      return rows.map((row) => el("li", { class: "side" + (row.provisional ? " provisional" : "") },
        el("span", { class: "rank" }, row.rank),
        el("span", { class: "name" }, swatch(row.colour), row.name),
        el("span", { class: "bar" }, el("span", { class: "fill",
          style: { width: `${Math.max(0, 100 * (row.ranked_by ?? row.score) / top)}%`,
            background: row.colour || "var(--accent)" } })),
        el("span", { class: "value" }, figure(contest, row)), taken(row)));
    }

    // A race: each runner's way to the line, the places at the line flagged.
    function race(contest, n) {
      // Per head or to each one's own target, the line is the fair value's.
      const target = contest.fairness === "target" ? 100 : contest.race.target || 1;
      return contest.standings.slice(0, n).map((row) => el("li", {
        class: "runner" + (row.reached ? " reached" : "") + (row.provisional ? " provisional" : "") },
      el("span", { class: "rank" }, row.rank),
      el("span", { class: "name" }, swatch(row.colour), row.name),
      el("span", { class: "track" }, el("span", { class: "fill",
        style: { width: `${Math.min(100, Math.max(0, 100 * (row.ranked_by ?? row.score) / target))}%`,
          background: row.colour || "var(--accent)" } })),
      el("span", { class: "value" }, row.reached ? t.at_line : figure(contest, row)), taken(row)));
    }

    // Running challenges: "Anna B.  3 : 2  Jonas K.", by public names only.
    function duels(list, n) {
      return list.slice(0, n).map((contest) => {
        const [challenger, opponent] = [contest.challenge.challenger.name, contest.challenge.opponent.name];
        const [home, away] = contest.challenge.scores.map((value) => amount(contest, value));
        return el("li", { class: "duel" + (contest.provisional ? " provisional" : ""), "data-contest": contest.contest },
          el("span", { class: "home" }, challenger),
          el("span", { class: "score" }, `${home} : ${away}`),
          el("span", { class: "away" }, opponent),
          el("span", { class: "unit" }, t[`board_metric_${contest.metric}`] || contest.metric),
          contest.winners ? el("span", { class: "won" }, contest.winners.map((w) => w.name).join(" · ")) : null,
          mark(contest.provisional));
      });
    }

    // A cup: a column per round, each tie its two sides with their score.
    function cup(contest, mode) {
      const rounds = contest.cup.rounds;
      const label = (r) => r.round === rounds.length ? t.final_round
        : r.round === rounds.length - 1 ? t.semi_final
          : r.round === rounds.length - 2 ? t.quarter_final : t.round_n.replace("{n}", r.round);
      const sum = (legs, side) => legs.reduce((total, leg) => total + leg[side], 0);
      const side = (tie, who, index) => {
        if (!who) return el("div", { class: "cup-side tbd" }, "–");
        if (who.bye) return el("div", { class: "cup-side bye" }, t.bye);
        const legs = tie.legs.length ? tie.legs : tie.live || [];
        const won = tie.winner && tie.winner.name === who.name;
        return el("div", { class: "cup-side" + (won ? " through" : tie.winner ? " out" : "") },
          swatch(who.colour), el("span", { class: "name" }, who.name),
          el("span", { class: "value" }, legs.length ? amount(contest, sum(legs, index)) : ""));
      };
      // A bye is one line: the side that goes through, and "bye".
      const bye = (tie) => {
        const who = tie.home && !tie.home.bye ? tie.home : tie.away;
        return el("div", { class: "cup-side through" }, swatch(who && who.colour),
          el("span", { class: "name" }, who ? who.name : "–"), el("span", { class: "value muted" }, t.bye));
      };
      // How a tie was decided, where the score alone does not say: over two legs,
      // on away goals, by lots.
      const told = (tie) => tie.by && tie.by !== "bye" && (tie.by !== "aggregate" || contest.cup.legs > 1);
      const how = (tie) => mode === "full" && told(tie)
        ? el("div", { class: "cup-by" }, t[`by_${tie.by}`] || tie.by) : null;
      return rounds.map((r) => el("div", { class: "cup-round", "data-round": r.round },
        el("h3", {}, label(r)),
        r.ties.map((tie) => el("div", { class: "cup-tie" + (tie.live ? " live" : ""),
          "data-by": tie.by || "" },
        ...(tie.by === "bye" ? [bye(tie)] : [side(tie, tie.home, 0), side(tie, tie.away, 1), how(tie)])))));
    }

    // "+4 more": what a list left out, on a line of its own; marked "room" when the
    // screen left rows out (not only the state, which holds a contest's top rows).
    function more(hidden, room) {
      return hidden > 0 ? el("li", { class: room ? "more room" : "more", "data-testid": "contest-more" },
        t.more.replace("{n}", number.format(hidden))) : null;
    }

    // The first `n` items: the standings (a cup's bracket is one), then the revoked
    // sales, which are the first to go when room is short. A list cut short says
    // how many rows it left out.
    function drawBody(contest, n, list, mode) {
      if (contest.format === "challenge") {
        return [el("ol", { class: "duels" }, duels(list, n), more(list.length - n, true))];
      }
      const shown = contest.format === "cup" ? 1 : Math.min(n, contest.standings.length);
      const foot = [winners(contest),
        el("ol", { class: "revoked-sales" }, revoked(contest, n - shown))].filter(Boolean);
      if (contest.format === "cup") return [el("div", { class: "bracket" }, cup(contest, mode)), ...foot];
      const rows = contest.format === "race" ? race(contest, shown) : battle(contest, shown);
      return [el("ol", { class: contest.format === "race" ? "race-track" : "battle" }, rows,
        more((contest.ranked || contest.standings.length) - shown, shown < contest.standings.length)), ...foot];
    }

    function items(p) {
      const rows = p.contest.format === "cup" ? 1 : p.count;
      return p.contest.format === "challenge" ? p.count : rows + p.contest.revoked.length;
    }

    // What a panel must show to be whole: every side or duel (a cup: its bracket);
    // its revoked sales may go for room.
    function whole(p) {
      return Math.max(1, p.contest.format === "cup" ? 1 : p.count);
    }

    function modes(p) {
      return p.contest.format === "cup" ? ["full", "compact"] : [""];
    }

    // The panels in the order they are given pages: the cups, then the shortest
    // lists first, so that the first page holds the most contests.
    function panelsOf(state) {
      const contests = state.contests || [];
      const challenges = contests.filter((c) => c.format === "challenge");
      const panels = contests.filter((c) => c.format !== "challenge")
        .map((c) => ({ id: c.contest, contest: c, list: [c], count: c.standings.length }));
      if (challenges.length) {
        panels.push({ id: "challenges", contest: challenges[0], list: challenges, count: challenges.length });
      }
      return panels.sort((a, b) => cups(a, b) || whole(a) - whole(b));
    }

    // Cups before the other panels.
    function cups(a, b) {
      return Number(b.contest.format === "cup") - Number(a.contest.format === "cup");
    }

    // What a panel's height depends on: a plan of pages holds while none of it changes.
    function outline(p) {
      const c = p.contest;
      return [p.id, c.format, p.count, c.name, Boolean(c.winners), Boolean(c.provisional),
        c.cup ? c.cup.rounds.map((r) => r.ties.map((tie) => tie.by || "")) : null];
    }

    // Lays `group` out in the grid: two columns, a cup across both, a last panel
    // alone in its row too; `rows` are the rows' weights, or null for rows as tall
    // as their content (to measure it).
    function layout(group, rows) {
      const host = document.getElementById("contest-panels");
      const cups = group.filter((p) => p.contest.format === "cup").length;
      const columns = group.length > 1 ? 2 : 1;
      const count = cups + Math.ceil((group.length - cups) / columns);
      host.style.setProperty("--columns", columns);
      host.style.gridTemplateRows = rows ? rows.map((r) => `minmax(0, ${r.toFixed(2)}fr)`).join(" ")
        : `repeat(${count}, max-content)`;
      host.replaceChildren(...group.map((p, n) => {
        const wide = p.contest.format === "cup" || (n === group.length - 1 && (group.length + cups) % 2 === 1);
        return el("div", { class: `panel contest contest-${p.contest.format}` + (wide && columns === 2 ? " wide" : ""),
          "data-contest": p.id },
        el("h2", { id: `contest-title-${n}` }),
        el("div", { class: "fit contest-body", id: `contest-body-${n}` }));
      }));
    }

    function headings(group) {
      group.forEach((p, n) => {
        const heading = p.id === "challenges" ? [el("span", {}, t.challenges)]
          : [...title(p.contest), mark(p.contest.provisional)];
        document.getElementById(`contest-title-${n}`).replaceChildren(...heading.filter(Boolean));
      });
    }

    // Whether `group` shows whole on one page at the board's least size: each panel
    // in its most compact form, rows as tall as their content. Measured, like every
    // fitted box: the rows' heights (px), or null when it does not fit.
    function holds(group) {
      layout(group, null);
      headings(group);
      const host = document.getElementById("contest-panels");
      const least = `${sizes().min}px`;
      for (let n = 0; n < group.length; n++) {
        const body = document.getElementById(`contest-body-${n}`);
        const forms = modes(group[n]);
        body.dataset.mode = forms[forms.length - 1];
        body.style.fontSize = least;
        body.replaceChildren(...drawBody(group[n].contest, whole(group[n]), group[n].list, body.dataset.mode));
        if (body.scrollWidth > body.clientWidth + 1) return null;
      }
      const style = getComputedStyle(host);
      const rows = style.gridTemplateRows.split(" ").map(parseFloat);
      const tall = rows.reduce((sum, row) => sum + row, 0) + (rows.length - 1) * (parseFloat(style.rowGap) || 0);
      return tall <= host.clientHeight + 1 ? rows : null;
    }

    // A page's panels in their places: its cups along the top, then the longest
    // lists first, two by two, so that lists of a length stand side by side and the
    // shortest, alone in its row, takes the page's width.
    function arrange(group) {
      return [...group].sort((a, b) => cups(a, b) || whole(b) - whole(a));
    }

    // Pages of panels, each as many as show whole at the least size: a panel goes
    // on the first page with room for it. Each row is as tall as its share of what
    // the page's rows hold at that size, so that every list grows alike. A panel
    // too long for a page of its own has one, and shows its first rows and how many
    // more there are.
    function paginate(panels) {
      const pages = [];
      for (const p of panels) {
        const found = pages.find((page) => {
          const group = arrange([...page.group, p]);
          const rows = holds(group);
          if (rows) {
            page.group = group;
            page.rows = rows;
          }
          return rows;
        });
        if (!found) pages.push({ group: [p], rows: [1] });
      }
      return pages.map((page) => ({ ids: page.group.map((p) => p.id), rows: page.rows }));
    }

    // The page on screen: the scene's time on screen is shared by its pages. A
    // rotating board turns the last page over to the next scene; a board of this
    // scene alone starts again at the first.
    function pageAt(count) {
      const each = (rotate * 1000) / count;
      const passed = Math.floor((Date.now() - shownAt) / each);
      const index = rotating() ? Math.min(count - 1, passed) : passed % count;
      const last = count === 1 || (rotating() && passed >= count - 1);
      const next = last ? null : shownAt + (passed + 1) * each;
      return { index, next };
    }

    function turnAt(next) {
      clearTimeout(turn);
      turn = next === null ? null : setTimeout(() => render(latest), Math.max(0, next - Date.now()) + 20);
    }

    function showPage(index, count) {
      const label = count > 1 ? `${index + 1}/${count}` : "";
      if (label === paging.label) return;
      paging = { label, title: count > 1 ? t.page_of.replace("{n}", index + 1).replace("{count}", count) : "" };
      paged();
    }

    function render(state) {
      latest = state;
      const panels = panelsOf(state);
      const host = document.getElementById("contest-panels");
      if (!panels.length) {
        host.replaceChildren(el("p", { class: "muted no-contests" }, t.no_contests));
        shape = "";
        plan = null;
        showPage(0, 1);
        return;
      }
      // Off screen, nothing can be measured: the scene is drawn when it comes on.
      if (host.offsetParent === null) {
        shownAt = null;
        turnAt(null);
        showPage(0, 1);
        return;
      }
      if (shownAt === null) shownAt = Date.now();
      const key = JSON.stringify([panels.map(outline), host.clientWidth, host.clientHeight, sizes().viewport]);
      if (!plan || plan.key !== key) {
        plan = { key, pages: paginate(panels) };
        shape = "";
      }
      const { index, next } = pageAt(plan.pages.length);
      const page = plan.pages[index];
      const byId = new Map(panels.map((p) => [p.id, p]));
      const group = page.ids.map((id) => byId.get(id));
      if (shape !== `${key}#${index}`) {
        shape = `${key}#${index}`;
        layout(group, page.rows);
        drawn += 1;
      }
      headings(group);
      group.forEach((p, n) => {
        // Drawn again after each layout: the boxes are new.
        panel(`contest-body-${n}`, [drawn, p.list], {
          count: Math.max(1, items(p)), max: sizes().body, modes: modes(p), keep: 1,
          draw: (count, mode) => drawBody(p.contest, count, p.list, mode),
        });
      });
      alike(group);
      // A list grown past its page's room (a figure wider than it was measured
      // with) has the pages measured again, once for each shape: its rows are not
      // left out while another page has room.
      if (group.length > 1 && !plan.again && group.some((p, n) => {
        const body = document.getElementById(`contest-body-${n}`);
        return body.querySelector(".more.room") || !Fit.fits(body);
      })) {
        plan = { key, pages: paginate(panels), again: true };
        shape = "";
        render(state);
        return;
      }
      showPage(index, plan.pages.length);
      turnAt(next);
    }

    // Panels side by side at one size, the one the fuller allows: beside each other,
    // lists in different sizes would read as different in weight.
    function alike(group) {
      const rows = new Map();
      group.forEach((p, n) => {
        const body = document.getElementById(`contest-body-${n}`);
        const top = body.parentElement.offsetTop;
        rows.set(top, [...(rows.get(top) || []), body]);
      });
      for (const row of rows.values()) {
        const least = Math.min(...row.map((body) => parseFloat(body.style.fontSize) || sizes().body));
        row.forEach((body) => { body.style.fontSize = `${least}px`; });
      }
    }

    // "2/3" while the scene shows the second of three pages, else "".
    function page() {
      return paging;
    }

    return { render, page };
  }

  return { create };
})();

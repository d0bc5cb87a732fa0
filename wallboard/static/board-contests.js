// The board's contests scene: a panel per team battle, race and cup, and one for
// all running 1v1 challenges. Each panel lays itself out from its content
// (board.js's `panel`, fit.js). A result that rests on sales still in their
// cancellation window is drawn dashed and says "provisional"; a revoked sale shows
// struck through under its contest; a decided contest shows its winners for a day.
"use strict";

window.BoardContests = (function () {
  function create(board) {
    const { el, t, panel, swatch, sizes, lang } = board;
    const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
    const money = new Intl.NumberFormat(lang, { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
    let shape = "";

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
      return [el("span", { class: "contest-name" }, contest.name),
        el("span", { class: "unit" }, `${line}${unit(contest)}`)];
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

    // How many of a side's sales were revoked, struck through beside its figure.
    function taken(row) {
      return el("span", { class: "taken" }, row.revoked
        ? el("s", { title: t.revoked_sale }, `−${number.format(row.revoked)}`) : null);
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

    // "+4 more": what a list left out for room, on a line of its own.
    function more(hidden) {
      return hidden > 0 ? el("li", { class: "more", "data-testid": "contest-more" },
        t.more.replace("{n}", number.format(hidden))) : null;
    }

    // The first `n` items: the standings (a cup's bracket is one), then the revoked
    // sales, which are the first to go when room is short. A list cut short says
    // how many rows it left out.
    function drawBody(contest, n, list, mode) {
      if (contest.format === "challenge") {
        return [el("ol", { class: "duels" }, duels(list, n), more(list.length - n))];
      }
      const shown = contest.format === "cup" ? 1 : Math.min(n, contest.standings.length);
      const foot = [winners(contest),
        el("ol", { class: "revoked-sales" }, revoked(contest, n - shown))].filter(Boolean);
      if (contest.format === "cup") return [el("div", { class: "bracket" }, cup(contest, mode)), ...foot];
      const rows = contest.format === "race" ? race(contest, shown) : battle(contest, shown);
      return [el("ol", { class: contest.format === "race" ? "race-track" : "battle" }, rows,
        more(contest.standings.length - shown)), ...foot];
    }

    function items(p) {
      const rows = p.contest.format === "cup" ? 1 : p.count;
      return p.contest.format === "challenge" ? p.count : rows + p.contest.revoked.length;
    }

    function render(state) {
      const contests = state.contests || [];
      const challenges = contests.filter((c) => c.format === "challenge");
      const order = (c) => (c.format === "cup" ? 0 : 1);
      const panels = contests.filter((c) => c.format !== "challenge")
        .sort((a, b) => order(a) - order(b)).map((c) => ({ id: c.contest, contest: c, list: [c], count: c.standings.length }));
      if (challenges.length) {
        panels.push({ id: "challenges", contest: challenges[0], list: challenges, count: challenges.length });
      }
      const host = document.getElementById("contest-panels");
      const key = panels.map((p) => `${p.contest.format}:${p.id}`).join();
      if (shape !== key) {
        shape = key;
        const cups = panels.filter((p) => p.contest.format === "cup").length;
        const columns = panels.length > 1 ? 2 : 1;
        host.style.setProperty("--columns", columns);
        // A cup's bracket is as tall as its first round's ties, a row of short lists
        // as its longest list, from two rows to six (a battle of six sites shows
        // them all; two challenges ask less): no list is cut for room another has
        // spare.
        const rest = panels.filter((p) => p.contest.format !== "cup");
        const rows = panels.filter((p) => p.contest.format === "cup")
          .map((p) => Math.min(6, Math.max(2, 0.8 * (p.contest.cup?.rounds[0]?.ties.length || 0))));
        for (let n = 0; n < rest.length; n += columns) {
          const row = rest.slice(n, n + columns);
          const longest = Math.max(...row.map((p) => p.count));
          // A duel's line is drawn large: three quarters of a list's row each.
          rows.push(row[0].id === "challenges" ? Math.max(1, 0.75 * longest)
            : Math.min(7, Math.max(3, longest + 1)) / 3.3);  // the list and its heading
        }
        host.style.gridTemplateRows = rows.map((r) => `minmax(0, ${r.toFixed(2)}fr)`).join(" ");
        host.replaceChildren(...panels.map((p, n) => {
          // A cup takes a whole row; a last panel alone in its row, too.
          const filled = panels.length + cups;
          const wide = p.contest.format === "cup" || (n === panels.length - 1 && filled % 2 === 1);
          return el("div", { class: `panel contest contest-${p.contest.format}` + (wide && columns === 2 ? " wide" : ""),
            "data-contest": p.id },
          el("h2", { id: `contest-title-${n}` }),
          el("div", { class: "fit contest-body", id: `contest-body-${n}` }));
        }));
      }
      if (!panels.length) {
        host.replaceChildren(el("p", { class: "muted no-contests" }, t.no_contests));
        shape = "";
        return;
      }
      panels.forEach((p, n) => {
        const heading = p.id === "challenges" ? [el("span", {}, t.challenges)]
          : [...title(p.contest), mark(p.contest.provisional)];
        document.getElementById(`contest-title-${n}`).replaceChildren(...heading.filter(Boolean));
        panel(`contest-body-${n}`, p.list, {
          count: Math.max(1, items(p)), max: sizes().body,
          modes: p.contest.format === "cup" ? ["full", "compact"] : [""], keep: 1,
          draw: (count, mode) => drawBody(p.contest, count, p.list, mode),
        });
      });
    }

    return { render };
  }

  return { create };
})();

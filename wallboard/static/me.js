// The agent's desk widget: what they check most at the top (today's points, this
// month's commission, their goal, the gates), the rest a tap away in tabs (why these
// points, prizes, tombola, their site's match, profile). The words are the page's
// language (config.strings), numbers, money and times are Intl's in that language.
"use strict";

(function () {
  const config = Live.config();
  const t = config.strings;
  const lang = config.lang;
  const { el } = Live;
  const moneyFormat = new Intl.NumberFormat(lang, { style: "currency", currency: "EUR" });
  const numberFormat = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  // points: whole, or with both decimals (12 Punkte, 39,11 Punkte, 3.923,20 Punkte)
  const centsFormat = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  // a rate per euro keeps its cents: 0,20 je €
  const rateFormat = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 3 });
  const percentFormat = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 });
  const DAY_MS = 86400000;
  let state = null;

  const money = (value) => moneyFormat.format(value);
  const number = (value) => numberFormat.format(value);
  const percent = (share) => percentFormat.format(share);
  const score = (value) => (Number.isInteger(value) ? number(value) : centsFormat.format(value));
  const points = (value) => (value === 1 ? t.one_point : say("n_points", { count: score(value) }));

  // A sentence from its template, each {name} filled in (as text: the DOM gets it by
  // textContent, so a name from outside never becomes HTML).
  function say(key, values) {
    return (t[key] || key).replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }

  function replace(id, ...children) { document.getElementById(id).replaceChildren(...children); }

  // "today at 09:00", "tomorrow at 09:00", "Monday at 09:00": in the rule set's time
  // zone, the site's, whatever the desk's computer is set to.
  function zoned(options) {
    try {
      return new Intl.DateTimeFormat(lang, { timeZone: state.timezone, ...options });
    } catch (error) {
      return new Intl.DateTimeFormat(lang, options);
    }
  }
  function when(iso) {
    const at = new Date(iso);
    const now = Date.now();
    const day = zoned({ year: "numeric", month: "numeric", day: "numeric" });
    const time = zoned({ hour: "numeric", minute: "2-digit" }).format(at);
    if (day.format(at) === day.format(now)) return say("today_at", { time });
    if (day.format(at) === day.format(now + DAY_MS)) return say("tomorrow_at", { time });
    const near = Math.abs(at - now) < 6 * DAY_MS;
    const name = zoned(near ? { weekday: "long" } : { weekday: "short", day: "numeric", month: "short" }).format(at);
    return say("day_at", { day: name, time });
  }

  // What the agent's first sale earns, for an agent with none yet.
  function firstSale() {
    const rule = state.first_sale;
    const earns = say("earns", { base: points(rule.base), per_euro: rateFormat.format(rule.per_euro) });
    return rule.rule ? say("first_sale_rule", { rule: rule.rule, earns }) : say("first_sale", { earns });
  }

  // ---- At the top: today, the goal, the gates ----------------------------------
  function renderToday() {
    const { day, week, month } = state.periods;
    const today = day ? day.points : { total: 0, confirmed: 0, pending: 0 };
    const figure = document.getElementById("points-today");
    figure.textContent = score(today.total);
    figure.classList.toggle("long", figure.textContent.length > 10);
    figure.dataset.value = today.total;
    replace("points-split", el("span", {}, `${score(today.confirmed)} ${t.confirmed}`),
      el("span", {}, `${score(today.pending)} ${t.pending}`));
    const commission = month ? month.commission : { confirmed: 0, pending: 0 };
    const earned = document.getElementById("commission");
    earned.textContent = money(commission.confirmed + commission.pending);
    earned.classList.toggle("long", earned.textContent.length > 10);
    earned.dataset.value = commission.confirmed + commission.pending;
    replace("commission-split", el("span", {}, `${money(commission.confirmed)} ${t.confirmed}`),
      el("span", {}, `${money(commission.pending)} ${t.pending}`));
    const idle = !day || (day.sales === 0 && day.contacts === 0);
    replace("today-note", idle ? firstSale()
      : [week && `${t.points_week} ${score(week.points.total)}`, month && `${t.points_month} ${score(month.points.total)}`]
        .filter(Boolean).join(" · "));
  }

  function renderGoal() {
    const goal = state.goal;
    if (!goal) {
      const open = el("button", { type: "button", class: "link" }, t.set_goal);
      open.addEventListener("click", () => { show("profile"); document.querySelector("#set-goal input").focus(); });
      replace("goal", el("p", { class: "note" }, t.no_goal, " ", open));
      return;
    }
    const confirmed = Math.min(100, (goal.confirmed / goal.price) * 100);
    const pending = Math.min(100 - confirmed, (goal.pending / goal.price) * 100);
    const left = Math.max(0, goal.price - goal.confirmed - goal.pending);
    replace("goal",
      el("div", { class: "goal-title" },
        goal.picture ? el("img", { class: "thumb", src: goal.picture, alt: "" }) : null,
        el("span", {}, el("b", {}, goal.title), ` · ${money(goal.price)}`),
        el("span", { class: "to-go" }, goal.reached ? `✔ ${t.goal_reached}` : left ? say("to_go", { amount: money(left) }) : "")),
      el("div", { class: "bar" }, el("span", { class: "confirmed", style: { width: confirmed + "%" } }),
        el("span", { class: "pending", style: { width: pending + "%" } })),
      el("div", { class: "goal-progress", "data-testid": "goal-progress" },
        `${money(goal.confirmed)} ${t.confirmed} · ${money(goal.pending)} ${t.pending}`));
  }

  // One minimum of a gate in words: what is missing, or where the agent stands.
  function gateLine(check, figures) {
    const name = t["gate_" + check.gate] || check.gate;
    let text;
    if (check.gate === "min_sales") {
      const missing = check.required - check.actual;
      const counts = { count: number(missing), actual: number(check.actual), required: number(check.required) };
      text = check.ok ? say("gate_of", { name, ...counts }) : say(missing === 1 ? "gate_more_sale" : "gate_more_sales", counts);
    } else if (check.gate === "min_quality") {
      // quality is a score of 0 to 100
      const required = percent(check.required / 100);
      text = figures.rated ? say("gate_of", { name, actual: percent(check.actual / 100), required })
        : say("gate_no_contacts", { name, required });
    } else if (check.gate === "max_cancellation_rate") {
      text = say("gate_at_most", { name, actual: percent(check.actual), required: percent(check.required) });
    } else {
      text = say("gate_of", { name, actual: percent(check.actual), required: percent(check.required) });
    }
    return el("li", { class: "gate " + (check.ok ? "ok" : "missing"), "data-gate": check.gate },
      `${check.ok ? "✔" : "✘"} ${text}`);
  }

  function renderGates() {
    const lines = [];
    for (const [period, figures] of Object.entries(state.periods)) {
      if (!figures.gates.checks.length) continue;
      lines.push(el("li", { class: "gate-period", "data-period": period },
        el("b", {}, t["period_" + period] || period), " · ",
        figures.gates.eligible ? `✔ ${t.eligible}` : t.not_eligible));
      // A period whose minimums are all met says so in one line: nothing is missing.
      if (!figures.gates.eligible) for (const check of figures.gates.checks) lines.push(gateLine(check, figures));
    }
    replace("gates", ...(lines.length ? lines : [el("li", { class: "note" }, t.gates_none)]));
  }

  // ---- Why these points: the parts of each sum, worded here --------------------
  function saleSum(x) {
    const channel = t["channel_" + x.channel] || x.channel;
    const parts = [];
    if (x.base) parts.push((x.quantity > 1 ? `${number(x.quantity)} × ` : "") + points(x.base));
    if (x.per_euro) parts.push(`${say("per_euro", { amount: rateFormat.format(x.per_euro) })} × ${money(x.revenue)}`);
    let sum = parts.join(" + ") || points(0);
    if (x.factor !== 1) sum = `${parts.length > 1 ? `(${sum})` : sum} ${say("why_factor", { factor: number(x.factor), channel })}`;
    if (x.bonus) sum += ` ${say("why_bonus", { bonus: number(x.bonus), channel })}`;
    if (x.weight !== 1) sum = `(${sum}) ${say("why_weight", { weight: number(x.weight) })}`;
    const said = [`${x.rule}: ${sum} = ${points(x.points)}`];
    if (x.commission) {
      said.push(x.commission_percent && !x.commission_fixed
        ? say("why_commission_percent", { amount: money(x.commission), percent: percent(x.commission_percent / 100) })
        : say("why_commission", { amount: money(x.commission) }));
    }
    if (x.unrated_currency) said.push(say("why_no_rate", { currency: x.unrated_currency }));
    return said.join(" · ");
  }

  function contactSum(x) {
    const parts = [say("why_handled", { points: number(x.handled) })];
    if (x.resolved !== null) parts.push(say("why_resolved", { points: number(x.resolved) }));
    if (x.referral !== null) parts.push(say("why_referral", { points: number(x.referral) }));
    const quality = x.quality === null ? null : percent(x.quality / 100);
    if (x.quality_points !== null) parts.push(say("why_quality_band", { points: number(x.quality_points), quality }));
    let sum = parts.join(" + ");
    if (x.weight !== 1) sum = `(${sum}) ${say("why_support_weight", { weight: number(x.weight) })}`;
    const said = `${t.why_contact}: ${sum} = ${points(x.points)}`;
    return x.quality_points === null && quality !== null ? `${said} · ${say("why_quality", { quality })}` : said;
  }

  function explained(row) {
    const x = row.explain;
    if (row.type === "sale") return saleSum(x);
    if (row.type === "contact") return contactSum(x);
    if (!x.revoked) return say("why_late", { rule: x.rule });
    return x.commission ? say("why_revoked", { rule: x.rule, points: points(x.points), commission: money(x.commission) })
      : say("why_revoked_points", { rule: x.rule, points: points(x.points) });
  }

  function renderWhy() {
    if (!state.recent.length) {
      replace("why", el("li", { class: "note" }, t.why_none));
      return;
    }
    replace("why", ...state.recent.map((row) => {
      const x = row.explain;
      const about = [row.ts ? when(row.ts) : null, x.product && x.product !== x.rule ? x.product : null,
        x.rules_name ? say("why_rules", { name: x.rules_name }) : null, x.state === "revoked" ? t.why_cancelled : null];
      return el("li", { class: x.state === "revoked" ? "revoked" : "", "data-type": row.type },
        el("span", { class: "sum" }, explained(row)),
        el("small", { class: "muted" }, about.filter(Boolean).join(" · ")));
    }));
  }

  // ---- My prizes ------------------------------------------------------------------
  function periodWords(period) { return t["when_" + period] || period; }

  function howWon(prize) {
    switch (prize.how) {
      case "instant": return prize.revenue === null ? "" : say("won_instant", { amount: money(prize.revenue) });
      case "threshold": return say("won_threshold", { points: points(prize.points), period: periodWords(prize.period) });
      case "rank": return say("won_rank", { top: number(prize.top), period: periodWords(prize.period) });
      case "tombola": return say("won_tombola", { name: prize.tombola_name });
      default: return "";
    }
  }

  function chance(rule) {
    if (rule.how === "instant") return say("chance_instant", { amount: money(rule.min_revenue), prize: rule.prize });
    if (rule.how === "threshold") return say("chance_threshold", { points: points(rule.points), period: periodWords(rule.period), prize: rule.prize });
    return say("chance_rank", { top: number(rule.top), period: periodWords(rule.period), prize: rule.prize });
  }

  function renderPrizes() {
    const prizes = state.prizes;
    replace("prizes", ...(prizes.length ? prizes.map((prize) => el("li", { class: "prize", "data-state": prize.state },
      prize.picture ? el("img", { class: "thumb", src: prize.picture, alt: "" }) : null,
      el("div", { class: "about" },
        el("b", {}, prize.name), " ", el("span", { class: "tag " + prize.state }, t["prize_" + prize.state] || prize.state),
        el("small", { class: "muted" }, [howWon(prize), when(prize.ts)].filter(Boolean).join(" · ")))))
      : [el("li", { class: "note" }, t.prizes_none)]));
    // What can still be won, by the prize rules in force.
    replace("chances", ...state.chances.map((rule) => el("li", {}, chance(rule))));
    document.getElementById("chances-box").hidden = !state.chances.length;
  }

  // ---- Tombola and match: what is on, else what comes next --------------------------
  function renderTickets() {
    const open = state.tombolas_open;
    if (open.length) {
      replace("tickets", ...open.map((drum) => el("div", { class: "ticket-line" },
        el("b", {}, drum.name), ": ",
        drum.tickets === 1 ? t.one_ticket : say("n_tickets", { count: number(drum.tickets) }),
        ` · ${say("draw_at", { when: when(drum.closes) })}`,
        drum.every > 1 ? el("small", { class: "muted", style: { display: "block" } },
          drum.to_next === 1 ? t.to_next_ticket : say("to_next_tickets", { count: number(drum.to_next) })) : null)));
      return;
    }
    const next = state.tombola_next;
    const last = state.tombola_last;
    let said;
    if (next) said = say("tombola_next", { name: next.name, when: when(next.opens) });
    else if (last) {
      said = say(last.drawn ? "tombola_drawn" : "tombola_closed", { name: last.name, when: when(last.closes) });
      if (last.won) said += " " + t.tombola_you_won;
      else if (last.tickets) said += " " + say("tombola_you_had", { tickets: last.tickets === 1 ? t.one_ticket : say("n_tickets", { count: number(last.tickets) }) });
    } else said = t.tombola_none;
    replace("tickets", el("p", { class: "note" }, said));
  }

  function renderMatch() {
    const live = state.matches;
    if (live.length) {
      const many = live.length > 1;
      // Goals under their club, in the teams' grid; a scorer who opted out is not named.
      const goal = (g, m) => el("span", { class: "goal " + (g.club === m.home ? "home" : "away") + (g.disallowed ? " disallowed" : "") },
        `${g.minute}' ${g.agent}`.trim());
      replace("match", ...live.map((m) => el("div", { class: "my-match", "data-season": m.season },
        el("div", { class: "muted" }, [many ? m.season_name : null, say("matchday_of", { matchday: number(m.matchday) })].filter(Boolean).join(" · ")),
        el("div", { class: "teams" },
          el("span", { class: "home" }, m.home_name), el("span", { class: "score" }, `${m.home_goals} : ${m.away_goals}`),
          el("span", { class: "away" }, m.away_name), el("span", { class: "minute" }, `${m.minute}'`),
          ...m.goals.map((g) => goal(g, m))))));
      return;
    }
    const lines = [];
    const next = state.match_next;
    const last = state.match_last;
    if (next) {
      lines.push(say("match_next", { matchday: number(next.matchday), home: next.home_name, away: next.away_name, when: when(next.starts) }));
    } else if (state.in_league) lines.push(t.match_over);
    else lines.push(t.match_none);
    if (last) lines.push(say("match_last", { home: last.home_name, away: last.away_name, score: `${last.home_goals} : ${last.away_goals}` }));
    replace("match", ...lines.map((line) => el("p", { class: "note" }, line)));
  }

  // The count beside a tab's name: prizes won, tickets held, a live score.
  function renderCounts() {
    const count = (tab, text) => { document.querySelector(`#tab-${tab} .count`).textContent = text; };
    const kept = state.prizes.filter((prize) => prize.state !== "revoked").length;
    count("prizes", kept ? number(kept) : "");
    const tickets = state.tombolas_open.reduce((sum, drum) => sum + drum.tickets, 0);
    count("tombola", tickets ? number(tickets) : "");
    const live = state.matches[0];
    count("match", live ? `${live.home_goals}:${live.away_goals}` : "");
    const asked = state.contests.filter(asksMe).length;
    count("play", asked ? number(asked) : "");
  }


  // ---- Contests and challenges ---------------------------------------------------
  const coins = (value) => say("n_coins", { count: number(value) });
  // Coins with a fraction show two decimals, so that a history's figures line up ("+6.40", "+6.24").
  const coinFormat = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const coinNumber = (value) => (Number.isInteger(value) ? number(value) : coinFormat.format(value));
  const measured = (contest, value) => (contest.metric === "revenue" ? money(value) : score(value));
  // What a row's figure is: the fair value when the contest ranks by one (per head, % of target).
  const figure = (contest, row) => (row.ranked_by === undefined ? measured(contest, row.score)
    : contest.fairness === "target" ? `${score(row.ranked_by)} %` : score(row.ranked_by));
  const fairness = (contest) => ({ per_head: t.per_head, target: t.of_target, improvement: t.improvement })[contest.fairness] || null;
  const newId = (kind) => `${kind}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

  // A challenge another agent issued to this one, waiting for the answer.
  function asksMe(c) {
    return Boolean(c.challenge && !c.challenge.mine && c.challenge.answer === "issued" && c.state === "running");
  }

  function answerButton(label, body, look) {
    const button = el("button", { type: "button", class: look || "" }, label);
    button.addEventListener("click", () => send("play-error", { id: newId("ev"), ts: new Date().toISOString(), ...body }));
    return button;
  }

  function challengeLine(contest) {
    const c = contest.challenge;
    const them = c.mine ? c.opponent : c.challenger;
    const stake = c.stake ? say("challenge_stake", { coins: number(c.stake) }) : null;
    if (c.answer === "issued" && contest.state === "running") {
      if (c.mine) {
        return el("div", { class: "challenge waiting" }, say("challenge_to", { name: them }), stake ? ` · ${stake}` : "",
          " ", answerButton(t.withdraw, { type: "contest_end", contest: contest.contest }, "link"));
      }
      return el("div", { class: "challenge incoming", "data-testid": "incoming" }, el("b", {}, say("challenge_from", { name: them })),
        el("small", { class: "muted" }, [t["metric_" + contest.metric], say("until", { when: when(contest.ends) }), stake].filter(Boolean).join(" · ")),
        el("div", { class: "answers" }, answerButton(t.accept, { type: "challenge_answer", contest: contest.contest, accept: true }),
          answerButton(t.decline, { type: "challenge_answer", contest: contest.contest, accept: false }, "quiet")));
    }
    return stake ? el("small", { class: "muted stake" }, stake) : null;
  }

  function contestCard(contest) {
    const head = contest.format === "challenge"
      ? say("challenge_vs", { them: contest.challenge.mine ? contest.challenge.opponent : contest.challenge.challenger })
      : contest.name;
    const over = contest.state !== "running" && contest.state !== "issued";
    const about = [[t["metric_" + contest.metric] || contest.metric, fairness(contest)].filter(Boolean).join(" "),
      say(over ? "ended_at" : "until", { when: when(contest.ends) }),
      contest.provisional ? t.provisional : null].filter(Boolean).join(" · ");
    const unplayed = ["declined", "withdrawn", "expired", "cancelled"].includes(contest.state);
    const waiting = contest.challenge && contest.challenge.answer === "issued";
    const rows = unplayed || waiting ? [] : contest.standings.map((row) => el("li", { class: row.me ? "me" : "", "data-me": String(row.me) },
      el("span", { class: "rank" }, say("rank_of", { rank: number(row.rank) })),
      el("span", { class: "who" }, row.me && contest.format === "challenge" ? t.you : row.name),
      el("b", { class: "score", "data-score": row.score }, figure(contest, row)),
      row.provisional ? el("small", { class: "tag provisional" }, t.provisional) : null));
    const result = contest.won ? t.you_won : contest.winners.length ? say("winners_are", { names: contest.winners.join(", ") }) : null;
    // A challenge waiting for the agent's answer says all in its own lines.
    const asked = waiting && !contest.challenge.mine;
    return el("div", { class: "contest", "data-contest": contest.contest, "data-state": contest.state },
      asked ? null : el("b", {}, head), asked ? null : el("small", { class: "muted" }, about),
      contest.challenge ? challengeLine(contest) : null,
      unplayed ? el("p", { class: "note" }, t.challenge_declined) : null,
      rows.length ? el("ol", { class: "standings" }, rows) : null,
      result ? el("p", { class: "result", "data-testid": "result" }, result) : null);
  }

  function renderPlay() {
    // A challenge waiting for this agent's answer comes first: it is the one thing here
    // that asks something of them.
    const shown = [...state.contests.filter(asksMe), ...state.contests.filter((c) => !asksMe(c))];
    replace("contests", ...(shown.length ? shown.map(contestCard) : [el("p", { class: "note" }, t.contests_none)]));
    const pick = document.querySelector("#challenge select[name=opponent]");
    const chosen = pick.value;
    pick.replaceChildren(...state.colleagues.map((c) => el("option", { value: c.agent }, c.name)));
    if (state.colleagues.some((c) => c.agent === chosen)) pick.value = chosen;
    document.querySelector("#challenge button").disabled = !state.colleagues.length;
  }

  // A challenge's window: from now to the end of the day in the site's time zone
  // (not the desk computer's), the next hour or the next 7 days.
  function windowEnd(span, now) {
    if (span === "hour") return new Date(now.getTime() + 3600000);
    if (span === "week") return new Date(now.getTime() + 7 * DAY_MS);
    const parts = Object.fromEntries(zoned({ hour: "numeric", minute: "numeric", second: "numeric", hourCycle: "h23" })
      .formatToParts(now).map((part) => [part.type, Number(part.value)]));
    const elapsed = ((parts.hour * 60 + parts.minute) * 60 + parts.second) * 1000 + now.getMilliseconds();
    return new Date(now.getTime() + DAY_MS - elapsed);
  }

  document.getElementById("challenge").addEventListener("submit", (event) => {
    event.preventDefault();
    const fields = event.target.elements;
    const them = state.colleagues.find((c) => c.agent === fields.opponent.value);
    if (!them) return;
    const now = new Date();
    const body = { id: newId("ev"), type: "contest", ts: now.toISOString(), contest: newId("challenge"), format: "challenge",
      name: say("challenge_name", { me: state.public_name || state.name, them: them.name }), metric: fields.metric.value,
      starts: now.toISOString(), ends: windowEnd(fields.window.value, now).toISOString(), agents: [state.agent, them.agent] };
    if (fields.stake.value && Number(fields.stake.value) > 0) body.stake = Number(fields.stake.value);
    // Sent, the stake is cleared: a second challenge does not repeat it unasked.
    send("play-error", body).then((sent) => { if (sent) fields.stake.value = ""; });
  });

  // ---- Coins and the store ---------------------------------------------------------
  function movement(m) {
    const sign = m.coins > 0 ? "+" : "−";
    const named = (m.note || "").trim();
    const redemption = state.wallet.redemptions.find((r) => r.redemption === m.ref);
    const item = redemption ? redemption.name || redemption.reward : m.ref;
    let why = say("cause_" + m.cause, { note: named, name: item });
    if (m.cause === "redemption" && redemption && redemption.state === "held") why += ` (${t.redemption_held})`;
    return el("li", { "data-cause": m.cause }, el("span", { class: "sum" }, `${sign}${coinNumber(Math.abs(m.coins))} ${why}`),
      el("small", { class: "muted" }, when(m.ts)));
  }

  function renderCoins() {
    const w = state.wallet;
    replace("coins", el("div", { class: "balance" }, el("span", { class: "label" }, t.coins_balance),
      el("b", { class: "big", "data-testid": "balance", "data-value": w.balance }, number(w.balance))),
    el("small", { class: "muted" }, [`${number(w.pending)} ${t.coins_pending}`, `${number(w.reserved)} ${t.coins_reserved}`].join(" · ")));
    replace("coin-history", ...(w.history.length ? w.history.map(movement) : [el("li", { class: "note" }, t.coins_none)]));
    document.querySelector("#tab-coins .count").textContent = w.balance ? number(w.balance) : "";
    // A stake is coins the agent has: the field offers no more (the server refuses more).
    document.querySelector("#challenge input[name=stake]").max = String(Math.floor(w.balance));
  }

  function renderStore() {
    const w = state.wallet;
    replace("store", ...(state.store.length ? state.store.map((item) => {
      // Short of coins, the button waits and the price says so (the store would refuse).
      const short = item.price > w.balance;
      const button = el("button", { type: "button" }, t.redeem);
      button.disabled = item.left === 0 || short;
      // One tap spends coins: the price is asked about first, beside the button.
      button.addEventListener("click", () => {
        const yes = el("button", { type: "button", class: "redeem-yes" }, t.redeem_yes);
        const no = el("button", { type: "button", class: "secondary" }, t.redeem_no);
        const ask = el("div", { class: "confirm", role: "alertdialog" },
          el("span", {}, say("redeem_confirm", { count: number(item.price) })), yes, no);
        yes.addEventListener("click", () => {
          ask.replaceWith(button);
          send("store-error", { id: newId("ev"), type: "redemption", ts: new Date().toISOString(),
            redemption: newId("redemption"), agent: state.agent, reward: item.reward });
        });
        no.addEventListener("click", () => ask.replaceWith(button));
        button.replaceWith(ask);
      });
      const stock = item.left === null ? null : item.left === 0 ? t.stock_out : say("stock_left", { count: number(item.left) });
      return el("li", { class: "prize item", "data-reward": item.reward },
        item.picture ? el("img", { class: "thumb", src: item.picture, alt: "" }) : null,
        el("div", { class: "about" }, el("b", {}, item.name),
          el("small", { class: short ? "short" : "muted" }, [say("price_coins", { count: number(item.price) }), stock,
            short ? t.redeem_short : null].filter(Boolean).join(" · "))),
        button);
    }) : [el("li", { class: "note" }, t.store_none)]));
    document.getElementById("redemptions-title").hidden = !w.redemptions.length;
    replace("redemptions", ...w.redemptions.map((r) => el("li", { class: "prize", "data-state": r.state, "data-redemption": r.redemption },
      el("div", { class: "about" }, el("b", {}, r.name || r.reward), " ",
        el("span", { class: "tag " + r.state }, t["redemption_" + r.state] || r.state),
        el("small", { class: "muted" }, [say("price_coins", { count: number(r.price) }),
          r.reason ? t["refused_" + r.reason] || r.reason : null, when(r.decided || r.ts)].filter(Boolean).join(" · "))))));
  }

  // An event the agent writes: refused at the door, the answer's words show; a
  // redemption the store refuses shows under "my redemptions" with its reason.
  async function send(errorId, body) {
    const response = await fetch("/api/events", { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    if (response.ok) { replace(errorId, ""); return true; }
    const answer = await response.json().catch(() => ({ error: response.statusText }));
    const problems = (answer.invalid || []).flatMap((bad) => Object.entries(bad.problems).map(([field, problem]) => `${field}: ${problem}`));
    replace(errorId, [answer.error, ...problems].filter(Boolean).join(" · "));
    return false;
  }

  // ---- Profile ----------------------------------------------------------------------
  // The profile form shows what is saved, so that saving one field keeps the other
  // (an opted-out agent who renames themself stays opted out). A frame fills it
  // when what is saved changed, unless the agent is editing it; its button waits
  // for the first frame, since an empty form would save empty choices. (The goal
  // form stays empty: saving it sets a new goal, whose progress starts afresh.)
  const profile = document.getElementById("profile");
  let loaded = null;
  profile.addEventListener("input", () => { profile.dataset.editing = "1"; });

  function fillProfile() {
    const saved = state.profile;
    profile.querySelector("button[type=submit]").disabled = false;
    // Without a chosen name, boards show initials: the field says which.
    profile.elements.public_name.placeholder = saved.public_name ? "" : state.public_name || "";
    const key = JSON.stringify(saved);
    if (loaded === key || profile.dataset.editing) return;
    loaded = key;
    profile.elements.public_name.value = saved.public_name;
    profile.elements.opt_out.checked = saved.opt_out;
  }

  function render(newest) {
    state = newest;
    fillProfile();
    replace("name", state.name || state.agent, state.public_name ? ` (${state.public_name})` : "");
    renderToday();
    renderGoal();
    renderGates();
    renderWhy();
    renderPrizes();
    renderTickets();
    renderMatch();
    renderCounts();
    renderPlay();
    renderCoins();
    renderStore();
  }

  // ---- Tabs ---------------------------------------------------------------------------
  const tabs = [...document.querySelectorAll("[role=tab]")];
  function show(name) {
    for (const tab of tabs) {
      const on = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !on;
    }
    try { localStorage.setItem("me-tab", name); } catch (error) { /* private mode: not remembered */ }
  }
  tabs.forEach((tab, index) => {
    tab.addEventListener("click", () => show(tab.dataset.tab));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = tabs[(index + step + tabs.length) % tabs.length];
      show(next.dataset.tab);
      next.focus();
    });
  });
  let remembered = null;
  try { remembered = localStorage.getItem("me-tab"); } catch (error) { /* not remembered */ }
  show(tabs.some((tab) => tab.dataset.tab === remembered) ? remembered : "why");

  async function post(form, path, body) {
    const response = await fetch(path, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    if (response.ok) {
      // What was saved comes back in the next frame; until then the form shows it.
      delete form.dataset.editing;
      replace("form-error", "");
      return;
    }
    // Say which field was refused and why, not only that something was.
    const answer = await response.json().catch(() => ({ error: response.statusText }));
    const problems = (answer.invalid || []).flatMap((bad) =>
      Object.entries(bad.problems).map(([field, problem]) => `${field}: ${problem}`));
    replace("form-error", [answer.error, ...problems].join(" · "));
  }

  // A price as the agent types it ("3.000,00", "3,000.00", "49,90") as the API reads
  // it ("3000.00"): a separator before three digits groups them, one before one or
  // two at the end is the decimal point. Anything else goes as typed, and the API's
  // answer says what it expected.
  function plainAmount(typed) {
    const match = /^(\d{1,3}(?:[.,]\d{3})*|\d+)(?:[.,](\d{1,2}))?$/.exec(typed.replace(/\s/g, ""));
    return match ? match[1].replace(/[.,]/g, "") + (match[2] ? "." + match[2] : "") : typed;
  }

  profile.addEventListener("submit", (event) => {
    event.preventDefault();
    const fields = profile.elements;
    post(profile, "/api/me/profile", { public_name: fields.public_name.value, opt_out: fields.opt_out.checked });
  });
  document.getElementById("set-goal").addEventListener("submit", (event) => {
    event.preventDefault();
    const fields = event.target.elements;
    post(event.target, "/api/me/goal", { title: fields.title.value, price: plainAmount(fields.price.value) });
  });
  // "today at", "tomorrow at" move on with the clock, without a frame.
  setInterval(() => { if (state) render(state); }, 60000);
  Live.connect(config, { state: render, events: () => {} });
})();

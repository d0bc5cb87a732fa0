// The agent's own widget: goal progress, points, gates, tickets, their site's match.
"use strict";

(function () {
  const config = Live.config();
  const t = config.strings;
  const { el } = Live;
  let closes = [];

  function euro(value) { return `${value.toFixed(2)} €`; }

  // One minimum of a gate: its name, where the agent stands and what it asks for.
  function gateLine(check) {
    const percent = (value) => `${Math.round(value * 100)} %`;
    const shown = {
      min_quality: [`${Math.round(check.actual)} %`, `${check.required} %`],
      min_referral_rate: [percent(check.actual), percent(check.required)],
      max_cancellation_rate: [percent(check.actual), `≤ ${percent(check.required)}`],
    }[check.gate] || [check.actual, check.required];  // min_sales: plain counts
    return el("li", { class: "gate " + (check.ok ? "ok" : "missing"), "data-gate": check.gate },
      `${check.ok ? "✔" : "✘"} ${t["gate_" + check.gate] || check.gate} ${shown[0]} / ${shown[1]}`);
  }

  function replace(id, ...children) { document.getElementById(id).replaceChildren(...children); }

  // The profile form shows what is saved, so that saving one field keeps the other
  // (an opted-out agent who renames themself stays opted out). A frame fills it
  // when what is saved changed, unless the agent is editing it; its button waits
  // for the first frame, since an empty form would save empty choices. (The goal
  // form stays empty: saving it sets a new goal, whose progress starts afresh.)
  const profile = document.getElementById("profile");
  let loaded = null;
  profile.addEventListener("input", () => { profile.dataset.editing = "1"; });

  function fillProfile(saved) {
    profile.querySelector("button[type=submit]").disabled = false;
    const key = JSON.stringify(saved);
    if (loaded === key || profile.dataset.editing) return;
    loaded = key;
    profile.elements.public_name.value = saved.public_name;
    profile.elements.opt_out.checked = saved.opt_out;
  }

  function render(state) {
    fillProfile(state.profile);
    replace("name", state.name || state.agent, state.public_name ? ` (${state.public_name})` : "");
    const goal = state.goal;
    if (goal) {
      const confirmed = Math.min(100, (goal.confirmed / goal.price) * 100);
      const pending = Math.min(100 - confirmed, (goal.pending / goal.price) * 100);
      replace("goal",
        el("div", {}, el("b", {}, goal.title), ` · ${euro(goal.price)}`,
          goal.reached ? ` ✔ ${t.goal_reached}` : ""),
        el("div", { class: "bar" }, el("span", { class: "confirmed", style: { width: confirmed + "%" } }),
          el("span", { class: "pending", style: { width: pending + "%" } })),
        el("div", { "data-testid": "goal-progress" },
          `${euro(goal.confirmed)} ${t.confirmed} · ${euro(goal.pending)} ${t.pending}`));
    } else {
      replace("goal", el("span", { class: "muted" }, "—"));
    }
    const periods = state.periods;
    const figure = (label, period) => el("div", {}, label,
      el("b", {}, period ? period.points.total.toFixed(1) : "0"),
      period ? el("small", { class: "muted" }, `${period.points.confirmed.toFixed(1)} ${t.confirmed}`) : "");
    replace("figures", figure(t.points_today, periods.day), figure(t.points_week, periods.week),
      figure(t.points_month, periods.month));
    const gates = [];
    for (const [period, data] of Object.entries(periods)) {
      if (!data.gates.checks.length) continue;
      gates.push(el("li", { class: "gate-period", "data-period": period },
        el("b", {}, t["period_" + period] || period), " · ",
        data.gates.eligible ? `✔ ${t.eligible}` : t.not_eligible));
      for (const check of data.gates.checks) gates.push(gateLine(check));
    }
    replace("gates", ...(gates.length ? gates : [el("li", { class: "muted" }, "—")]));
    closes = state.tombolas.filter((x) => x.state === "open").map((x) => [x, Date.parse(x.closes)]);
    tickets();
    // Their site's live match in each season it plays in; the season named when several run.
    const many = state.matches.length > 1;
    replace("match", ...(state.matches.length ? state.matches.map((m) => el("div", { class: "match", "data-season": m.season },
      many ? el("div", { class: "muted" }, m.season_name) : null,
      el("div", { class: "teams" },
        el("span", { class: "home" }, m.home_name), el("span", { class: "score" }, `${m.home_goals} : ${m.away_goals}`),
        el("span", { class: "away" }, m.away_name), el("span", { class: "minute" }, `${m.minute}'`))))
      : [el("span", { class: "muted" }, "—")]));
    replace("why", ...state.recent.map((row) => el("li", {}, row.why)));
  }

  function tickets() {
    replace("tickets", ...(closes.length ? closes.map(([x, at]) => {
      const left = Math.max(0, at - Date.now());
      const h = Math.floor(left / 3600000), m = Math.floor((left % 3600000) / 60000);
      return el("div", {}, `${x.name}: `, el("b", {}, x.tickets), ` · ${t.next_draw} ${h}h ${m}m`);
    }) : [el("span", { class: "muted" }, "—")]));
  }

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

  document.getElementById("profile").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    post(form, "/api/me/profile",
      { public_name: form.public_name.value, opt_out: form.opt_out.checked });
  });
  document.getElementById("set-goal").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    post(form, "/api/me/goal", { title: form.title.value, price: form.price.value });
  });
  setInterval(tickets, 30000);
  Live.connect(config, { state: render, events: () => {} });
})();

// The manager console: its tabs, the overview, and the live frames of the manage topic.
// The parts live in manage-*.js, loaded before this file.
"use strict";

(function (C) {
  const { el, t, $ } = C;
  const TABS = ["overview", "rules", "prizes", "tombolas", "league", "contests", "experiments", "rewards", "people", "access", "notify", "connectors", "audit", "publish"];
  const opened = new Set();

  $("logout-csrf").value = C.config.csrf;

  // What a tab draws the first time it is shown, and what it reads again each time.
  const FIRST = {
    rules: () => C.rules.render(),
    tombolas: () => C.tombolas.render(),
    contests: () => C.contests.render(),
    experiments: () => C.experiments.render(),
  };
  const EVERY = {
    rules: () => C.history.render(),
    audit: () => C.audit.show(),
    prizes: () => { prizesDue = false; C.prizes.load().then(() => C.awards.load()).catch(() => {}); },
    tombolas: () => C.awards.load().then(() => C.tombolas.refresh()).catch(() => {}),
    contests: () => C.contests.load(),
    experiments: () => C.experiments.load(),
    rewards: () => C.rewards.load().catch(() => {}),
    notify: () => C.notify.load(),
    connectors: () => C.connectors.load(),
  };

  function show() {
    const wanted = location.hash.slice(1);
    const tab = TABS.includes(wanted) ? wanted : "overview";
    // Another tab starts at its top, not where the last one was scrolled to.
    if ($(`tab-${tab}`).hidden) window.scrollTo(0, 0);
    for (const name of TABS) {
      $(`tab-${name}`).hidden = name !== tab;
      const link = document.querySelector(`#nav a[data-tab=${name}]`);
      if (name === tab) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    if (!opened.has(tab) && FIRST[tab]) FIRST[tab]();
    if (EVERY[tab]) EVERY[tab]();
    opened.add(tab);
    // The language links keep the tab.
    for (const link of document.querySelectorAll(".languages a")) link.href = `?lang=${link.dataset.lang}#${tab}`;
    $("draft-bar").classList.toggle("on-publish", tab === "publish");
  }

  function card(title, tab, ...content) {
    return el("article", { class: "card" }, el("h2", {}, el("a", { href: `#${tab}` }, title)), ...content);
  }

  function overview(state) {
    const running = state.seasons.filter((s) => !s.ended);
    const open = state.tombolas.filter((x) => x.state === "open");
    const waiting = state.awards.filter((a) => a.state === "awarded");
    const drawn = state.tombolas.filter((x) => x.state === "drawn").slice(-3).reverse();
    C.fill($("overview"), 
      card(t("now"), "overview", el("p", { class: "big" }, C.when(state.clock)),
        el("p", {}, t("counts", { sites: state.sites, teams: state.teams, agents: state.agents, sales: C.number(state.sales, 0) })),
        el("p", { class: "muted small" }, t("time_zone_note", { zone: C.clock.zone }))),
      card(t("tab_rules"), "rules", el("p", {}, t("in_force"), ": ", el("b", {}, state.rules ? state.rules.version : "default")),
        C.draft.count() ? el("p", { class: "warn" }, t("draft_bar", { n: C.draft.count() })) : null),
      card(t("tab_league"), "league", running.length
        ? el("ul", { class: "plain" }, running.map((s) => el("li", {}, el("b", {}, s.name), ` · ${s.clubs.map((c) => c.name).join(", ")}`)))
        : el("p", { class: "muted" }, t("no_season"))),
      card(t("tab_tombolas"), "tombolas", open.length || drawn.length
        ? el("ul", { class: "plain" }, open.map((x) => el("li", {}, el("b", {}, x.name), ` · ${t("closes_at")} ${C.when(x.closes)} · ${t("n_tickets", { n: Object.values(x.tickets).reduce((a, b) => a + b, 0) })}`)),
          drawn.map((x) => el("li", {}, x.name, ` · ${t("winners")}: ${x.winners.map((w) => C.name("agent", w)).join(", ") || "–"} · `,
            x.verified ? el("span", { class: "ok" }, "✔ ", t("verified")) : el("span", { class: "error" }, "✘ ", t("not_verified")))))
        : el("p", { class: "muted" }, t("none"))),
      card(t("tab_contests"), "contests", (state.contests || []).length
        ? el("ul", { class: "plain" }, state.contests.map((c) => el("li", { "data-contest": c.contest }, el("b", {}, c.name),
          ` · ${t(`format_${c.format}`)}`, c.hidden ? ` · ${t("overview_hidden")}` : "")))
        : el("p", { class: "muted" }, t("none"))),
      card(t("tab_rewards"), "rewards", el("p", { "data-testid": "redemptions-waiting" }, state.redemptions_waiting
        ? t("overview_redemptions_waiting", { n: state.redemptions_waiting }) : t("overview_no_redemptions"))),
      card(t("awards"), "prizes", waiting.length
        ? el("ul", { class: "plain" }, waiting.slice(-8).reverse().map((a) => el("li", {}, `${C.name("agent", a.agent)}: ${a.name}`)))
        : el("p", { class: "muted" }, t("nothing_to_hand_over"))));
  }

  // The prize book changes with awards and restocking: read again when the tab shows it.
  let prizesDue = false;
  let prizesTimer = null;
  C.onFrame(() => {
    prizesDue = true;
    if (prizesTimer === null && !$("tab-prizes").hidden) {
      prizesTimer = setTimeout(() => {
        prizesTimer = null;
        if (prizesDue && !$("tab-prizes").hidden && !$("tab-prizes").contains(document.activeElement)) {
          prizesDue = false;
          C.prizes.load().then(() => C.awards.load()).catch(() => {});
        }
      }, 2000);
    }
  });
  C.onFrame(overview);
  C.onNames(() => { if (C.latest()) overview(C.latest()); });

  window.addEventListener("hashchange", show);
  C.seasons.init();
  C.people.init();
  C.access.init();
  C.channels.init();
  C.notify.init();
  C.audit.init();
  C.publish.init();
  if (location.hash !== "#prizes") C.prizes.load().catch(() => {});
  show();
  Live.connect({ ...C.config, strings: { live: t("live"), offline: t("offline") } }, { state: C.frame, events: () => {} });
})(Console);

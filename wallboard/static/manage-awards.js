// Awards to hand over: the prizes won, by whom and why, and a button per award.
//
// GET /api/manage/awards names every award's agent and prize and gives the path that
// hands it over (POST, no body; a second click stores nothing); it lists the
// tombolas' winners the same way. A server without it (404): the awards of
// GET /api/prizes, handed over with a handover event.
"use strict";

Console.awards = (function (C) {
  const { el, t } = C;
  const SHOWN = 50;
  let awards = [];
  let tombolas = [];
  let named = false;
  let showAll = false;
  let search = "";
  let shown = SHOWN;

  async function load() {
    try {
      const answer = await C.get(`/api/manage/awards?limit=1000${showAll ? "" : "&state=awarded"}`);
      awards = answer.awards;
      tombolas = answer.tombolas || [];
      named = true;
    } catch (error) {
      if (error.status !== 404) throw error;
      awards = [...(await C.get("/api/prizes")).awards].reverse();
      named = false;
    }
    draw();
  }

  function agentName(award) { return award.agent_name || C.name("agent", award.agent); }
  function prizeName(award) { return award.prize_name || award.name || C.name("prize", award.prize); }

  // Why it was won, in words: the rule's sentence, the tombola's name, or the reason.
  function why(award) {
    if (award.tombola) return `${t("kind_tombola")} ${award.tombola_name || award.tombola}`;
    return Console.prizes.ruleSentence(award.rule) || award.reason || award.rule;
  }

  async function handOver(award) {
    if (award.handover) return C.call("POST", award.handover);
    return C.call("POST", "/api/events", { id: `handover-${award.award}`.slice(0, 128), type: "handover",
      ts: new Date().toISOString(), award: award.award });
  }

  // The cell with the button, and after the click what it did.
  function handoverCell(award) {
    const cell = el("td", { class: "nowrap" });
    if (award.state === "handed_over" && award.handed_over_by) {
      cell.append(el("span", { class: "muted small" }, t("handed_over_by", { by: award.handed_over_by, when: C.when(award.handed_over_at) })));
    }
    if (award.state !== "awarded") return cell;
    cell.append(C.button(t("hand_over"), async () => {
      try {
        await handOver(award);
        award.state = "handed_over";
        C.fill(cell, el("span", { class: "ok" }, t("handed_over")));
      } catch (error) { C.fill(cell, el("span", { class: "error" }, error.message)); }
    }, { "data-award": award.award }));
    return cell;
  }

  function rows() {
    const wanted = search.toLowerCase();
    const list = awards.filter((a) => (showAll || a.state === "awarded")
      && (!wanted || `${agentName(a)} ${prizeName(a)} ${a.award}`.toLowerCase().includes(wanted)));
    const table = C.table([t("when"), t("agent"), t("prize"), t("why"), t("state"), t("award_id"), ""],
      list.slice(0, shown).map((a) => el("tr", { "data-award": a.award }, el("td", { class: "nowrap" }, C.when(a.ts)),
        el("td", {}, agentName(a), a.site_name ? el("div", { class: "muted small" }, [a.team_name, a.site_name].filter(Boolean).join(" · ")) : null),
        el("td", {}, prizeName(a)), el("td", { title: a.reason }, why(a)), el("td", {}, t(`award_${a.state}`)),
        el("td", { class: "mono small" }, a.award), handoverCell(a))), { id: "awards" });
    const more = list.length > shown ? C.button(t("show_more", { n: list.length - shown }), () => { shown += SHOWN; draw(); }, { class: "secondary" }) : null;
    return [table, more].filter(Boolean);
  }

  function draw() {
    const holder = C.$("awards-list");
    if (holder) C.fill(holder, ...rows());
  }

  function panel() {
    const toggle = el("label", {}, el("input", { type: "checkbox", ...(showAll ? { checked: "checked" } : {}) }), " ", t("show_all_awards"));
    toggle.firstChild.addEventListener("change", (change) => { showAll = change.target.checked; shown = SHOWN; load().catch(() => {}); });
    const find = el("input", { type: "search", placeholder: t("search_awards"), "aria-label": t("search_awards"), size: "40", value: search });
    find.addEventListener("input", () => { search = find.value.trim(); shown = SHOWN; draw(); });
    return el("div", {}, el("div", { class: "inline" }, find, toggle), el("div", { id: "awards-list" }, ...rows()));
  }

  // A tombola's winners with their prizes and a handover button each, where the
  // server names them (null otherwise: the tombola list names the winners itself).
  function winners(tombola) {
    const drum = named ? tombolas.find((x) => x.tombola === tombola) : null;
    if (!drum || !drum.winners.length) return null;
    return el("ul", { class: "plain winners" }, drum.winners.map((w) => {
      const award = { award: w.award, state: w.state, handover: w.handover };
      const line = el("li", {}, `${w.agent_name || C.name("agent", w.agent)}: ${w.prize_name || C.name("prize", w.prize)} `);
      if (w.award) line.append(...handoverCell(award).childNodes);
      else line.append(el("span", { class: "muted small" }, t("not_awarded_out_of_stock")));
      return line;
    }));
  }

  C.onNames(draw);

  return { load, panel, winners };
})(Console);

// Connectors: the list, a new one (from a preset or a mapping of one's own) with a
// secret the server made shown once, and one connector's page: the address to paste
// into the sending system, its setup steps, the mapping with a test against the last
// payloads, and the dead letters to replay once the mapping is fixed.
"use strict";

Console.connectors = (function (C) {
  const { el, t } = C;
  // The presets, and those whose secret the sending system issues (wallboard/connectors/presets.py).
  const PRESETS = C.config.connector_presets;
  const ISSUED = new Set(C.config.secret_issued_by);
  const CUSTOM = "custom";
  const LAST = 10;
  // The body the Zendesk trigger sends (README: Presets, zendesk).
  const ZENDESK_BODY = `{"ticket_id": "{{ticket.id}}", "status": "{{ticket.status}}",
 "assignee_id": "{{ticket.assignee.id}}", "via": "{{ticket.via}}",
 "updated_at": "{{ticket.updated_at_with_timestamp}}",
 "satisfaction": "{{satisfaction.current_rating}}"}`;
  // A mapping of one's own starts from an example to change (README: Connectors).
  const EXAMPLE = {
    each: "orders",
    filter: "state == 'paid'",
    event: {
      type: { const: "sale" },
      id: "join('-', ['order', to_string(number)])",
      ts: "to_ts(paid_at)",
      agent: { lookup: "shop", from: "seller" },
      product: { expr: "sku", default: "shop-item" },
      revenue: "total",
      channel: { const: "shop" },
    },
  };

  let listed = [];
  let open = null; // the connector shown: GET /api/connectors/{name}
  let secretOnce = null; // {name, secret} right after the server made it

  function labelled(text, node, extra) {
    const { "data-hint": hint, ...attrs } = extra || {};
    return el("label", { class: "field", ...attrs }, el("span", { class: "label" }, text), node,
      hint ? el("span", { class: "muted small" }, hint) : null);
  }

  function presetName(connector) { return t(`connectors_preset_${connector.preset || CUSTOM}`); }

  function hookUrl(connector) {
    const base = (C.config.public_url || location.origin).replace(/\/+$/, "");
    const url = `${base}${connector.hook}`;
    if (connector.scheme !== "salesforce") return url;
    const secret = secretOnce && secretOnce.name === connector.connector ? secretOnce.secret : "SECRET";
    return `${url}?secret=${encodeURIComponent(secret)}`;
  }

  // The text of `node` to the clipboard; where the browser refuses (a page not served
  // over HTTPS), selected for the manager to copy.
  async function copy(node, said) {
    try {
      await navigator.clipboard.writeText(node.value || node.textContent);
      C.fill(said, t("connectors_copied"));
    } catch (error) {
      if (node.select) node.select();
      C.fill(said, t("connectors_copy_failed"));
    }
  }

  function copyable(value, testid) {
    const box = el("input", { readonly: "", class: "mono copyable", value, size: String(Math.min(Math.max(value.length, 20), 90)), "data-testid": testid });
    const said = el("span", { class: "muted small", role: "status" });
    box.addEventListener("focus", () => box.select());
    return el("span", { class: "copy-line" }, box, " ", C.button(t("connectors_copy"), () => copy(box, said), { class: "secondary small" }), " ", said);
  }

  // The list -----------------------------------------------------------------

  function list() {
    return C.table([t("connectors_name"), t("connectors_kind"), t("connectors_payloads"), t("connectors_dead_letters"), t("connectors_last_payload"), ""],
      listed.map((connector) => el("tr", { "data-connector": connector.connector, class: open && open.connector === connector.connector ? "selected" : "" },
        el("th", { scope: "row" }, connector.connector),
        el("td", {}, presetName(connector)),
        el("td", { class: "num" }, C.number(connector.counts.payloads, 0)),
        el("td", { class: "num" }, connector.counts.dead_letters
          ? el("span", { class: "badge warn" }, C.number(connector.counts.dead_letters, 0)) : "0"),
        el("td", { class: "nowrap" }, C.short(connector.last_payload)),
        el("td", {}, C.button(t("connectors_open"), () => show(connector.connector)
          .catch((error) => C.fill(C.$("connector-detail"), el("p", { class: "error", role: "alert" }, error.message))),
        { class: "secondary small" })))));
  }

  // A new connector -------------------------------------------------------------

  function newForm() {
    const preset = el("select", { name: "preset" }, [...PRESETS, CUSTOM].map((p) =>
      el("option", { value: p }, t(`connectors_preset_${p}`))));
    const secret = el("input", { name: "secret", size: "36", autocomplete: "off", spellcheck: "false" });
    const secretField = labelled("", secret);
    const mapping = el("textarea", { name: "mapping", "data-field": "mapping", rows: "14", spellcheck: "false" },
      JSON.stringify(EXAMPLE, null, 2));
    const node = el("form", { novalidate: "", id: "connector-form", class: "stack" },
      el("div", { class: "fields" },
        labelled(t("connectors_name"), el("input", { name: "connector", required: "required", maxlength: "32", size: "16",
          pattern: "[a-z0-9][a-z0-9_\\-]*", title: t("connectors_name_help") }), { "data-hint": t("connectors_name_help") }),
        labelled(t("connectors_kind"), preset)),
      el("div", { class: "fields", "data-for": "secret" }, secretField),
      el("p", { class: "help", "data-for": "secret-help" }),
      el("div", { class: "fields", "data-for": "salesforce" },
        labelled(t("connectors_organization"), el("input", { name: "organization_id", size: "20", maxlength: "18" }))),
      el("div", { class: "field mapping-field", "data-for": CUSTOM },
        el("span", { class: "label" }, t("connectors_mapping")), mapping,
        el("p", { class: "help" }, t("connectors_mapping_help"))),
      el("button", { type: "submit" }, t("connectors_create")),
      el("div", { id: "connector-form-result", class: "result" }));
    const shape = () => {
      const issued = ISSUED.has(preset.value);
      node.querySelector("[data-for=secret]").hidden = !issued;
      secret.required = issued;
      if (issued) secretField.querySelector(".label").textContent = t(`connectors_secret_${preset.value}`);
      node.querySelector("[data-for=secret-help]").textContent = issued ? t("connectors_secret_help") : t("connectors_secret_made");
      node.querySelector("[data-for=salesforce]").hidden = preset.value !== "salesforce";
      node.querySelector(`[data-for=${CUSTOM}]`).hidden = preset.value !== CUSTOM;
    };
    preset.addEventListener("change", shape);
    node.addEventListener("submit", (submit) => { submit.preventDefault(); create(node); });
    shape();
    return node;
  }

  // The JSON in a mapping's box, or null with the problem shown beside it.
  function mappingOf(form, box) {
    try {
      const parsed = JSON.parse(box.value);
      return parsed;
    } catch (error) {
      C.fieldError(form, "mapping", t("connectors_not_json", { error: error.message }));
      return null;
    }
  }

  // The field a refusal is about: the API names a mapping's place ("mapping.event.revnue")
  // in `field`, and starts other messages with the field ("secret: required ...").
  function refused(form, result, error) {
    C.clearErrors(form);
    const data = error.data || {};
    const message = error.message || String(error);
    const named = data.field || message.split(":")[0];
    const field = named.startsWith("mapping") ? "mapping" : named;
    if (field && form.querySelector(`[name="${CSS.escape(field)}"], [data-field="${CSS.escape(field)}"]`)) {
      C.fieldError(form, field, message);
      C.fill(result);
    } else C.fill(result, el("p", { class: "error", role: "alert" }, message));
  }

  async function create(node, replacing) {
    const result = C.$("connector-form-result");
    if (!C.checkForm(node, result)) return;
    const body = { connector: node.connector.value.trim() };
    // The same name again replaces the connector, its mapping too: asked first.
    if (!replacing && listed.some((c) => c.connector === body.connector)) {
      C.confirmInline(result, t("connectors_replace", { name: body.connector }), t("connectors_replace_yes"), () => create(node, true));
      return;
    }
    if (node.preset.value === CUSTOM) {
      const mapping = mappingOf(node, node.mapping);
      if (mapping === null) return;
      body.mapping = mapping;
    } else body.preset = node.preset.value;
    if (ISSUED.has(node.preset.value)) body.secret = node.secret.value.trim();
    if (node.preset.value === "salesforce" && node.organization_id.value.trim()) body.organization_id = node.organization_id.value.trim();
    try {
      const answer = (await C.call("POST", "/api/connectors", body)).data;
      secretOnce = answer.secret ? { name: answer.connector, secret: answer.secret } : null;
      C.done(result, t(answer.created ? "connectors_created" : "saved_name", { name: answer.connector }));
      node.reset();
      node.mapping.value = JSON.stringify(EXAMPLE, null, 2);
      node.preset.dispatchEvent(new Event("change"));
      await show(answer.connector);
    } catch (error) { refused(node, result, error); }
  }

  // One connector's page ------------------------------------------------------

  function secretBox(connector) {
    if (!secretOnce || secretOnce.name !== connector.connector) return null;
    const box = el("div", { class: "secret-once", role: "alert", "data-testid": "secret-once" },
      el("h3", {}, "⚠ ", t("connectors_secret_once_title", { name: connector.connector })),
      el("p", {}, t("connectors_secret_once")),
      copyable(secretOnce.secret, "secret"));
    box.append(el("p", {}, C.button(t("connectors_secret_kept"), () => { secretOnce = null; draw(); }, { class: "secondary" })));
    return box;
  }

  function setup(connector) {
    const steps = t(`connectors_steps_${connector.preset || CUSTOM}`).split("\n");
    return [el("h3", {}, t("connectors_hook")),
      copyable(hookUrl(connector), "hook-url"),
      connector.scheme === "salesforce" && !(secretOnce && secretOnce.name === connector.connector)
        ? el("p", { class: "help" }, t("connectors_hook_secret")) : null,
      el("h3", {}, t("connectors_setup")),
      el("ol", { class: "steps" }, steps.map((step) => el("li", {}, step))),
      connector.preset === "zendesk" ? copyableBlock(ZENDESK_BODY) : null];
  }

  function copyableBlock(text) {
    const block = el("pre", { class: "mono small code-block" }, text);
    const said = el("span", { class: "muted small", role: "status" });
    return el("div", {}, block, C.button(t("connectors_copy"), () => copy(block, said), { class: "secondary small" }), " ", said);
  }

  function editor(connector) {
    const box = el("textarea", { name: "mapping", "data-field": "mapping", rows: "22", spellcheck: "false", id: "connector-mapping" },
      JSON.stringify(connector.mapping, null, 2));
    const form = el("form", { novalidate: "", id: "connector-mapping-form" },
      el("h3", {}, t("connectors_mapping")),
      el("p", { class: "help" }, t("connectors_mapping_help")),
      el("div", { class: "field mapping-field" }, box),
      el("div", { class: "actions" },
        C.button(t("connectors_test"), () => test(form), { class: "secondary", id: "connector-test" }),
        C.button(t("connectors_save_mapping"), () => save(form), { id: "connector-save" })),
      el("div", { id: "connector-mapping-result", class: "result" }));
    form.addEventListener("submit", (submit) => submit.preventDefault());
    return form;
  }

  // A payload as the sending system sent it: its start, the whole of it unfolded.
  function excerpt(body) {
    let whole = body;
    try { whole = JSON.stringify(JSON.parse(body), null, 2); } catch (error) { /* not JSON: as it came */ }
    const start = body.length > 120 ? `${body.slice(0, 120)}…` : body;
    return el("details", { class: "payload" }, el("summary", { class: "mono small" }, start), el("pre", { class: "mono small code-block" }, whole));
  }

  // An event as a line a manager reads: its type, then each field (the agent by name).
  function events(list) {
    return el("ul", { class: "plain events" }, list.map((event) => el("li", {},
      el("b", {}, t(`type_${event.type}`)), " ",
      Object.entries(event).filter(([field]) => field !== "type").map(([field, value]) => el("span", { class: "event-field" },
        el("span", { class: "muted" }, field), " ",
        field === "agent" ? `${C.name("agent", value)} (${value})` : typeof value === "string" ? value : JSON.stringify(value))))));
  }

  function tested(data) {
    const bodies = Object.fromEntries((open.latest || []).map((p) => [p.seq, p.body]));
    if (!data.results.length) return el("p", { class: "muted" }, t("connectors_no_payloads"));
    return [el("p", { class: "done", "data-testid": "tested" }, t("connectors_tested", { n: data.results.length })),
      C.table(["#", t("connectors_received"), t("connectors_payload"), t("connectors_outcome")],
        data.results.map((r) => el("tr", { "data-tested": r.seq, class: r.error ? "failed" : "" },
          el("td", { class: "num" }, String(r.seq)),
          el("td", { class: "nowrap" }, C.short(r.received)),
          el("td", { class: "payload-cell" }, bodies[r.seq] !== undefined ? excerpt(bodies[r.seq]) : "–"),
          el("td", {}, r.error
            ? el("span", { class: "error" }, `${t("connectors_fails")}: ${r.error}`)
            : [el("span", { class: "ok" }, t("connectors_n_events", { n: r.events.length })), events(r.events)]))),
        { "data-testid": "test-results" })];
  }

  async function test(form) {
    const result = C.$("connector-mapping-result");
    C.clearErrors(form);
    const mapping = mappingOf(form, form.mapping);
    if (mapping === null) { C.fill(result); return; }
    try {
      const { data } = await C.call("POST", `/api/connectors/${encodeURIComponent(open.connector)}/test`, { mapping, last: LAST });
      C.fill(result);
      C.fill(C.$("connector-tested"), tested(data));
      C.$("connector-tested").scrollIntoView({ block: "nearest" });
    } catch (error) { C.fill(C.$("connector-tested")); refused(form, result, error); }
  }

  async function save(form) {
    const result = C.$("connector-mapping-result");
    C.clearErrors(form);
    const mapping = mappingOf(form, form.mapping);
    if (mapping === null) { C.fill(result); return; }
    // Posted with a mapping alone, a connector keeps its preset's signature and secret;
    // a Salesforce organization is sent again, or it would be dropped.
    const body = { connector: open.connector, mapping };
    if (open.organization_id) body.organization_id = open.organization_id;
    try {
      await C.call("POST", "/api/connectors", body);
      open.mapping = mapping;
      C.done(result, t("connectors_mapping_saved"), "mapping-saved");
    } catch (error) { refused(form, result, error); }
  }

  function deadLetters(letters) {
    const section = el("section", { id: "connector-dead", "data-testid": "dead-letters" },
      el("h3", {}, `${t("connectors_dead_letters")}: ${C.number(letters.length, 0)}`),
      el("p", { class: "help" }, t("connectors_dead_help")),
      C.table([t("connectors_received"), t("connectors_payload"), t("connectors_reason")],
        letters.map((letter) => el("tr", { "data-dead-letter": letter.seq },
          el("td", { class: "nowrap" }, C.short(letter.received)),
          el("td", { class: "payload-cell" }, excerpt(letter.body)),
          el("td", { class: "error small" }, letter.reason)))));
    const result = el("div", { id: "connector-replay-result", class: "result" });
    if (letters.length) {
      const actions = el("div", { class: "actions" });
      // A replay maps with the saved mapping: edits not saved yet are asked about first.
      actions.append(C.button(t("connectors_replay"), () => (unsaved()
        ? C.confirmInline(actions, t("connectors_unsaved"), t("connectors_replay"), () => replay(result))
        : replay(result)), { id: "connector-replay" }));
      section.append(actions);
    }
    section.append(result);
    return section;
  }

  // Whether the mapping's box holds something other than the saved mapping.
  function unsaved() {
    const box = C.$("connector-mapping");
    if (!box || !open) return false;
    const canonical = (value) => JSON.stringify(value, (key, inner) => (inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : inner));
    try { return canonical(JSON.parse(box.value)) !== canonical(open.mapping); } catch (error) { return true; }
  }

  async function replay(result) {
    try {
      const { data } = await C.call("POST", `/api/connectors/${encodeURIComponent(open.connector)}/replay`);
      const said = t("connectors_replayed", data);
      await show(open.connector, true);
      C.done(C.$("connector-replay-result"), said, "replayed");
    } catch (error) { C.fill(result, el("p", { class: "error", role: "alert" }, error.message)); }
  }

  let dead = [];
  function draw() {
    const holder = C.$("connector-detail");
    if (!open) {
      C.fill(holder, el("p", { class: "muted" }, t("connectors_choose")));
      return;
    }
    // A mapping being edited, and what its test showed, stay when the page is read again.
    const editing = holder.dataset.connector === open.connector ? C.$("connector-mapping-form") : null;
    const testedBefore = editing ? C.$("connector-tested") : null;
    holder.dataset.connector = open.connector;
    C.fill(holder,
      el("h2", {}, open.connector, el("span", { class: "badge" }, presetName(open))),
      el("p", { class: "muted small" }, t("connectors_made_by", { when: C.when(open.created), by: open.by }),
        open.organization_id ? ` · ${t("connectors_organization_only", { id: open.organization_id })}` : null),
      secretBox(open),
      el("div", { class: "columns" }, el("div", {}, setup(open)), editing || editor(open)),
      testedBefore || el("section", { id: "connector-tested", class: "result" }),
      deadLetters(dead));
  }

  async function show(name, keepEdits) {
    const path = `/api/connectors/${encodeURIComponent(name)}`;
    if (!keepEdits || !open || open.connector !== name) C.$("connector-detail").dataset.connector = "";
    if (secretOnce && secretOnce.name !== name) secretOnce = null;
    const [connector, letters] = await Promise.all([C.get(path), C.get(`${path}/dead-letters`)]);
    open = connector;
    dead = letters.dead_letters;
    draw();
    await loadList();
  }

  async function loadList() {
    const data = await C.get("/api/connectors");
    listed = data.connectors;
    C.fill(C.$("connectors-list"), list());
  }

  // While the tab is in view, payloads that arrive show in the counts, and in the
  // open connector's dead letters, without a click.
  const EVERY_MS = 15000;
  async function poll() {
    if (C.$("tab-connectors").hidden || document.visibilityState !== "visible") return;
    await loadList();
    const now = open && listed.find((c) => c.connector === open.connector);
    if (now && JSON.stringify(now.counts) !== JSON.stringify(open.counts)) await show(open.connector, true);
  }

  async function load() {
    const view = C.$("connectors-view");
    if (!C.$("connectors-list")) {
      C.fill(view,
        el("div", { class: "columns" },
          el("section", { class: "panel" },
            el("h2", {}, t("connectors_list"), " ", C.button(t("connectors_refresh"), () => load(), { class: "secondary small", id: "connectors-refresh" })),
            el("div", { id: "connectors-list" })),
          el("section", { class: "panel" }, el("h2", {}, t("connectors_new")), newForm())),
        el("section", { class: "panel", id: "connector-detail", "data-testid": "connector" }));
      draw();
      setInterval(() => poll().catch(() => {}), EVERY_MS);
    }
    try {
      if (open) await show(open.connector, true);
      else await loadList();
    } catch (error) { C.fill(C.$("connectors-list"), el("p", { class: "error" }, error.message)); }
  }

  return { load };
})(Console);

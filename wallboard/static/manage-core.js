// The console's shared parts: words, calls to the server, errors beside their field,
// times in the rule set's time zone, and names for the ids the server answers with.
"use strict";

window.Console = (function () {
  const config = Live.config();
  const { el } = Live;
  const $ = (id) => document.getElementById(id);

  // The console's words come from the server (wallboard/i18n.py) in the page's language.
  function t(key, vars) {
    let text = key in config.strings ? config.strings[key] : key;
    for (const [name, value] of Object.entries(vars || {})) text = text.split(`{${name}}`).join(value);
    return text;
  }

  // A 4xx or 5xx answer, with the server's JSON kept for the fields it names.
  class Refused extends Error {
    constructor(status, data) {
      super(data.error || `${status}`);
      this.status = status;
      this.data = data;
    }
  }

  async function call(method, path, body, raw) {
    const headers = { "X-CSRF-Token": config.csrf };
    if (body !== undefined && !raw) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { method, credentials: "same-origin", headers,
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body) });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Refused(response.status, data);
    return { status: response.status, data, headers: response.headers };
  }

  async function get(path) { return (await call("GET", path)).data; }

  // Every problem the server named: {index, field, message}. A rule set's problems come
  // as one text, "sale.products.x.base: expected ...; gates.month...: ...", split by path.
  function problems(error) {
    const found = [];
    const data = (error && error.data) || {};
    for (const bad of data.invalid || []) {
      for (const [field, message] of Object.entries(bad.problems || {})) {
        if (field === "rules") {
          for (const part of String(message).split("; ")) {
            const at = part.indexOf(": ");
            if (at > 0) found.push({ index: bad.index, field: `rules.${part.slice(0, at)}`, message: part.slice(at + 2) });
            else found.push({ index: bad.index, field, message: part });
          }
        } else found.push({ index: bad.index, field, message: String(message) });
      }
    }
    for (const [field, message] of Object.entries(data.problems || {})) found.push({ field, message: String(message) });
    for (const bad of data.errors || []) found.push({ field: `line ${bad.line}`, message: bad.error });
    for (const bad of data.warnings || []) found.push({ field: bad.line ? `line ${bad.line}` : "", message: bad.warning || bad.message || String(bad), warning: true });
    return found;
  }

  function clearErrors(scope) {
    for (const node of scope.querySelectorAll(".field-error")) node.remove();
    for (const node of scope.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  }

  // Puts a message under the input it is about: name="field" or data-field="field".
  function fieldError(scope, field, message) {
    const input = scope.querySelector(`[data-field="${CSS.escape(field)}"]`)
      || scope.querySelector(`[name="${CSS.escape(field)}"]`);
    if (!input) return false;
    input.setAttribute("aria-invalid", "true");
    const holder = input.closest("label, td, .field") || input.parentNode;
    holder.append(el("span", { class: "field-error", role: "alert" }, message));
    return true;
  }

  // The server's refusal: each problem beside its field when the form has it, the rest
  // (and the message itself) in the form's result line.
  function showRefusal(scope, result, error, rename) {
    clearErrors(scope);
    const rest = [];
    for (const problem of problems(error)) {
      const field = rename ? rename(problem) : problem.field;
      if (!field || !fieldError(scope, field, problem.message)) rest.push(problem);
    }
    fill(result, el("p", { class: "error", role: "alert" }, error.message || String(error)),
      rest.length ? el("ul", { class: "plain error" }, rest.map((p) => el("li", {}, p.field ? `${p.field}: ${p.message}` : p.message))) : null);
  }

  // Puts children in a node in place of what it held, leaving out the absent ones (a
  // section with nothing to show is null): the DOM itself would write "null".
  function fill(node, ...children) {
    node.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  }

  function done(result, text, testid) {
    fill(result, el("p", { class: "done", "data-testid": testid || "done" }, text));
  }

  // Checks the browser can make before anything is sent: each input's own constraints.
  function checkForm(form, result) {
    clearErrors(form);
    let ok = true;
    for (const input of form.querySelectorAll("input, select, textarea")) {
      if (!input.checkValidity()) {
        ok = false;
        input.setAttribute("aria-invalid", "true");
        const holder = input.closest("label, td, .field") || input.parentNode;
        holder.append(el("span", { class: "field-error", role: "alert" }, input.validationMessage));
      }
    }
    if (!ok && result) fill(result, el("p", { class: "error" }, t("fix_fields")));
    return ok;
  }

  // Times: shown in the rule set's time zone, which is the sites' (README: Time zone).
  const clock = { zone: "Europe/Berlin" };
  const formats = {};
  function format(options) {
    const key = clock.zone + JSON.stringify(options);
    formats[key] = formats[key] || new Intl.DateTimeFormat(config.lang, { ...options, timeZone: clock.zone });
    return formats[key];
  }
  function when(value) {
    if (value === null || value === undefined || value === "") return "–";
    const moment = typeof value === "number" ? new Date(value * 1000) : new Date(value);
    return format({ dateStyle: "medium", timeStyle: "short" }).format(moment);
  }
  // A moment in a table: "Thu, 4 Dec, 18:00".
  function short(value) {
    if (value === null || value === undefined || value === "") return "–";
    const moment = typeof value === "number" ? new Date(value * 1000) : new Date(value);
    return format({ weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }).format(moment);
  }

  // The zone's offset from UTC at a moment, in minutes.
  function offset(moment) {
    const parts = Object.fromEntries(format({ year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })
      .formatToParts(moment).map((p) => [p.type, p.value]));
    const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
    return Math.round((asUtc - moment.getTime()) / 60000);
  }

  // "2026-12-04T18:00" read as a wall time in the zone, as an ISO moment in UTC.
  function fromLocal(text) {
    const [date, time] = text.split("T");
    const [y, m, d] = date.split("-").map(Number);
    const [hh, mm] = (time || "00:00").split(":").map(Number);
    const guess = Date.UTC(y, m - 1, d, hh, mm);
    let moment = new Date(guess - offset(new Date(guess)) * 60000);
    moment = new Date(guess - offset(moment) * 60000);
    return moment.toISOString();
  }

  // A moment as the zone's wall time, for a datetime-local input.
  function toLocal(moment) {
    const shifted = new Date(moment.getTime() + offset(moment) * 60000);
    return shifted.toISOString().slice(0, 16);
  }

  function money(euros) {
    return new Intl.NumberFormat(config.lang, { style: "currency", currency: "EUR" }).format(euros);
  }
  function number(value, digits) {
    return new Intl.NumberFormat(config.lang, { maximumFractionDigits: digits === undefined ? 2 : digits }).format(value);
  }
  function signed(value, digits) {
    const text = number(value, digits);
    return value > 0 ? `+${text}` : text;
  }

  // An id for a new thing from its name ("Bottle of champagne" -> "bottle-of-champagne"),
  // made unique among those taken.
  function slug(name, taken) {
    const base = name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/ß/g, "ss").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "item";
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    return id;
  }

  // Names for ids: sites and prizes from what the console reads; agents one by one,
  // asked of the server when first shown, then drawn again.
  const names = { site: {}, team: {}, agent: {}, prize: {} };
  const asked = new Set();
  const redraws = new Set();
  function name(what, id) {
    if (id === null || id === undefined) return "–";
    if (names[what][id] !== undefined) return names[what][id];
    if (what === "agent" && !asked.has(id)) {
      asked.add(id);
      get(`/api/agents/${encodeURIComponent(id)}`).then((agent) => {
        if (agent.name) {
          names.agent[id] = agent.name;
          if (agent.team) names.team[agent.team] = names.team[agent.team] || agent.team;
          for (const redraw of redraws) redraw();
        }
      }).catch(() => {});
    }
    return id;
  }
  function learn(what, entries) { Object.assign(names[what], entries); }
  function onNames(redraw) { redraws.add(redraw); }

  // The latest frame of the manage topic, and who wants to hear of the next one.
  const frames = [];
  let latest = null;
  function onFrame(handler) { frames.push(handler); if (latest) handler(latest); }
  function frame(state) {
    latest = state;
    if (state.rules && state.rules.rules && state.rules.rules.timezone) clock.zone = state.rules.rules.timezone;
    for (const handler of frames) handler(state);
  }

  // A table with a header row; with no rows, a line that says so.
  function table(head, rows, attrs) {
    const body = rows.length ? rows : [el("tr", { class: "empty" }, el("td", { colspan: String(head.length) }, t("none")))];
    return el("table", { class: "grid", ...(attrs || {}) },
      el("thead", {}, el("tr", {}, head.map((h) => el("th", {}, h)))),
      el("tbody", {}, body));
  }

  function button(text, onClick, attrs) {
    const node = el("button", { type: "button", ...(attrs || {}) }, text);
    node.addEventListener("click", onClick);
    return node;
  }

  // Asks on the page itself, not in a browser dialog: the question, then yes or no.
  function confirmInline(holder, question, yes, onYes) {
    const box = el("span", { class: "confirm", role: "alertdialog" }, question, " ");
    box.append(button(yes, () => { box.remove(); onYes(); }, { class: "danger" }), " ",
      button(t("cancel"), () => box.remove(), { class: "secondary" }));
    holder.querySelectorAll(".confirm").forEach((old) => old.remove());
    holder.append(box);
  }

  // "per month" in a sentence; "Month" in a list to choose from.
  function periodName(period) { return t(`per_${period}`); }
  function periodNoun(period) { return t(`period_${period}`); }

  return { config, el, $, t, fill, call, get, Refused, problems, clearErrors, fieldError, showRefusal,
    done, checkForm, clock, when, short, fromLocal, toLocal, money, number, signed, slug, name,
    learn, onNames, names, onFrame, frame, latest: () => latest, table, button, confirmInline,
    periodName, periodNoun };
})();

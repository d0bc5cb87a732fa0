// The draft: what a manager has set but not yet published.
//
// A rules event carries the whole rule set, so the forms never build one from a blank:
// the draft keeps the manager's edits (a path and its new value) and applies them to a
// copy of the rule set in force whenever it is asked. A rule set another manager
// publishes meanwhile stays as they set it, except where this manager changed a value.
// Prizes, prize rules and tombolas wait in the draft as whole events. The draft lives
// in the browser (localStorage) until it is published or discarded.
"use strict";

Console.draft = (function (C) {
  const KEY = `wallboard.console.draft.${C.config.manager}`;
  const listeners = [];
  let state = load();

  function blank() { return { edits: [], events: [], tombolas: [], version: "", effective: "", hidden: false }; }
  function load() {
    try { return { ...blank(), ...JSON.parse(localStorage.getItem(KEY)) }; } catch (e) { return blank(); }
  }
  function save() {
    localStorage.setItem(KEY, JSON.stringify(state));
    for (const listener of listeners) listener();
  }
  function onChange(listener) { listeners.push(listener); }

  const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

  // A rules event must carry every section (the server refuses one that leaves a
  // section out, which would fall back to its defaults unseen): a section the set in
  // force left out is written in with the default it meant (README: Rules).
  const SECTIONS = {
    cancellation_window_days: 14,
    weights: { sales: 1, support: 1 },
    sale: { products: { "*": { base: 10, per_euro: 0.1 } }, groups: {}, channel_factors: {} },
    contact: { handled: 1, resolved: 1, referral: 2, quality_bands: [] },
    commission: {},
    gates: {},
  };
  function inForce() {
    const latest = C.latest();
    const rules = latest && latest.rules ? latest.rules.rules || {} : {};
    const whole = { ...rules };
    for (const [section, fallback] of Object.entries(SECTIONS)) {
      if (whole[section] === undefined) whole[section] = clone(fallback);
    }
    return whole;
  }
  function inForceVersion() {
    const latest = C.latest();
    return latest && latest.rules ? latest.rules.version : null;
  }

  function at(rules, path) {
    let node = rules;
    for (const step of path) {
      if (!isObject(node)) return undefined;
      node = node[step];
    }
    return node;
  }

  // Sets (or with undefined removes) the value at path, and removes the objects the
  // removal left empty: an empty product rule would earn nothing, where no rule at all
  // falls back to "*".
  function put(rules, path, value) {
    const trail = [rules];
    let node = rules;
    for (const step of path.slice(0, -1)) {
      if (!isObject(node[step])) node[step] = {};
      node = node[step];
      trail.push(node);
    }
    const last = path[path.length - 1];
    if (value === undefined) delete node[last];
    else node[last] = clone(value);
    for (let depth = path.length - 1; depth >= 1; depth--) {
      const holder = trail[depth];
      if (isObject(holder) && Object.keys(holder).length === 0) delete trail[depth - 1][path[depth - 1]];
      else break;
    }
  }

  function rules() {
    const draft = clone(inForce());
    for (const edit of state.edits) put(draft, edit.path, edit.value);
    return draft;
  }

  function setRule(path, value) {
    const same = JSON.stringify(path);
    state.edits = state.edits.filter((edit) => JSON.stringify(edit.path) !== same);
    if (JSON.stringify(at(inForce(), path)) !== JSON.stringify(value) || !sameSoFar(path)) {
      state.edits.push({ path, value: clone(value) });
    }
    save();
  }
  // True when no other edit touches path, so that leaving out this one restores it.
  function sameSoFar(path) {
    const prefix = JSON.stringify(path).slice(0, -1);
    return !state.edits.some((edit) => {
      const other = JSON.stringify(edit.path).slice(0, -1);
      return other.startsWith(prefix) || prefix.startsWith(other);
    });
  }

  // Every value that differs, as {path, from, to}, leaf by leaf; lists are one value.
  function diff(before, after, path) {
    path = path || [];
    if (isObject(before) || isObject(after)) {
      if (!isObject(before) && before !== undefined) return [{ path, from: before, to: after }];
      if (!isObject(after) && after !== undefined) return [{ path, from: before, to: after }];
      const keys = [...new Set([...Object.keys(before || {}), ...Object.keys(after || {})])];
      return keys.flatMap((key) => diff((before || {})[key], (after || {})[key], [...path, key]));
    }
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, from: before, to: after }];
  }
  function ruleChanges() { return diff(inForce(), rules()); }

  // The draft becomes a whole rule set (a trial's, to publish it for real): one edit
  // per value that differs from the set in force.
  function adopt(whole) {
    state.edits = diff(inForce(), whole).map((change) => ({ path: change.path, value: clone(change.to) }));
    save();
  }

  function add(kind, event, about) {
    const id = `${event.type}-${C.slug(about || event.type, new Set())}-${Math.random().toString(16).slice(2, 8)}`;
    state[kind].push({ key: id, event: { id, ...event } });
    save();
  }
  function addEvent(event, about) { add("events", event, about); }
  function addTombola(body) { add("tombolas", { type: "tombola_open", ...body }, body.name); }
  function remove(key) {
    for (const kind of ["events", "tombolas"]) state[kind] = state[kind].filter((item) => item.key !== key);
    save();
  }
  function discard() { state = blank(); save(); }
  function discardRules() { state.edits = []; save(); }
  function draftEvents() { return state.events.map((item) => item.event); }
  function draftTombolas() { return state.tombolas.map((item) => item.event); }
  function count() { return ruleChanges().length + state.events.length + state.tombolas.length; }

  function setMeta(field, value) { state[field] = value; save(); }
  function meta(field) { return state[field]; }

  // The version a rules event names, unless the manager chose one.
  function version() {
    if (state.version) return state.version;
    const now = new Date();
    return `rules-${C.toLocal(now).replace(/[-:]/g, "").replace("T", "-")}`;
  }
  function effectiveTs() { return state.effective ? C.fromLocal(state.effective) : new Date().toISOString(); }

  // The events publishing posts in one batch (all or nothing): the rule set first.
  function batch(ts) {
    const now = new Date().toISOString();
    const events = [];
    if (ruleChanges().length) {
      const event = { id: version(), type: "rules", ts: ts || effectiveTs(), rules: rules() };
      events.push(state.hidden ? { ...event, hidden: true } : event);
    }
    for (const item of state.events) events.push({ ...item.event, ts: ts || now });
    return events;
  }

  // Publishes the batch, then opens the tombolas (each through its own endpoint, which
  // fixes its secret seed). A refused batch stores nothing and keeps the draft; the
  // refusal goes back to the caller with the batch, to show each problem where it is.
  async function publish() {
    const events = batch();
    if (events.length) {
      try {
        await C.call("POST", "/api/events", events);
      } catch (error) {
        error.batch = events;
        throw error;
      }
      state.edits = [];
      state.events = [];
      state.version = "";
      state.effective = "";
      state.hidden = false;
      save();
    }
    while (state.tombolas.length) {
      const item = state.tombolas[0];
      const { id, type, ...body } = item.event;
      try {
        await C.call("POST", "/api/tombolas", body);
      } catch (error) {
        error.tombola = item.key;
        throw error;
      }
      state.tombolas.shift();
      save();
    }
  }

  return { onChange, rules, inForce, inForceVersion, at, setRule, diff, ruleChanges, adopt, addEvent,
    addTombola, remove, discard, discardRules, draftEvents, draftTombolas, count, setMeta, meta,
    version, batch, publish, events: () => state.events, tombolas: () => state.tombolas };
})(Console);

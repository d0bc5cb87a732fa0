// The push protocol's client: subscribe, keep the latest state, resume after a drop.
"use strict";

window.Live = (function () {
  const WATCHDOG_MS = 40000;
  // Retries after 0.5 s, then each wait 1.5 times the last (up to 10 s), jittered so
  // that a wall of screens does not come back at once: after a server restart they are
  // back within a few seconds (bench/reconnect.py copies this schedule).
  const FIRST_RETRY_MS = 500;
  const GROWTH = 1.5;
  const MAX_RETRY_MS = 10000;
  // The server sends up to 20 frames a second; a page redraws at most this often,
  // with the newest state, except that a frame with celebrations is drawn at once.
  const REDRAW_MS = 250;

  function connect(config, handlers) {
    let backoff = FIRST_RETRY_MS;
    let version = null;
    let seq = 0;
    let socket = null;
    let watchdog = null;
    let drawnAt = 0;
    let pending = null;
    let redraw = null;

    function run() {
      clearTimeout(redraw);
      redraw = null;
      drawnAt = Date.now();
      const newest = pending;
      pending = null;
      handlers.state(newest);
    }

    // now: a snapshot, or a frame with celebrations (which look at its state).
    function draw(state, now) {
      pending = state;
      const wait = drawnAt + REDRAW_MS - Date.now();
      if (now || wait <= 0) run();
      else if (redraw === null) redraw = setTimeout(run, wait);
    }

    function setOnline(online) {
      document.body.classList.toggle("offline", !online);
      const badge = document.getElementById("status");
      if (badge) {
        badge.textContent = online ? config.strings.live : config.strings.offline;
        badge.className = "status " + (online ? "online" : "offline");
      }
    }

    function arm() {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => socket && socket.close(), WATCHDOG_MS);
    }

    function open() {
      const scheme = location.protocol === "https:" ? "wss:" : "ws:";
      socket = new WebSocket(`${scheme}//${location.host}/ws?as=${config.as}`);
      socket.onopen = () => {
        backoff = FIRST_RETRY_MS;
        setOnline(true);
        arm();
        const since = {};
        if (version !== null) since[config.topic] = [version, seq];
        socket.send(JSON.stringify({ type: "subscribe", topics: [config.topic], since }));
      };
      socket.onmessage = (message) => {
        arm();
        const frame = JSON.parse(message.data);
        if (frame.type === "ping") return;
        if (frame.type === "error") { console.warn(frame.error); return; }
        if (frame.topic !== config.topic) return;
        if (frame.type === "update" && frame.version === version && frame.seq <= seq) return;
        version = frame.version;
        seq = frame.seq;
        const celebrations = frame.type === "update" && frame.events && frame.events.length;
        draw(frame.state, celebrations || frame.type === "snapshot");
        if (celebrations) {
          handlers.events(frame.events, frame.state);
        }
      };
      socket.onclose = () => {
        clearTimeout(watchdog);
        setOnline(false);
        const wait = backoff * (0.75 + Math.random() / 2);
        backoff = Math.min(backoff * GROWTH, MAX_RETRY_MS);
        setTimeout(open, wait);
      };
    }

    setOnline(false);
    open();
  }

  // Build DOM from data with textContent only: names from outside never become HTML.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key === "style") Object.assign(node.style, value);
      else node.setAttribute(key, value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function config() {
    return JSON.parse(document.body.dataset.config);
  }

  // The kinds of change, as the server's core names them (config.kinds): compare
  // with K.sale, not "sale", so that tests/test_change_kinds.py can check every
  // name a script uses against the core's list.
  function kinds(config) {
    return Object.fromEntries(config.kinds.map((kind) => [kind, kind]));
  }

  return { connect, el, config, kinds };
})();

// The push protocol's client: subscribe, keep the latest state, resume after a drop.
"use strict";

window.Live = (function () {
  const WATCHDOG_MS = 40000;

  function connect(config, handlers) {
    let backoff = 500;
    let version = null;
    let seq = 0;
    let socket = null;
    let watchdog = null;

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
        backoff = 500;
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
        handlers.state(frame.state);
        if (frame.type === "update" && frame.events && frame.events.length) {
          handlers.events(frame.events, frame.state);
        }
      };
      socket.onclose = () => {
        clearTimeout(watchdog);
        setOnline(false);
        const wait = backoff * (0.75 + Math.random() / 2);
        backoff = Math.min(backoff * 2, 10000);
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

  return { connect, el, config };
})();

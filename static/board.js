// The board: follow the live event stream over /ws, reconnecting with backoff.
"use strict";

(function () {
  const list = document.getElementById("events");
  const status = document.getElementById("status");
  const MAX_ROWS = 20;
  let backoff = 500;

  function describe(event) {
    switch (event.type) {
      case "sale":
        return `${event.agent} sold ${event.product} (${event.revenue} ${event.currency || "EUR"}, ${event.channel})`;
      case "cancellation":
        return `sale ${event.sale} cancelled`;
      case "contact":
        return `${event.agent} handled a ${event.channel} contact`;
      default:
        return event.name || event.id;
    }
  }

  function show(events) {
    for (const event of events) {
      const row = document.createElement("li");
      const type = document.createElement("span");
      type.className = "type";
      type.textContent = event.type;
      row.append(type, document.createTextNode(describe(event)));
      row.dataset.id = event.id;
      list.prepend(row);
    }
    while (list.children.length > MAX_ROWS) list.lastElementChild.remove();
  }

  function setOnline(online) {
    status.textContent = online ? "live" : "offline";
    status.className = "status " + (online ? "online" : "offline");
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${location.host}/ws`);
    socket.onopen = () => { backoff = 500; setOnline(true); };
    socket.onmessage = (message) => {
      const frame = JSON.parse(message.data);
      if (frame.kind === "snapshot") list.replaceChildren();
      show(frame.events);
    };
    socket.onclose = () => {
      setOnline(false);
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 10000);
    };
  }

  connect();
})();

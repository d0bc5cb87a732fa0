// Notifications: channels (Slack, Teams, e-mail, signed webhooks), the rules that
// tell them of changes, and the outbox with its dead letters.
"use strict";

Console.notify = (function (C) {
  const { el, t } = C;
  const KINDS = ["slack", "teams", "email", "webhook"];
  const SECURITY = ["starttls", "tls", "none"];
  // A channel's kind (not a change's): the forms differ for e-mail and webhooks.
  const [EMAIL, WEBHOOK] = ["email", "webhook"];
  let latest = null;

  function labelled(text, node, extra) {
    return el("label", { class: "field", ...(extra || {}) }, el("span", { class: "label" }, text), node);
  }

  function input(name, attrs) { return el("input", { name, ...(attrs || {}) }); }

  function where(channel) {
    if (channel.kind === EMAIL) return `${channel.sender} → ${channel.recipients.join(", ")} (${channel.host}:${channel.port})`;
    return channel.url;
  }

  function status(channel) {
    if (channel.last_error) return el("span", { class: "error" }, t("notify_failing", { error: channel.last_error }));
    const parts = [];
    if (channel.pending) parts.push(t("notify_waiting", { n: channel.pending }));
    if (channel.dead) parts.push(t("notify_dead_n", { n: channel.dead }));
    return parts.length ? parts.join(" · ") : el("span", { class: "done" }, t("notify_ok"));
  }

  function channelList(data) {
    return C.table([t("notify_name"), t("notify_kind"), t("notify_where"), t("notify_status"), ""],
      data.channels.map((channel) => el("tr", { "data-notify-channel": channel.id },
        el("th", { scope: "row" }, channel.name),
        el("td", {}, t(`notify_kind_${channel.kind}`)),
        el("td", { class: "mono small where" }, where(channel)),
        el("td", {}, status(channel)),
        el("td", { class: "row-actions" },
          C.button(t("notify_test"), () => test(channel), { class: "secondary small" }), " ",
          C.button(t("edit"), () => edit(channel), { class: "secondary small" }), " ",
          C.button(t("remove"), (click) => C.confirmInline(click.target.parentNode,
            t("notify_remove_confirm", { name: channel.name }), t("remove"), () => remove(channel)),
          { class: "secondary small" })))));
  }

  function channelForm() {
    const kind = el("select", { name: "kind" }, KINDS.map((k) => el("option", { value: k }, t(`notify_kind_${k}`))));
    const web = el("div", { class: "fields", "data-for": "web" },
      labelled(t("notify_url"), input("url", { type: "url", size: "48", placeholder: "https://" })),
      el("p", { class: "help", id: "notify-url-help" }),
      labelled(t("notify_secret"), input("secret", { size: "32", autocomplete: "off" }), { "data-for": "webhook" }));
    const mail = el("div", { class: "fields", "data-for": "email", hidden: "" },
      labelled(t("notify_host"), input("host", { size: "24" })),
      labelled(t("notify_port"), input("port", { type: "number", min: "1", max: "65535", value: "587", size: "6" })),
      labelled(t("notify_security"), el("select", { name: "security" }, SECURITY.map((s) => el("option", { value: s }, t(`notify_security_${s}`))))),
      labelled(t("notify_username"), input("username", { size: "18", autocomplete: "off" })),
      labelled(t("notify_password"), input("password", { type: "password", size: "18", autocomplete: "new-password" })),
      labelled(t("notify_sender"), input("sender", { type: "email", size: "28" })),
      labelled(t("notify_recipients"), input("recipients", { size: "40" })),
      labelled(t("notify_ca"), el("textarea", { name: "ca_pem", rows: "3", cols: "48" })));
    const node = el("form", { novalidate: "", id: "notify-channel-form", class: "fields" },
      labelled(t("notify_name"), input("name", { required: "required", maxlength: "100", size: "20" })),
      labelled(t("notify_kind"), kind), web, mail,
      el("p", { class: "help" }, t("notify_secrets_help")),
      el("button", { type: "submit" }, t("notify_save_channel")));
    const shape = () => {
      const isMail = kind.value === "email";
      mail.hidden = !isMail;
      web.hidden = isMail;
      node.querySelector("[data-for=webhook]").hidden = kind.value !== "webhook";
      if (!isMail) C.$("notify-url-help").textContent = t(`notify_url_help_${kind.value}`);
    };
    kind.addEventListener("change", shape);
    node.security.addEventListener("change", () => { node.port.value = { starttls: 587, tls: 465, none: 25 }[node.security.value]; });
    node.addEventListener("submit", (submit) => { submit.preventDefault(); saveChannel(node); });
    setTimeout(shape);
    return node;
  }

  async function saveChannel(node) {
    const result = C.$("notify-channel-result");
    if (!C.checkForm(node, result)) return;
    const taken = new Set(((latest || {}).channels || []).map((c) => c.id));
    const id = node.dataset.editing || C.slug(node.name.value, taken);
    const body = { id, kind: node.kind.value, name: node.name.value.trim() };
    const fields = body.kind === EMAIL
      ? ["host", "security", "username", "password", "sender", "recipients", "ca_pem"]
      : body.kind === WEBHOOK ? ["url", "secret"] : ["url"];
    for (const field of fields) if (node[field].value.trim()) body[field] = node[field].value.trim();
    if (body.kind === EMAIL) body.port = Number(node.port.value);
    try {
      const answer = (await C.call("POST", "/api/notifications/channels", body)).data;
      C.done(result, answer.secret ? t("notify_secret_once", { secret: answer.secret }) : t("saved_name", { name: body.name }));
      node.reset();
      delete node.dataset.editing;
      node.kind.dispatchEvent(new Event("change"));
      load();
    } catch (error) { C.showRefusal(node, result, error); }
  }

  function edit(channel) {
    const node = C.$("notify-channel-form");
    node.dataset.editing = channel.id;
    node.name.value = channel.name;
    node.kind.value = channel.kind;
    node.kind.dispatchEvent(new Event("change"));
    for (const field of ["host", "port", "security", "username", "sender"]) if (channel[field] !== undefined) node[field].value = channel[field];
    if (channel.recipients) node.recipients.value = channel.recipients.join(", ");
    node.scrollIntoView({ block: "center" });
  }

  async function test(channel) {
    const result = C.$("notify-channel-result");
    try {
      await C.call("POST", `/api/notifications/channels/${encodeURIComponent(channel.id)}/test?lang=${document.documentElement.lang}`);
      C.done(result, t("notify_test_sent", { name: channel.name }));
    } catch (error) { C.showRefusal(C.$("notify-channel-form"), result, error); }
    load();
  }

  async function remove(channel) {
    const result = C.$("notify-channel-result");
    try {
      await C.call("POST", `/api/notifications/channels/${encodeURIComponent(channel.id)}/delete`);
      C.done(result, t("notify_removed", { name: channel.name }));
    } catch (error) { C.showRefusal(C.$("notify-channel-form"), result, error); }
    load();
  }

  function channelName(id) {
    const found = ((latest || {}).channels || []).find((c) => c.id === id);
    return found ? found.name : id;
  }

  function ruleList(data) {
    return C.table([t("notify_rule"), t("notify_on"), t("notify_channel"), t("notify_language"), t("notify_status"), ""],
      data.rules.map((rule) => el("tr", { "data-notify-rule": rule.rule },
        el("th", { scope: "row" }, rule.rule),
        el("td", {}, rule.on.map((kind) => t(`notify_on_${kind}`)).join(", ")),
        el("td", {}, channelName(rule.channel)),
        el("td", {}, t(`notify_language_${rule.language}`)),
        el("td", {}, rule.enabled ? t("notify_enabled") : t("notify_disabled")),
        el("td", { class: "nowrap" },
          C.button(rule.enabled ? t("notify_turn_off") : t("notify_turn_on"),
            () => saveRule({ ...rule, enabled: !rule.enabled }), { class: "secondary small" })))));
  }

  function ruleForm(data) {
    const node = el("form", { novalidate: "", id: "notify-rule-form", class: "fields" },
      labelled(t("notify_name"), input("rule", { required: "required", maxlength: "60", size: "20" })),
      el("fieldset", { class: "scenes", "data-field": "on" }, el("legend", {}, t("notify_on")),
        data.kinds.map((kind) => el("label", { class: "check nowrap" },
          el("input", { type: "checkbox", name: "on", value: kind }), " ", t(`notify_on_${kind}`)))),
      labelled(t("notify_channel"), el("select", { name: "channel", required: "required" },
        data.channels.map((c) => el("option", { value: c.id }, c.name)))),
      labelled(t("notify_language"), el("select", { name: "language" },
        ["en", "de"].map((l) => el("option", { value: l, ...(l === document.documentElement.lang ? { selected: "" } : {}) }, t(`notify_language_${l}`))))),
      el("button", { type: "submit" }, t("notify_save_rule")));
    node.addEventListener("submit", (submit) => {
      submit.preventDefault();
      if (!C.checkForm(node, C.$("notify-rule-result"))) return;
      const on = [...node.querySelectorAll("input[name=on]:checked")].map((box) => box.value);
      if (!on.length) { C.fieldError(node, "on", t("notify_pick_kind")); return; }
      const id = C.slug(node.rule.value, new Set());
      saveRule({ rule: id, on, channel: node.channel.value, language: node.language.value, enabled: true }, node);
    });
    return node;
  }

  async function saveRule(rule, node) {
    const result = C.$("notify-rule-result");
    const body = { rule: rule.rule, on: rule.on, channel: rule.channel, language: rule.language, enabled: rule.enabled };
    try {
      await C.call("POST", "/api/notifications/rules", body);
      C.done(result, t("saved_name", { name: rule.rule }));
      if (node) node.reset();
      load();
    } catch (error) { C.showRefusal(node || C.$("notify-rule-form"), result, error); }
  }

  function entries(list, withRetry) {
    const head = [t("notify_message"), t("notify_channel"), t("notify_attempts"), t("notify_error"), withRetry ? t("notify_when") : t("notify_next")];
    if (withRetry) head.push("");
    return C.table(head, list.map((entry) => el("tr", { "data-notify-entry": entry.key },
      el("td", {}, el("b", {}, entry.title), el("br"), el("span", { class: "small" }, entry.text)),
      el("td", {}, channelName(entry.channel)),
      el("td", { class: "num" }, String(entry.attempts)),
      el("td", { class: "small" }, entry.error || "–"),
      el("td", { class: "nowrap" }, C.when(withRetry ? entry.updated : entry.due)),
      withRetry ? el("td", {}, C.button(t("notify_retry"), () => retry(entry), { class: "small" })) : null)));
  }

  async function retry(entry) {
    try {
      await C.call("POST", `/api/notifications/dead-letters/${encodeURIComponent(entry.key)}/retry`);
      C.done(C.$("notify-outbox-result"), t("notify_retried"));
    } catch (error) { C.showRefusal(C.$("notify-outbox"), C.$("notify-outbox-result"), error); }
    load();
  }

  function render(data, dead) {
    latest = data;
    C.fill(C.$("notify-channels"), channelList(data));
    if (!C.$("notify-channel-form")) C.fill(C.$("notify-channel-form-holder"), channelForm());
    C.fill(C.$("notify-rules"), data.channels.length ? ruleList(data) : el("p", { class: "muted" }, t("notify_need_channel")));
    const old = C.$("notify-rule-form");
    const channels = JSON.stringify(data.channels.map((c) => [c.id, c.name]));
    if (data.channels.length && (!old || old.dataset.channels !== channels)) {
      const form = ruleForm(data);
      form.dataset.channels = channels;
      C.fill(C.$("notify-rule-form-holder"), form);
    }
    C.fill(C.$("notify-counts"), t("notify_counts", data.outbox));
    C.fill(C.$("notify-dead"), entries(dead, true));
    C.fill(C.$("notify-pending"), entries(data.pending, false));
  }

  async function load() {
    try {
      const [data, dead] = await Promise.all([C.get("/api/notifications"), C.get("/api/notifications/dead-letters")]);
      render(data, dead.dead_letters);
    } catch (error) { C.showRefusal(C.$("notify-outbox"), C.$("notify-outbox-result"), error); }
  }

  function init() {
    C.$("notify-refresh").addEventListener("click", load);
  }

  return { init, load };
})(Console);

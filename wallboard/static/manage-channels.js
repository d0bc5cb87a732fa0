// Channels: named playlists of the board's scenes. A screen opened with
// /board?channel=ID shows them in turn, and follows a change made here.
"use strict";

Console.channels = (function (C) {
  const { el, t } = C;
  let editing = null;  // the id of the channel the form edits, or null for a new one

  function labelled(text, node, unit) {
    return el("label", { class: "field" }, el("span", { class: "label" }, text), node, unit ? el("span", { class: "unit" }, unit) : null);
  }

  function address(channel) {
    return `${location.origin}/board?channel=${encodeURIComponent(channel.channel)}`;
  }

  function list(state) {
    const channels = (state && state.channels) || [];
    if (!channels.length) return el("p", { class: "muted", "data-testid": "no-channels" }, t("no_channels"));
    return C.table([t("channel_name"), t("scenes"), t("site"), t("season"), t("rotate"), t("channel_address"), ""],
      channels.map((channel) => el("tr", { "data-channel": channel.channel },
        el("th", { scope: "row" }, channel.name),
        el("td", {}, channel.scenes.map((scene) => t(`scene_${scene}`)).join(" → ")),
        el("td", {}, channel.site ? C.name("site", channel.site) : t("all_sites")),
        el("td", {}, channel.season ? seasonName(state, channel.season) : t("seasons_in_turn")),
        el("td", { class: "num" }, t("n_seconds", { n: channel.rotate })),
        el("td", {}, el("a", { href: address(channel), target: "_blank", rel: "noopener", class: "mono small" }, address(channel))),
        el("td", { class: "nowrap" },
          C.button(t("edit"), () => edit(channel), { class: "secondary small" }), " ",
          C.button(t("remove"), () => send({ channel: channel.channel, name: channel.name, scenes: channel.scenes, active: false }), { class: "secondary small" })))));
  }

  function seasonName(state, id) {
    const season = ((state && state.seasons) || []).find((s) => s.season === id);
    return season ? season.name : id;
  }

  function form(state) {
    const sites = Object.entries(C.names.site).sort((a, b) => a[1].localeCompare(b[1]));
    const seasons = ((state && state.seasons) || []).filter((s) => !s.ended);
    const node = el("form", { novalidate: "", id: "channel-form", class: "fields" },
      labelled(t("channel_name"), el("input", { name: "name", required: "required", maxlength: "200", size: "18" })),
      el("fieldset", { class: "scenes" }, el("legend", {}, t("scenes")),
        C.config.scenes.map((scene) => el("label", { class: "check" },
          el("input", { type: "checkbox", name: "scene", value: scene, checked: "checked" }), " ", t(`scene_${scene}`)))),
      labelled(t("site"), el("select", { name: "site" }, el("option", { value: "" }, t("all_sites")),
        sites.map(([id, name]) => el("option", { value: id }, name)))),
      labelled(t("season"), el("select", { name: "season" }, el("option", { value: "" }, t("seasons_in_turn")),
        seasons.map((s) => el("option", { value: s.season }, s.name)))),
      labelled(t("rotate"), el("input", { name: "rotate", type: "number", min: "5", max: "3600", step: "1", value: "20", size: "5", required: "required" }), t("seconds")),
      el("button", { type: "submit" }, t("save_channel")));
    node.addEventListener("submit", (submit) => {
      submit.preventDefault();
      const result = C.$("channel-result");
      if (!C.checkForm(node, result)) return;
      const scenes = [...node.querySelectorAll("input[name=scene]:checked")].map((box) => box.value);
      if (!scenes.length) { C.fieldError(node, "scene", t("pick_a_scene")); return; }
      const taken = new Set(((C.latest() || {}).channels || []).map((c) => c.channel));
      const event = { channel: editing || C.slug(node.name.value, taken), name: node.name.value.trim(), scenes,
        rotate: Number(node.rotate.value) };
      if (node.site.value) event.site = node.site.value;
      if (node.season.value) event.season = node.season.value;
      send(event);
    });
    return node;
  }

  function edit(channel) {
    const node = C.$("channel-form");
    editing = channel.channel;
    node.name.value = channel.name;
    node.querySelectorAll("input[name=scene]").forEach((box) => { box.checked = channel.scenes.includes(box.value); });
    node.site.value = channel.site || "";
    node.season.value = channel.season || "";
    node.rotate.value = channel.rotate;
    node.scrollIntoView({ block: "center" });
  }

  async function send(fields) {
    const result = C.$("channel-result");
    try {
      await C.call("POST", "/api/events", { id: `channel-${fields.channel}-${Date.now()}`, type: "channel",
        ts: new Date().toISOString(), ...fields });
      C.done(result, fields.active === false ? t("channel_removed", { name: fields.name }) : t("saved_name", { name: fields.name }));
      editing = null;
      C.$("channel-form").reset();
    } catch (error) { C.showRefusal(C.$("channel-form"), result, error); }
  }

  let drawn = "";
  function render(state) {
    const key = JSON.stringify([state.channels, state.seasons && state.seasons.map((s) => [s.season, s.ended])]);
    if (key === drawn) return;
    drawn = key;
    C.fill(C.$("channels"), list(state));
    if (!C.$("channel-form")) C.fill(C.$("channel-form-holder"), form(state));
  }

  function init() {
    C.onFrame(render);
    C.onNames(() => { drawn = ""; if (C.latest()) render(C.latest()); });
  }

  return { init };
})(Console);

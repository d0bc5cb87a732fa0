// Changes in words: a rule's path as the README names it ("Base points · mobile"), its
// values as a manager reads them, and a draft event as a sentence.
"use strict";

Console.describe = (function (C) {
  const { t } = C;

  function product(key) { return key === "*" ? t("all_other_products") : key; }

  const CONTACT = { handled: "contact_handled", resolved: "contact_resolved", referral: "contact_referral",
    quality_bands: "quality_bands" };
  const GATE = { min_sales: "min_sales", min_quality: "min_quality", min_referral_rate: "min_referral_rate",
    max_cancellation_rate: "max_cancellation_rate" };

  // A path of a rule set (a list, or the server's dotted text) in words.
  function path(steps) {
    if (typeof steps === "string") steps = steps.replace(/^rules\./, "").split(".");
    const [top, second, third, fourth, fifth] = steps;
    if (top === "cancellation_window_days") return t("cancellation_window");
    if (top === "timezone") return t("timezone");
    if (top === "weights") return second ? t(`weight_${second}`) : t("weights");
    if (top === "sale" && second === "products") {
      if (fourth === "channel_bonus") return `${t("channel_bonus")} · ${product(third)}${fifth ? ` · ${t(`channel_${fifth}`)}` : ""}`;
      if (fourth) return `${t(fourth === "base" ? "base_points" : "per_euro")} · ${product(third)}`;
      return third ? `${t("product_rule")} · ${product(third)}` : t("products");
    }
    if (top === "sale" && second === "groups") return third ? `${t("product_group")} · ${third}` : t("product_groups");
    if (top === "sale" && second === "channel_factors") return third ? `${t("channel_factor")} · ${t(`channel_${third}`)}` : t("channel_factors");
    if (top === "contact") return second ? t(CONTACT[second] || second) : t("contact_points");
    if (top === "commission") {
      const kind = third === "fixed" ? "commission_fixed" : third === "percent" ? "commission_percent" : "commission";
      return second ? `${t(kind)} · ${product(second)}` : t("commission");
    }
    if (top === "gates") {
      return third ? `${t(GATE[third] || third)} · ${C.periodName(second)}` : second ? `${t("gates")} · ${C.periodName(second)}` : t("gates");
    }
    if (top === "coins") return second ? t({ per_point: "coins_per_point", places: "coins_places", challenge_won: "coins_challenge_won" }[second] || second) : t("coin_rules");
    if (top === "exchange_rates") return second ? `${t("exchange_rate")} · ${second}` : t("exchange_rates");
    return steps.join(" · ");
  }

  const RATES = new Set(["min_referral_rate", "max_cancellation_rate"]);
  // What a rule set left out means (README: Rules, the defaults).
  const DEFAULTS = { cancellation_window_days: 14, timezone: "Europe/Berlin", "weights.sales": 1, "weights.support": 1,
    "contact.handled": 1, "contact.resolved": 1, "contact.referral": 2 };
  function fallback(steps) {
    const key = steps.join(".");
    if (key in DEFAULTS) return DEFAULTS[key];
    if (steps[0] === "sale" && steps[1] === "channel_factors" && steps.length === 3) return 1;
    return undefined;
  }

  // A value as the form shows it: rates as percent, bands as "90 % → 3", nothing as "–".
  function value(steps, raw) {
    if (typeof steps === "string") steps = steps.replace(/^rules\./, "").split(".");
    if (raw === undefined || raw === null) {
      const implied = fallback(steps);
      return implied === undefined ? t("not_set") : `${value(steps, implied)} (${t("default")})`;
    }
    const last = steps[steps.length - 1];
    if (steps[0] === "commission" && steps.length === 2 && typeof raw === "object") {
      return [raw.fixed ? C.money(raw.fixed) : null, raw.percent ? `${C.number(raw.percent)} %` : null].filter(Boolean).join(" + ") || C.money(0);
    }
    if (RATES.has(last) && typeof raw === "number") return `${C.number(raw * 100, 1)} %`;
    if (last === "quality_bands" && Array.isArray(raw)) {
      return raw.length ? raw.map((band) => `${t("quality")} ≥ ${C.number(band.min)} % → ${C.number(band.points)}`).join(", ") : t("none");
    }
    if (last === "min_quality" || last === "percent") return `${C.number(raw)} %`;
    if (last === "fixed") return C.money(raw);
    if (last === "cancellation_window_days") return t("n_days", { n: C.number(raw) });
    if (typeof raw === "number") return C.number(raw, 4);
    if (typeof raw === "object") return JSON.stringify(raw);
    return String(raw);
  }

  // What a product without a rule of its own earned before: the "*" rule's.
  function inherited(steps) {
    const rules = C.draft.inForce();
    const [top, second, third, fourth] = steps;
    const own = t("as_other_products");
    if (top === "sale" && second === "products" && third !== "*" && (fourth === "base" || fourth === "per_euro")) {
      const products = (rules.sale && rules.sale.products) || {};
      if (!products[third]) {
        const star = Object.keys(products).length ? products["*"] : { base: 10, per_euro: 0.1 };
        return `${value(steps, star ? star[fourth] || 0 : 0)} (${own})`;
      }
    }
    if (top === "commission" && second !== "*" && !(rules.commission || {})[second]) {
      const star = (rules.commission || {})["*"];
      return `${star ? value(["commission", "*"], star) : t("no_commission")} (${own})`;
    }
    return value(steps, undefined);
  }

  function change(item) {
    const before = item.from === undefined ? inherited(item.path) : value(item.path, item.from);
    return `${path(item.path)}: ${before} → ${value(item.path, item.to)}`;
  }

  // A prize by name: the catalogue's, or one waiting in the draft.
  function prizeName(id) {
    const drafted = C.draft.events().find((item) => item.event.type === "prize" && item.event.prize === id);
    return C.names.prize[id] !== undefined || !drafted ? C.name("prize", id) : drafted.event.name;
  }

  function rule(event) {
    const prize = prizeName(event.prize);
    const kinds = {
      instant: () => t("rule_instant_sentence", { prize, amount: C.money(Number(event.min_revenue)) }),
      threshold: () => t("rule_threshold_sentence", { prize, points: C.number(event.points), period: C.periodName(event.period) }),
      rank: () => t("rule_rank_sentence", { prize, top: event.top, period: C.periodName(event.period) }),
    };
    const sentence = (kinds[event.kind] || (() => event.rule))();
    return event.active === false ? `${t("switch_off")}: ${sentence}` : sentence;
  }

  // A draft event in a sentence.
  function event(item) {
    if (item.type === "prize") {
      const known = C.names.prize[item.prize] !== undefined && !item.new;
      const stock = item.stock === undefined ? t("unlimited") : C.number(item.stock, 0);
      return known ? t("restock_sentence", { prize: item.name, stock }) : t("new_prize_sentence", { prize: item.name, stock });
    }
    if (item.type === "prize_rule") return rule(item);
    if (item.type === "tombola_open") {
      return t("tombola_sentence", { name: item.name, closes: C.when(item.closes), every: item.every || 1,
        prizes: item.prizes.map(prizeName).join(", ") });
    }
    return `${item.type} ${item.id}`;
  }

  return { path, value, change, event, rule, product };
})(Console);

"""Scoring rules: what a sale and a contact are worth, commission, gates.

Managers publish a whole rule set as a ``rules`` event; it takes effect from
the event's ``ts``, and events are scored under the set in force at their own
``ts``, so history keeps the rules it was earned under. Before any ``rules``
event, ``Rules()`` (the defaults below) applies.

Points are computed per event in floating point and rounded to hundredths, then
summed as integers, so totals do not depend on the order events arrive in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import InvalidRules

PERIODS = ("day", "week", "month", "season")
#: What every new ``rules`` event must carry: it replaces the whole rule set, and a
#: section left out would fall back to its default without a word. ``timezone``,
#: ``exchange_rates`` and ``coins`` may be left out: they mean ``DEFAULT_RULES``' values.
SECTIONS = ("cancellation_window_days", "weights", "sale", "contact", "commission", "gates")
#: The rule set in force before any ``rules`` event, written out whole.
DEFAULT_RULES: dict[str, Any] = {
    "cancellation_window_days": 14,
    "timezone": "Europe/Berlin",
    "weights": {"sales": 1.0, "support": 1.0},
    "sale": {
        "products": {"*": {"base": 10, "per_euro": 0.1, "channel_bonus": {}}},
        "groups": {},
        "channel_factors": {},
    },
    "contact": {"handled": 1, "resolved": 1, "referral": 2, "quality_bands": []},
    "commission": {},
    "gates": {},
    "exchange_rates": {"EUR": 1.0},
    "coins": {"per_point": 0, "places": [], "challenge_won": 0},
}
CHANNELS = ("phone", "chat", "email", "social", "shop", "web")
#: An NPS answer of 9 or 10 counts as a referral (a "promoter").
PROMOTER = 9


@dataclass(frozen=True)
class ProductRule:
    base: float = 10.0
    per_euro: float = 0.1
    channel_bonus: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Commission:
    fixed: float = 0.0
    percent: float = 0.0


@dataclass(frozen=True)
class QualityBand:
    min: float
    points: float


@dataclass(frozen=True)
class Gate:
    min_sales: int | None = None
    min_quality: float | None = None
    min_referral_rate: float | None = None
    max_cancellation_rate: float | None = None


@dataclass(frozen=True)
class CoinRules:
    """What earns coins for the reward store: ``per_point`` coins per confirmed point
    (a sale's when it is confirmed, a contact's at once), ``places`` coins for the
    1st, 2nd, ... place of a decided contest, ``challenge_won`` for a won challenge."""

    per_point: float = 0.0
    places: tuple[int, ...] = ()
    challenge_won: int = 0


@dataclass(frozen=True, slots=True)
class SaleTerms:
    base: float
    per_euro: float
    factor: float
    bonus: float
    weight: float
    fixed: float
    percent: float

    def points(self, revenue_eur: float, quantity: int) -> float:
        return (
            (self.base * quantity + self.per_euro * revenue_eur) * self.factor + self.bonus
        ) * self.weight

    def commission(self, revenue_eur: float, quantity: int) -> float:
        return self.fixed * quantity + revenue_eur * self.percent / 100.0


@dataclass(frozen=True)
class Rules:
    version: str = "default"
    cancellation_window_days: float = 14.0
    timezone: str = "Europe/Berlin"
    sales_weight: float = 1.0
    support_weight: float = 1.0
    products: Mapping[str, ProductRule] = field(default_factory=lambda: {"*": ProductRule()})
    groups: Mapping[str, str] = field(default_factory=dict)
    channel_factors: Mapping[str, float] = field(default_factory=dict)
    contact_handled: float = 1.0
    contact_resolved: float = 1.0
    contact_referral: float = 2.0
    quality_bands: tuple[QualityBand, ...] = ()
    commission: Mapping[str, Commission] = field(default_factory=dict)
    gates: Mapping[str, Gate] = field(default_factory=dict)
    exchange_rates: Mapping[str, float] = field(default_factory=lambda: {"EUR": 1.0})
    coins: CoinRules = field(default_factory=CoinRules)
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)
    #: (product, channel) -> the terms of a sale, looked up once per pair
    _terms: dict[tuple[str, str], SaleTerms] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def window_seconds(self) -> float:
        return self.cancellation_window_days * 86400.0

    def group(self, product: str) -> str:
        return self.groups.get(product, product)

    def product_rule(self, product: str) -> ProductRule:
        group = self.group(product)
        rule = self.products.get(group) or self.products.get(product) or self.products.get("*")
        return rule or ProductRule(base=0.0, per_euro=0.0)

    def commission_for(self, product: str) -> Commission:
        group = self.group(product)
        return (
            self.commission.get(group)
            or self.commission.get(product)
            or self.commission.get("*")
            or Commission()
        )

    def terms(self, product: str, channel: str) -> SaleTerms:
        """What a sale of ``product`` through ``channel`` earns (memoised: the fold's
        hot path)."""
        terms = self._terms.get((product, channel))
        if terms is None:
            rule = self.product_rule(product)
            commission = self.commission_for(product)
            terms = self._terms[(product, channel)] = SaleTerms(
                rule.base,
                rule.per_euro,
                self.channel_factors.get(channel, 1.0),
                rule.channel_bonus.get(channel, 0.0),
                self.sales_weight,
                commission.fixed,
                commission.percent,
            )
        return terms

    def sale_points(self, product: str, channel: str, revenue_eur: float, quantity: int) -> float:
        return self.terms(product, channel).points(revenue_eur, quantity)

    def sale_commission(self, product: str, revenue_eur: float, quantity: int) -> float:
        rule = self.commission_for(product)
        return rule.fixed * quantity + revenue_eur * rule.percent / 100.0

    def contact_points(self, resolved: bool, referral: bool, quality: float | None) -> float:
        points = self.contact_handled
        if resolved:
            points += self.contact_resolved
        if referral:
            points += self.contact_referral
        band = self.quality_band(quality)
        if band is not None:
            points += band.points
        return points * self.support_weight

    def quality_band(self, quality: float | None) -> QualityBand | None:
        """The first band ``quality`` reaches; None without a score or a band."""
        if quality is None:
            return None
        return next((band for band in self.quality_bands if quality >= band.min), None)


def as_json(rules: Rules) -> dict[str, Any]:
    """Every section and field of ``rules``, spelled out as a rule set's JSON: what a
    set means, whatever it left to the defaults (so that two sets compare)."""
    return {
        "cancellation_window_days": _plain(rules.cancellation_window_days),
        "timezone": rules.timezone,
        "weights": {"sales": rules.sales_weight, "support": rules.support_weight},
        "sale": {
            "products": {
                name: {
                    "base": _plain(rule.base),
                    "per_euro": rule.per_euro,
                    "channel_bonus": {k: _plain(v) for k, v in rule.channel_bonus.items()},
                }
                for name, rule in rules.products.items()
            },
            "groups": dict(rules.groups),
            "channel_factors": dict(rules.channel_factors),
        },
        "contact": {
            "handled": _plain(rules.contact_handled),
            "resolved": _plain(rules.contact_resolved),
            "referral": _plain(rules.contact_referral),
            "quality_bands": [
                {"min": _plain(band.min), "points": _plain(band.points)}
                for band in rules.quality_bands
            ],
        },
        "commission": {
            name: {"fixed": _plain(rule.fixed), "percent": _plain(rule.percent)}
            for name, rule in rules.commission.items()
        },
        "gates": {
            period: {
                name: _plain(value)
                for name, value in (
                    ("min_sales", gate.min_sales),
                    ("min_quality", gate.min_quality),
                    ("min_referral_rate", gate.min_referral_rate),
                    ("max_cancellation_rate", gate.max_cancellation_rate),
                )
                if value is not None
            }
            for period, gate in rules.gates.items()
        },
        "exchange_rates": dict(rules.exchange_rates),
        "coins": {
            "per_point": _plain(rules.coins.per_point),
            "places": list(rules.coins.places),
            "challenge_won": rules.coins.challenge_won,
        },
    }


def _plain(value: float) -> float | int:
    """20.0 as 20: how a manager writes a whole number."""
    return int(value) if float(value).is_integer() else value


# Parsing -------------------------------------------------------------------


def missing_sections(data: Mapping[str, Any]) -> list[str]:
    """The ``SECTIONS`` a new rule set leaves out (a stored one is folded as it is)."""
    return [name for name in SECTIONS if data.get(name) is None]


class _Reader:
    """Reads a JSON object field by field, collecting every problem with its path."""

    def __init__(self, problems: dict[str, str], path: str, data: Any) -> None:
        self.problems = problems
        self.path = path
        self.data = data if isinstance(data, dict) else {}
        if not isinstance(data, dict):
            problems[path or "rules"] = f"expected an object, got {type(data).__name__}"

    def where(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def number(
        self, name: str, default: float, minimum: float = 0.0, maximum: float = 1e9
    ) -> float:
        value = self.data.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problems[self.where(name)] = f"expected a number, got {value!r}"
            return default
        if not minimum <= value <= maximum:
            self.problems[self.where(name)] = f"expected {minimum:g} to {maximum:g}, got {value}"
            return default
        return float(value)

    def optional_number(self, name: str, minimum: float, maximum: float) -> float | None:
        if self.data.get(name) is None:
            return None
        return self.number(name, 0.0, minimum, maximum)

    def mapping(self, name: str) -> dict[str, Any]:
        value = self.data.get(name, {})
        if not isinstance(value, dict):
            self.problems[self.where(name)] = f"expected an object, got {value!r}"
            return {}
        return value

    def child(self, name: str, value: Any) -> _Reader:
        return _Reader(self.problems, self.where(name), value)

    def unknown(self, known: set[str]) -> None:
        for name in self.data:
            if name not in known:
                self.problems[self.where(name)] = "unknown field"


def parse_rules(data: Any, version: str = "default") -> Rules:
    """A ``Rules`` from the JSON of a ``rules`` event; every problem is reported."""
    problems: dict[str, str] = {}
    top = _Reader(problems, "", data)
    top.unknown(
        {
            "cancellation_window_days",
            "timezone",
            "weights",
            "sale",
            "contact",
            "commission",
            "gates",
            "exchange_rates",
            "coins",
        }
    )
    timezone = top.data.get("timezone", "Europe/Berlin")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        problems["timezone"] = (
            f"expected an IANA time zone such as 'Europe/Berlin', got {timezone!r}"
        )
        timezone = "Europe/Berlin"

    weights = top.child("weights", top.mapping("weights"))
    weights.unknown({"sales", "support"})

    sale = top.child("sale", top.mapping("sale"))
    sale.unknown({"products", "groups", "channel_factors"})
    products: dict[str, ProductRule] = {}
    for name, spec in sale.mapping("products").items():
        product = sale.child(f"products.{name}", spec)
        product.unknown({"base", "per_euro", "channel_bonus"})
        bonus = _channel_map(product, "channel_bonus", -1e6, 1e6)
        products[name] = ProductRule(
            base=product.number("base", 0.0, -1e6, 1e6),
            per_euro=product.number("per_euro", 0.0, -1e6, 1e6),
            channel_bonus=bonus,
        )
    groups = {}
    for product_name, group in sale.mapping("groups").items():
        if not isinstance(group, str) or not group:
            problems[f"sale.groups.{product_name}"] = f"expected a group name, got {group!r}"
        else:
            groups[product_name] = group

    contact = top.child("contact", top.mapping("contact"))
    contact.unknown({"handled", "resolved", "referral", "quality_bands"})
    bands = []
    raw_bands = contact.data.get("quality_bands", [])
    if not isinstance(raw_bands, list):
        problems["contact.quality_bands"] = "expected a list of {min, points}"
        raw_bands = []
    for index, raw_band in enumerate(raw_bands):
        band = contact.child(f"quality_bands[{index}]", raw_band)
        band.unknown({"min", "points"})
        bands.append(
            QualityBand(band.number("min", 0.0, 0, 100), band.number("points", 0.0, -1e6, 1e6))
        )

    commission = {}
    for name, spec in top.mapping("commission").items():
        rule = top.child(f"commission.{name}", spec)
        rule.unknown({"fixed", "percent"})
        commission[name] = Commission(
            rule.number("fixed", 0.0), rule.number("percent", 0.0, 0, 100)
        )

    gates = {}
    for period, spec in top.mapping("gates").items():
        if period not in PERIODS:
            problems[f"gates.{period}"] = f"expected a period of {', '.join(PERIODS)}"
            continue
        gate = top.child(f"gates.{period}", spec)
        gate.unknown({"min_sales", "min_quality", "min_referral_rate", "max_cancellation_rate"})
        min_sales = gate.optional_number("min_sales", 0, 1e6)
        gates[period] = Gate(
            min_sales=None if min_sales is None else int(min_sales),
            min_quality=gate.optional_number("min_quality", 0, 100),
            min_referral_rate=gate.optional_number("min_referral_rate", 0, 1),
            max_cancellation_rate=gate.optional_number("max_cancellation_rate", 0, 1),
        )

    rates = {"EUR": 1.0}
    for currency, rate in top.mapping("exchange_rates").items():
        if isinstance(rate, bool) or not isinstance(rate, int | float) or rate <= 0:
            problems[f"exchange_rates.{currency}"] = f"expected euros per unit > 0, got {rate!r}"
        else:
            rates[currency] = float(rate)

    rules = Rules(
        version=version,
        coins=_coin_rules(top.child("coins", top.mapping("coins"))),
        cancellation_window_days=top.number("cancellation_window_days", 14.0, 0, 365),
        timezone=timezone,
        sales_weight=weights.number("sales", 1.0, 0, 100),
        support_weight=weights.number("support", 1.0, 0, 100),
        products=products or {"*": ProductRule()},
        groups=groups,
        channel_factors=_channel_map(sale, "channel_factors", 0, 100),
        contact_handled=contact.number("handled", 1.0, -1e6, 1e6),
        contact_resolved=contact.number("resolved", 1.0, -1e6, 1e6),
        contact_referral=contact.number("referral", 2.0, -1e6, 1e6),
        quality_bands=tuple(sorted(bands, key=lambda b: -b.min)),
        commission=commission,
        gates=gates,
        exchange_rates=rates,
        raw=data if isinstance(data, dict) else {},
    )
    if problems:
        raise InvalidRules(problems)
    return rules


#: the most places of a contest that earn coins, and the most coins one earns
MAX_PLACES = 64
MAX_COINS = 1_000_000


def _coin_rules(reader: _Reader) -> CoinRules:
    reader.unknown({"per_point", "places", "challenge_won"})
    places = reader.data.get("places", [])
    if (
        not isinstance(places, list)
        or len(places) > MAX_PLACES
        or not all(type(p) is int and 0 <= p <= MAX_COINS for p in places)
    ):
        reader.problems[reader.where("places")] = (
            f"expected a list of at most {MAX_PLACES} whole numbers of coins 0 to {MAX_COINS} "
            f"(1st place first), got {places!r}"[:200]
        )
        places = []
    won = reader.data.get("challenge_won", 0)
    if type(won) is not int or not 0 <= won <= MAX_COINS:
        reader.problems[reader.where("challenge_won")] = (
            f"expected a whole number of coins 0 to {MAX_COINS}, got {won!r}"[:200]
        )
        won = 0
    return CoinRules(
        per_point=reader.number("per_point", 0.0, 0, 1000),
        places=tuple(places),
        challenge_won=won,
    )


def _channel_map(reader: _Reader, name: str, minimum: float, maximum: float) -> dict[str, float]:
    values = {}
    child = reader.child(name, reader.mapping(name))
    for channel in child.data:
        if channel not in CHANNELS:
            reader.problems[f"{child.path}.{channel}"] = (
                f"expected a channel of {', '.join(CHANNELS)}"
            )
            continue
        values[channel] = child.number(channel, 0.0, minimum, maximum)
    return values

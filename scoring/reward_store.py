"""The reward store: items agents buy with coins, and a manager's yes or no.

- A ``reward`` event puts an item in the store (a price in whole coins, a
  picture, a ``stock``: how many there are in all, omitted for unlimited); the
  same id again edits it, and a higher stock restocks it. ``"active": false``
  takes it out of the store: new redemptions are refused, waiting ones are
  still decided.
- A ``redemption`` (an agent, from their widget) is decided by the fold at
  once: it is *refused*, recorded with the reason and nothing taken, when the
  item is unknown (``unknown_reward``), out of the store (``inactive``), out of
  stock (``out_of_stock``), dearer than the wallet's balance (``balance``), or
  over the site's monthly budget (``budget``), checked in that order; a
  redemption id used before is ignored (the first stands). Otherwise it is
  *held*: its price leaves the wallet (reserved) and one of the stock is taken.
- A ``redemption_decision`` (a manager) *approves* a held redemption (the coins
  are spent) or *rejects* it (the coins come back as a refund, and the stock).
  A decision on a redemption that is not held changes nothing.
- A ``reward_budget`` caps the coins a site's agents may redeem in a month (the
  local month of the rule set's time zone, by the log's clock when the
  redemption reached it; held and approved redemptions count, rejected ones
  not). Without one a site has no cap; an agent the roster does not name
  redeems under none.

Prices and budgets are kept in hundredths of a coin, as the wallets are.
"""

from __future__ import annotations

from dataclasses import dataclass

from .codecs import Codec, records, stored
from .feature import Core, Event, Feature, Handler
from .periods import period_of
from .wallet import OPTIONAL, WalletBook, settle, spend

HELD, APPROVED, REJECTED, REFUSED = "held", "approved", "rejected", "refused"
#: why a redemption is refused, in the order the fold asks
REASONS = ("unknown_reward", "inactive", "out_of_stock", "balance", "budget")


@dataclass(slots=True)
class Reward:
    id: str
    name: str
    #: in hundredths of a coin
    price: int
    #: how many there are in all; None: unlimited
    stock: int | None = None
    picture: str | None = None
    active: bool = True
    #: held or approved redemptions: what the stock has given
    redeemed: int = 0

    @property
    def left(self) -> int | None:
        return None if self.stock is None else max(0, self.stock - self.redeemed)


@dataclass(slots=True)
class Redemption:
    id: str
    agent: str
    reward: str
    #: in hundredths of a coin, the item's price when it was asked for
    price: int
    #: the log's clock when the fold took it, and its local month then
    ts: float
    month: str
    site: str | None
    state: str
    #: why it was refused (one of ``REASONS``), or the manager's reason
    reason: str = ""
    decided: float | None = None
    by: str | None = None


def _optional(cls: type) -> Codec:
    codec = records(cls)
    return Codec(codec.dump, codec.load, optional=True)


@dataclass(slots=True)
class RewardBook:
    rewards: dict[str, Reward] = stored(_optional(Reward))
    redemptions: dict[str, Redemption] = stored(_optional(Redemption))
    #: site -> the most coins (hundredths) its agents may redeem in a month
    budgets: dict[str, int] = stored(OPTIONAL)

    def used(self, site: str, month: str) -> int:
        """Coins (hundredths) held or spent by ``site``'s redemptions in ``month``."""
        return sum(
            r.price
            for r in self.redemptions.values()
            if r.site == site and r.month == month and r.state in (HELD, APPROVED)
        )


class RewardStore(Feature):
    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.book = core.state.slice(RewardBook)
        self.wallets = core.state.slice(WalletBook)

    def handlers(self) -> dict[str, Handler]:
        return {
            "reward": self.reward,
            "redemption": self.redeem,
            "redemption_decision": self.decide,
            "reward_budget": self.budget,
        }

    def reward(self, event: Event) -> None:
        reward_id, price = event["reward"], event["price"] * 100
        item = self.book.rewards.get(reward_id)
        if item is None:
            item = self.book.rewards[reward_id] = Reward(reward_id, event["name"], price)
        else:
            item.name, item.price = event["name"], price
        item.stock, item.active = event.get("stock"), event.get("active", True)
        item.picture = event.get("picture", item.picture)

    def budget(self, event: Event) -> None:
        cap = event.get("month_cap")
        if cap is None:
            self.book.budgets.pop(event["site"], None)
        else:
            self.book.budgets[event["site"]] = cap * 100

    def redeem(self, event: Event) -> None:
        redemption_id, agent_id = event["redemption"], event["agent"]
        if redemption_id in self.book.redemptions:
            return
        state, clock = self.state, self.state.clock
        day = state.timeline.calendar_at(clock).day(clock)
        agent = state.agents.get(agent_id)
        site = agent.placement(day)[1] if agent is not None and agent.history else None
        item = self.book.rewards.get(event["reward"])
        asked = Redemption(
            redemption_id,
            agent_id,
            event["reward"],
            0 if item is None else item.price,
            clock,
            period_of("month", day),
            site,
            HELD,
        )
        reason = self._refusal(asked, item)
        self.book.redemptions[redemption_id] = asked
        if reason is not None or item is None:
            self._refuse(asked, reason or "unknown_reward")
            return
        spend(self.wallets, self.outbox, agent_id, asked.price, redemption_id, clock)
        item.redeemed += 1
        self.outbox.emit(
            {
                "kind": "redemption_requested",
                "redemption": redemption_id,
                "agent": agent_id,
                "reward": item.id,
                "name": item.name,
                "price": asked.price,
            }
        )
        if item.left == 0:
            self.outbox.emit({"kind": "reward_out_of_stock", "reward": item.id, "name": item.name})

    def _refuse(self, asked: Redemption, reason: str) -> None:
        asked.state, asked.reason = REFUSED, reason
        self.outbox.dirty.add(asked.agent)
        self.outbox.emit(
            {
                "kind": "redemption_refused",
                "redemption": asked.id,
                "agent": asked.agent,
                "reward": asked.reward,
                "reason": reason,
            }
        )

    def _refusal(self, asked: Redemption, item: Reward | None) -> str | None:
        if item is None:
            return "unknown_reward"
        if not item.active:
            return "inactive"
        if item.left == 0:
            return "out_of_stock"
        held = self.wallets.wallets.get(asked.agent)
        if held is None or held.balance < item.price:
            return "balance"
        cap = None if asked.site is None else self.book.budgets.get(asked.site)
        if cap is not None and self.book.used(asked.site or "", asked.month) + item.price > cap:
            return "budget"
        return None

    def decide(self, event: Event) -> None:
        asked = self.book.redemptions.get(event["redemption"])
        if asked is None or asked.state != HELD:
            return
        approved = event["approve"]
        asked.state = APPROVED if approved else REJECTED
        asked.reason = event.get("reason", "")
        asked.decided, asked.by = self.state.clock, event.get("by")
        settle(
            self.wallets,
            self.outbox,
            asked.agent,
            asked.price,
            asked.id,
            self.state.clock,
            approved=approved,
            by=asked.by,
            note=asked.reason,
        )
        item = self.book.rewards.get(asked.reward)
        if not approved and item is not None:
            item.redeemed -= 1
        self.outbox.emit(
            {
                "kind": "redemption_decided",
                "redemption": asked.id,
                "agent": asked.agent,
                "reward": asked.reward,
                "approved": approved,
                "reason": asked.reason,
            }
        )

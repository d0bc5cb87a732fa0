"""Who may post which contest events at ``POST /api/events``, beyond the types
their role may post at all; each refusal says why.

- A manager posts every contest event.
- An integration (an ingest token) launches contests and ends the ones its own
  source launched: a campaign tool or a CRM runs its own contests.
- An agent (their widget's token) challenges another agent as themselves
  (``contest`` of format ``challenge``, ``agents[0]`` their own id, not hidden),
  answers a challenge only as its opponent while it waits for the answer, and
  withdraws (``contest_end``) only a challenge of their own still waiting.
- A ``contest`` with the id of one that exists changes it, as
  ``scoring.contests.edit`` allows (a manager's, or an integration's change of
  its own source's contest): one not started is replaced whole, a started one
  changes its name and end, a hidden one is revealed; anything else is refused
  (409) with the reason. An agent's challenge is issued once.

The checks read the state folded so far, as the 409 for a second season does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from scoring.contests import edit
from scoring.contests.launch import build
from scoring.contests.model import Contest
from scoring.log import Epochs, event_key
from scoring.scorer import Scorer
from scoring.wallet import WalletBook

from .errors import ApiError
from .services import Services
from .store import TokenRecord

#: the contest events whose rights depend on who posts them
CONTEST_TYPES = frozenset({"contest", "challenge_answer", "contest_end"})
#: what an integration may post beside its sales, cancellations and contacts
LAUNCH_TYPES = frozenset({"contest", "contest_end"})


def check(scorer: Scorer, token: TokenRecord, source: str, events: list[dict[str, Any]]) -> None:
    """403 for a contest event this token may not post (by what the fold holds)."""
    contests = scorer.contests.book.contests
    for index, event in enumerate(events):
        if event["type"] not in CONTEST_TYPES:
            continue
        if token.role == "agent":
            problem = _agent_problem(contests, str(token.agent), event)
        elif token.role == "ingest":
            problem = _integration_problem(contests, source, event)
        else:
            problem = None
        if problem is not None:
            raise ApiError(403, problem, index=index, id=event["id"])


def _agent_problem(contests: dict[str, Contest], agent: str, event: dict[str, Any]) -> str | None:
    kind = event["type"]
    if kind == "contest":
        if event["format"] != "challenge":
            return f"an agent launches challenges only, not a {event['format']}"
        if event["agents"][0] != agent:
            return f"an agent challenges as themselves: agents[0] must be {agent!r}"
        if event.get("hidden"):
            return "an agent's challenge is not hidden: hidden contests are the managers'"
        return None
    found = contests.get(event["contest"])
    waiting = (
        found is not None
        and found.format == "challenge"
        and found.accepted is None
        and bool(found.open_runs())
    )
    if found is None or not waiting:
        return f"no challenge {event['contest']!r} waits for an answer"
    if kind == "challenge_answer" and found.opponent != agent:
        return f"only the opponent of challenge {found.id!r} answers it"
    if kind == "contest_end" and found.challenger != agent:
        return f"only the challenger withdraws challenge {found.id!r}"
    return None


def _integration_problem(
    contests: dict[str, Contest], source: str, event: dict[str, Any]
) -> str | None:
    if event["type"] != "contest_end":
        return None
    found = contests.get(event["contest"])
    if found is None or found.source != source:
        return f"an integration ends only the contests its source ({source!r}) launched"
    return None


async def refuse_second_launches(
    app: Services,
    events: list[dict[str, Any]],
    source: str,
    token: TokenRecord,
    now: datetime,
) -> None:
    """For a ``contest`` whose id is taken (by a contest the fold holds), the change
    it makes (``scoring.contests.edit``): 409 if the contest cannot change so (an
    agent's challenge never does), 403 for an integration's change of a contest
    another source launched; 409 for an id launched twice in the batch. A retry of
    the very event (its key in the log) is acknowledged as a duplicate instead."""
    launches = [(n, e) for n, e in enumerate(events) if e["type"] == "contest"]
    if not launches:
        return
    scorer = app.engine.scorer
    contests = scorer.contests.book.contests
    clock = max(scorer.clock, now.timestamp())
    keys = [event_key(source, event["id"]) for _, event in launches]
    retried = await app.store.logged(keys)
    launched: set[str] = set()
    for (index, event), retry in zip(launches, retried, strict=True):
        if retry:
            continue
        contest_id = event["contest"]
        where = {"contest": contest_id, "index": index, "id": event["id"]}
        if contest_id in launched:
            raise ApiError(409, f"contest {contest_id!r} comes twice in the batch", **where)
        launched.add(contest_id)
        found = contests.get(contest_id)
        if found is None:
            continue
        if token.role == "ingest" and found.source != source:
            raise ApiError(
                403,
                f"an integration changes only the contests its source ({source!r}) launched",
                **where,
            )
        problem = (
            f"contest {contest_id!r} exists already"
            if token.role == "agent"
            else edit.refusal(
                found, _as_declared(found, event), clock, edit.zone_of(scorer.state, found)
            )
        )
        if problem is not None:
            raise ApiError(409, f"{problem}; nothing was stored", **where)


def _as_declared(found: Contest, event: dict[str, Any]) -> Contest:
    """``event`` as the contest it would make of ``found`` (as the fold builds it)."""
    return build({**event, "source": found.source}, Epochs(), found.accepted)


def refuse_unbacked_challenges(
    scorer: Scorer, token: TokenRecord, events: list[dict[str, Any]]
) -> None:
    """409 for a new challenge whose stake a side's balance does not cover (the
    challenger's, and the opponent's too when a manager pairs them), an accept whose
    stake the opponent's balance does not cover, and an agent's challenge of someone
    they already have one with, waiting or running, for an overlapping time. The fold
    moves at most what the loser holds; this tells the agents before they play for
    coins one of them does not have."""
    contests = scorer.contests.book.contests
    held = {agent: found.balance for agent, found in scorer.state.slice(WalletBook).wallets.items()}
    for index, event in enumerate(events):
        where = {"index": index, "id": event["id"]}
        if event["type"] == "coins":  # a grant earlier in the batch counts
            held[event["agent"]] = held.get(event["agent"], 0) + round(event["amount"] * 100)
        if event["type"] == "challenge_answer" and event["accept"]:
            found = contests.get(event["contest"])
            if found is not None and found.format == "challenge":
                _covered(held, found.opponent, found.stake, where)
            continue
        if event["type"] != "contest" or event["format"] != "challenge":
            continue
        if event["contest"] in contests:
            continue  # a change: edit.py keeps the agents and the stake
        agents, stake = event["agents"], event.get("stake", 0)
        for agent in agents[:1] if token.role == "agent" else agents:
            _covered(held, agent, stake, where)
        if token.role == "agent":
            _one_at_a_time(contests.values(), event, where)


def _covered(held: dict[str, int], agent: str, stake: int, where: dict[str, Any]) -> None:
    balance = max(held.get(agent, 0), 0)
    if stake * 100 > balance:
        raise ApiError(
            409,
            f"a stake of {stake} coins is more than {agent}'s balance "
            f"({balance / 100:g} coins); nothing was stored",
            agent=agent,
            **where,
        )


def _one_at_a_time(
    contests: Iterable[Contest], event: dict[str, Any], where: dict[str, Any]
) -> None:
    pair = set(event["agents"])
    epoch = Epochs()
    starts, ends = epoch(event["starts"]), epoch(event["ends"])
    for known in contests:
        if known.format != "challenge" or set(known.participants) != pair:
            continue
        if any(run.starts < ends and starts < run.ends for run in known.open_runs()):
            raise ApiError(
                409,
                f"a challenge between {' and '.join(event['agents'])} waits or runs already "
                f"for that time ({known.name!r}); nothing was stored",
                contest=known.id,
                **where,
            )

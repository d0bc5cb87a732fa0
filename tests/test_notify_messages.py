"""Each kind of change worded, in English and German, from the change as a public
board shows it (names already public, hidden ones blank), and laid out as Slack
blocks and an Adaptive Card."""

from __future__ import annotations

from wallboard.notify import slack, teams
from wallboard.notify.messages import WORDING, Message

GOAL = {
    "kind": "goal",
    "season": "s",
    "match": "m1",
    "club": "ber",
    "agent": "Ana",
    "minute": 37,
    "score": [2, 1],
    "home": "ber",
    "away": "lei",
    "home_name": "Berlin",
    "away_name": "Leipzig",
}


def test_a_goal_in_a_match() -> None:
    english = WORDING["goal"](GOAL, "en")
    assert (english.title, english.text) == (
        "Goal! Berlin 2:1 Leipzig",
        "Ana scored for Berlin (minute 37).",
    )
    german = WORDING["goal"]({**GOAL, "agent": "", "club": "lei"}, "de")
    assert (german.title, german.text) == (
        "Tor! Berlin 2:1 Leipzig",
        "Tor für Leipzig (37. Minute).",
    )


def test_a_contest_won_and_a_goal_reached() -> None:
    final = {"kind": "contest_final", "contest": "c", "name": "Herbst-Cup", "winners": ["Red"]}
    assert WORDING["contest_final"](final, "de").text == "Gewinner: Red."
    nobody = WORDING["contest_final"]({**final, "winners": []}, "en")
    assert nobody.text == "The contest ended without a winner."
    goal = {"kind": "goal_reached", "agent": "Ana", "goal": "g", "title": "A new bike"}
    assert WORDING["goal_reached"](goal, "en").text == "Ana reached their goal: A new bike."


def test_slack_escapes_its_control_characters_and_teams_keeps_the_text() -> None:
    message = Message("prize", "en", "Prize won", "Ana <3 won A&B", (("Prize", "A&B"),))
    blocks = slack.payload(message)["blocks"]
    assert blocks[1]["text"]["text"] == "Ana &lt;3 won A&amp;B"
    card = teams.card(message)
    assert card["body"][1]["text"] == "Ana <3 won A&B"
    assert card["body"][2] == {"type": "FactSet", "facts": [{"title": "Prize", "value": "A&B"}]}

"""The notifications' words, in English and German side by side (``{name}`` marks
a value filled in), so that neither language can be left out."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "prize_title": ("Prize won", "Preis gewonnen"),
    "prize_text": ("{agent} won {prize}.", "{agent} hat {prize} gewonnen."),
    "goal_reached_title": ("Personal goal reached", "Persönliches Ziel erreicht"),
    "goal_reached_text": (
        "{agent} reached their goal: {title}.",
        "{agent} hat das eigene Ziel erreicht: {title}.",
    ),
    "tombola_drawn_title": ("Tombola drawn: {name}", "Tombola gezogen: {name}"),
    "tombola_drawn_text": ("The winners are drawn.", "Die Gewinner sind gezogen."),
    "tombola_nobody": ("No tickets, no winners.", "Keine Lose, keine Gewinner."),
    "contest_final_title": ("Contest won: {name}", "Wettbewerb gewonnen: {name}"),
    "contest_final_text": ("Winner: {winners}.", "Gewinner: {winners}."),
    "contest_nobody": ("The contest ended without a winner.", "Der Wettbewerb endete ohne Sieger."),
    "goal_title": (
        "Goal! {home} {home_goals}:{away_goals} {away}",
        "Tor! {home} {home_goals}:{away_goals} {away}",
    ),
    "goal_text": (
        "{agent} scored for {club} (minute {minute}).",
        "{agent} trifft für {club} ({minute}. Minute).",
    ),
    "goal_text_unnamed": (
        "A goal for {club} (minute {minute}).",
        "Tor für {club} ({minute}. Minute).",
    ),
    "not_named": ("(not named)", "(nicht genannt)"),
    "fact_prize": ("Prize", "Preis"),
    "fact_winner": ("Winner", "Gewinner"),
    "fact_score": ("Score", "Stand"),
    "fact_revenue": ("Revenue", "Umsatz"),
    "record_day_title": ("Record day: {day}", "Rekordtag: {day}"),
    "record_day_text": (
        "{sales} sales in one day, more than ever (the best before: {previous}).",
        "{sales} Verkäufe an einem Tag, so viele wie nie (der beste Tag zuvor: {previous}).",
    ),
    "footer": ("Sent by the wallboard", "Gesendet vom Wallboard"),
    "test_title": ("Test message", "Testnachricht"),
    "test_text": (
        "This channel is set up: notifications will arrive here.",
        "Dieser Kanal ist eingerichtet: Benachrichtigungen kommen hier an.",
    ),
}

LANGUAGES = ("en", "de")


def word(key: str, language: str, **values: object) -> str:
    english, german = WORDS[key]
    return (german if language == "de" else english).format(**values)

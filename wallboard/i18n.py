"""The screens' words in English and German, and which of them a page speaks.

A page asked with ``?lang=de`` speaks German, and remembers it in a cookie for the
next visit; without either it follows the browser's Accept-Language.
"""

from __future__ import annotations

from .console_words import WORDS

LANGUAGES = ("en", "de")
#: the language a person chose with ``?lang=``, for their next visit
COOKIE = "wallboard_lang"

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "board": "Wallboard",
        "offline": "offline",
        "live": "live",
        "league": "League",
        "table": "Table",
        "live_matches": "Live",
        "results": "Results",
        "scorers": "Top scorers",
        "leaders": "Leaders",
        "today": "Today",
        "week": "This week",
        "agent": "Agents",
        "team": "Teams",
        "site": "Sites",
        "charts": "Charts",
        "race": "Points race by matchday",
        "by_hour": "Today's sales per site by hour",
        "goal": "GOAL!",
        "disallowed": "Goal disallowed",
        "prize": "Prize!",
        "goal_reached": "Goal reached!",
        "tombola": "Tombola",
        "winners": "Winners",
        "points": "Pts",
        "played": "P",
        "gd": "GD",
        "no_season": "No season running",
        "nothing_yet": "Nothing yet today",
        "sold": "sold",
        "won": "won",
        "my_goal": "My goal",
        "confirmed": "confirmed",
        "pending": "pending",
        "points_today": "Points today",
        "points_week": "This week",
        "points_month": "This month",
        "gates": "Gates",
        "eligible": "eligible",
        "not_eligible": "not yet eligible",
        "period_day": "Today",
        "period_week": "This week",
        "period_month": "This month",
        "period_season": "This season",
        "gate_min_sales": "Sales",
        "gate_min_quality": "Quality",
        "gate_min_referral_rate": "Referral rate",
        "gate_max_cancellation_rate": "Cancellation rate",
        "tickets": "Tombola tickets",
        "next_draw": "Draw in",
        "my_match": "My site's match",
        "why": "Why these points",
        "public_name": "Public name",
        "opt_out": "Keep me off public boards",
        "save": "Save",
        "set_goal": "Set my goal",
        "title": "Title",
        "price": "Price (EUR)",
        "minute": "min",
        "champion": "Champion",
        "moment_goal": "Goal",
        "moment_disallowed": "No goal",
        "moment_prize": "Prize",
        "moment_goal_reached": "Saved up",
        "moment_season": "Champion",
        "wins": "wins",
        "reached": "reached their savings goal:",
        "reason_cancelled": "the sale was cancelled",
        "n_goal_one": "{n} goal",
        "n_goal": "{n} goals",
        "n_goal_disallowed_one": "{n} goal disallowed",
        "n_goal_disallowed": "{n} goals disallowed",
        "n_prize_one": "{n} prize",
        "n_prize": "{n} prizes",
        "n_goal_reached_one": "{n} savings goal",
        "n_goal_reached": "{n} savings goals",
        "more": "+{n} more",
        "name_hidden": "(name not shown)",
        "tombola_draw": "Tombola draw",
        "drawing_for": "Drawing for",
        "no_tickets": "No tickets were drawn: nobody played",
        "season_won": "wins the season",
        "season_over": "Season over",
        "n_points_one": "{n} point",
        "n_points": "{n} points",
    },
    "de": {
        "board": "Wallboard",
        "offline": "offline",
        "live": "live",
        "league": "Liga",
        "table": "Tabelle",
        "live_matches": "Live",
        "results": "Ergebnisse",
        "scorers": "Torschützen",
        "leaders": "Bestenliste",
        "today": "Heute",
        "week": "Diese Woche",
        "agent": "Agenten",
        "team": "Teams",
        "site": "Standorte",
        "charts": "Diagramme",
        "race": "Punkte je Spieltag",
        "by_hour": "Abschlüsse heute je Standort und Stunde",
        "goal": "TOR!",
        "disallowed": "Tor aberkannt",
        "prize": "Gewinn!",
        "goal_reached": "Ziel erreicht!",
        "tombola": "Tombola",
        "winners": "Gewinner",
        "points": "Pkt",
        "played": "Sp",
        "gd": "Diff",
        "no_season": "Keine laufende Saison",
        "nothing_yet": "Heute noch nichts",
        "sold": "verkauft",
        "won": "gewinnt",
        "my_goal": "Mein Ziel",
        "confirmed": "bestätigt",
        "pending": "vorläufig",
        "points_today": "Punkte heute",
        "points_week": "Diese Woche",
        "points_month": "Dieser Monat",
        "gates": "Schwellen",
        "eligible": "berechtigt",
        "not_eligible": "noch nicht berechtigt",
        "period_day": "Heute",
        "period_week": "Diese Woche",
        "period_month": "Dieser Monat",
        "period_season": "Diese Saison",
        "gate_min_sales": "Verkäufe",
        "gate_min_quality": "Qualität",
        "gate_min_referral_rate": "Empfehlungsquote",
        "gate_max_cancellation_rate": "Stornoquote",
        "tickets": "Tombola-Lose",
        "next_draw": "Ziehung in",
        "my_match": "Spiel meines Standorts",
        "why": "Warum diese Punkte",
        "public_name": "Öffentlicher Name",
        "opt_out": "Nicht auf öffentlichen Boards zeigen",
        "save": "Speichern",
        "set_goal": "Mein Ziel setzen",
        "title": "Titel",
        "price": "Preis (EUR)",
        "minute": "Min.",
        "champion": "Meister",
        "moment_goal": "Tor",
        "moment_disallowed": "Kein Tor",
        "moment_prize": "Gewinn",
        "moment_goal_reached": "Gespart",
        "moment_season": "Meister",
        "wins": "gewinnt",
        "reached": "hat das Sparziel erreicht:",
        "reason_cancelled": "der Verkauf wurde storniert",
        "n_goal_one": "{n} Tor",
        "n_goal": "{n} Tore",
        "n_goal_disallowed_one": "{n} Tor aberkannt",
        "n_goal_disallowed": "{n} Tore aberkannt",
        "n_prize_one": "{n} Gewinn",
        "n_prize": "{n} Gewinne",
        "n_goal_reached_one": "{n} Sparziel",
        "n_goal_reached": "{n} Sparziele",
        "more": "+{n} weitere",
        "name_hidden": "(Name nicht angezeigt)",
        "tombola_draw": "Tombola-Ziehung",
        "drawing_for": "Verlost wird",
        "no_tickets": "Keine Lose gezogen: niemand hat mitgespielt",
        "season_won": "gewinnt die Saison",
        "season_over": "Saison beendet",
        "n_points_one": "{n} Punkt",
        "n_points": "{n} Punkte",
    },
}


#: the manager console's words, per language
CONSOLE: dict[str, dict[str, str]] = {
    lang: {key: texts[index] for key, texts in WORDS.items()}
    for index, lang in enumerate(LANGUAGES)
}


def language(requested: str | None) -> str:
    return requested if requested in LANGUAGES else "en"


def negotiate(requested: str | None, remembered: str | None, accept_language: str) -> str:
    """The language asked for, else the one remembered, else the browser's first
    choice among ours (``de-DE,de;q=0.9,en;q=0.8``), else English."""
    for choice in (requested, remembered):
        if choice in LANGUAGES:
            return choice
    best, best_q = "en", 0.0
    for part in accept_language.split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().partition("-")[0]
        try:
            q = float(params.strip().removeprefix("q=")) if params.strip().startswith("q=") else 1.0
        except ValueError:
            continue
        if primary in LANGUAGES and q > best_q:
            best, best_q = primary, q
    return best

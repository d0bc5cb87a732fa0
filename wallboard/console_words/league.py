"""The console's words for the League tab: seasons, their preview and launch."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # League
    "seasons": ("Seasons", "Saisons"),
    "scoring_season": ("Scoring season", "Wertungssaison"),
    "scoring_season_help": (
        "The days the “season” period counts (for leaderboards, gates and prizes per season), "
        "apart from the league.",
        "Die Tage, die der Zeitraum „Saison“ zählt (für Bestenlisten, Schwellen und Preise je "
        "Saison), unabhängig von der Liga.",
    ),
    "first_day": ("First day", "Erster Tag"),
    "last_day": ("Last day", "Letzter Tag"),
    "ends_before_starts": (
        "The last day comes before the first",
        "Der letzte Tag liegt vor dem ersten",
    ),
    "save": ("Save", "Speichern"),
    "running_seasons": ("Running", "Laufend"),
    "past_seasons": ("Ended", "Beendet"),
    "past_seasons_n": ("Ended seasons ({n})", "Beendete Saisons ({n})"),
    "running": ("running", "läuft"),
    "ended": ("ended", "beendet"),
    "champion": ("Champion", "Meister"),
    "season_facts": (
        "{matchdays} matchdays · a goal every {goal_every} points per head",
        "{matchdays} Spieltage · ein Tor je {goal_every} Punkte pro Kopf",
    ),
    "table_and_matches": ("Table and matches", "Tabelle und Spiele"),
    "club": ("Club", "Verein"),
    "played": ("Played", "Spiele"),
    "goals": ("Goals", "Tore"),
    "points": ("Points", "Punkte"),
    "matchday": ("Matchday", "Spieltag"),
    "match": ("Match", "Spiel"),
    "score": ("Score", "Stand"),
    "match_scheduled": ("scheduled", "angesetzt"),
    "match_live": ("live", "läuft"),
    "match_final": ("final", "beendet"),
    "forfeit": ("Forfeit (0:3)", "Aufgeben (0:3)"),
    "club_that_forfeits": ("Club that forfeits", "Verein, der aufgibt"),
    "forfeit_question": (
        "The match ends 0:3 against this club.",
        "Das Spiel endet 0:3 gegen diesen Verein.",
    ),
    "end_season": ("End the season", "Saison beenden"),
    "end_question": (
        "End it now? The leader becomes champion.",
        "Jetzt beenden? Der Tabellenführer wird Meister.",
    ),
    "launch_season": ("Launch a season", "Saison starten"),
    "launch_help": (
        "Sites play a virtual football season with their sales. Preview the fixtures "
        "first; the preview may suggest a goal rate from the last weeks' sales.",
        "Standorte spielen mit ihren Verkäufen eine virtuelle Fußballsaison. Zuerst die "
        "Spiele ansehen; die Vorschau kann aus den Verkäufen der letzten Wochen eine "
        "Torquote vorschlagen.",
    ),
    "season_name": ("Name", "Name"),
    "default_season_name": ("Season 1", "Saison 1"),
    "season_id": ("Short id", "Kurz-ID"),
    "clubs": ("Clubs (sites) and heads", "Vereine (Standorte) und Köpfe"),
    "heads": ("heads", "Köpfe"),
    "heads_of": ("Heads of {site}", "Köpfe in {site}"),
    "schedule": ("Matchdays", "Spieltage"),
    "schedule_days": ("From a first day", "Ab einem ersten Tag"),
    "schedule_windows": ("Fixed windows", "Feste Zeitfenster"),
    "first_matchday": ("First matchday", "Erster Spieltag"),
    "matchday_days": ("Working days per matchday", "Arbeitstage je Spieltag"),
    "working_days": ("Working days", "Arbeitstage"),
    "holidays": ("Holidays (YYYY-MM-DD)", "Feiertage (JJJJ-MM-TT)"),
    "add_window": ("Add a matchday window", "Spieltag-Zeitfenster hinzufügen"),
    "window_from": ("From", "Von"),
    "window_to": ("To", "Bis"),
    "home_and_away": ("Home and away", "Hin- und Rückrunde"),
    "goal_every": ("Goal every", "Ein Tor je"),
    "points_per_head": ("points per head", "Punkte pro Kopf"),
    "preview_fixtures": ("Preview fixtures", "Spielplan ansehen"),
    "launch": ("Launch season", "Saison starten"),
    "pick_two_clubs": ("Pick at least two sites", "Mindestens zwei Standorte wählen"),
    "preview_summary": ("{matches} matches.", "{matches} Spiele."),
    "suggested_goal_every": (
        "Suggested: a goal every {value} points per head.",
        "Vorschlag: ein Tor je {value} Punkte pro Kopf.",
    ),
    "calibrated_reason": (
        "(from the last 28 days' sales, for about 2.75 goals a match)",
        "(aus den Verkäufen der letzten 28 Tage, für etwa 2,75 Tore je Spiel)",
    ),
    "use_suggestion": ("Use suggestion", "Vorschlag übernehmen"),
    "suggestion_reason": (
        "(the last {windows} windows: {goals} goals a match with it, aiming at {target}; "
        "{as_sent} with your {sent})",
        "(die letzten {windows} Zeitfenster: {goals} Tore je Spiel damit, Ziel {target}; "
        "{as_sent} mit Ihren {sent})",
    ),
    "bye_on": ("Matchday {matchday}: a bye for {clubs}", "Spieltag {matchday}: spielfrei {clubs}"),
    "no_suggestion": (
        "No suggestion: no sales in the last weeks to learn from.",
        "Kein Vorschlag: keine Verkäufe der letzten Wochen.",
    ),
    "season_exists": (
        "A season with the id {season} exists already",
        "Eine Saison mit der ID {season} gibt es schon",
    ),
    "season_launched": ("Season {name} launched.", "Saison {name} gestartet."),
}

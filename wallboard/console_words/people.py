"""The console's words for the People, Access and Audit tabs: sites, teams, agents, the
roster import, tokens, the audit log.
"""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # People
    "sites_teams_agents": ("Sites, teams and agents", "Standorte, Teams und Agenten"),
    "short_name": ("Short name", "Kurzname"),
    "n_agents": ("agents: {n}", "Agenten: {n}"),
    "n_teams": ("teams: {n}", "Teams: {n}"),
    "n_opted_out": ("off public boards: {n}", "nicht auf Boards: {n}"),
    "public_name": ("Public name", "Öffentlicher Name"),
    "initials": ("initials", "Initialen"),
    "public_boards": ("Public boards", "Öffentliche Boards"),
    "on_boards": ("shown", "sichtbar"),
    "opted_out": ("opted out", "abgemeldet"),
    "edit": ("Edit", "Bearbeiten"),
    # Channels (on the access tab)
    "channels_title": ("Channels", "Kanäle"),
    "channels_help": (
        "A channel is what a screen shows: its scenes in turn, of one site or all, of "
        "one season or each in turn. Open its address on the screen (with a display "
        "token); a screen follows a change here within seconds.",
        "Ein Kanal ist, was ein Bildschirm zeigt: seine Szenen im Wechsel, eines "
        "Standorts oder aller, einer Saison oder jeder im Wechsel. Öffnen Sie seine "
        "Adresse am Bildschirm (mit einem Display-Token); eine Änderung hier übernimmt "
        "er in Sekunden.",
    ),
    "channel_new": ("Add or change a channel", "Kanal anlegen oder ändern"),
    "no_channels": (
        "No channels yet: every board shows all scenes of the whole company.",
        "Noch keine Kanäle: Jedes Board zeigt alle Szenen des ganzen Unternehmens.",
    ),
    "channel_name": ("Channel", "Kanal"),
    "scenes": ("Scenes", "Szenen"),
    "scene_league": ("League", "Liga"),
    "scene_leaders": ("Leaders", "Bestenlisten"),
    "scene_charts": ("Charts", "Diagramme"),
    "scene_contests": ("Contests", "Wettbewerbe"),
    "season": ("Season", "Saison"),
    "rotate": ("Each scene for", "Jede Szene für"),
    "seconds": ("seconds", "Sekunden"),
    "n_seconds": ("{n} s", "{n} s"),
    "channel_address": ("Address for the screen", "Adresse für den Bildschirm"),
    "all_sites": ("All sites", "Alle Standorte"),
    "seasons_in_turn": ("Running seasons in turn", "Laufende Saisons im Wechsel"),
    "save_channel": ("Save the channel", "Kanal speichern"),
    "pick_a_scene": ("pick at least one scene", "mindestens eine Szene wählen"),
    "channel_removed": ("Removed: {name}.", "Entfernt: {name}."),
    "personal_goal": ("Personal goal", "Persönliches Ziel"),
    "goal_title": ("What for", "Wofür"),
    "goal_price": ("Price", "Preis"),
    "set_goal": ("Set the goal", "Ziel setzen"),
    "expected_amount": (
        "expected an amount in euros above 0",
        "erwartet einen Betrag in Euro über 0",
    ),
    "agents_unavailable": (
        "This server lists sites only; agents by team show here once it lists them.",
        "Dieser Server liefert nur Standorte; Agenten nach Team erscheinen hier, sobald "
        "er sie liefert.",
    ),
    "add_site": ("Add a site", "Standort anlegen"),
    "site_name": ("Site name", "Name des Standorts"),
    "colour": ("Colour", "Farbe"),
    "add_team": ("Add a team", "Team anlegen"),
    "team_name": ("Team name", "Name des Teams"),
    "choose_site": ("Choose a site", "Standort wählen"),
    "roster_import": ("Roster import", "Personalliste importieren"),
    "roster_help": (
        "A CSV file with the columns agent, name, team, site and optionally public_name. "
        "The dry run checks every line and changes nothing.",
        "Eine CSV-Datei mit den Spalten agent, name, team, site und optional public_name. "
        "Der Probelauf prüft jede Zeile und ändert nichts.",
    ),
    "roster_file": ("CSV file", "CSV-Datei"),
    "roster_confirm": (
        "Create the missing teams and sites",
        "Fehlende Teams und Standorte anlegen",
    ),
    "roster_dry_run": ("Dry run", "Probelauf"),
    "roster_do_import": ("Import", "Importieren"),
    "lines": ("lines", "Zeilen"),
    "change": ("Change", "Änderung"),
    "change_new": ("new", "neu"),
    "change_moved": ("moved", "versetzt"),
    "change_renamed": ("renamed", "umbenannt"),
    "change_public_name": ("new public name", "neuer öffentlicher Name"),
    "change_none": ("unchanged", "unverändert"),
    "roster_counts": (
        "{lines} lines: {new} new, {moved} moved, {renamed} renamed, {unchanged} unchanged, "
        "{errors} with errors.",
        "{lines} Zeilen: {new} neu, {moved} versetzt, {renamed} umbenannt, {unchanged} "
        "unverändert, {errors} fehlerhaft.",
    ),
    "warn_unknown_site": (
        "Site {site} is not in the roster: tick “Create the missing teams and sites” to create it",
        "Standort {site} fehlt: „Fehlende Teams und Standorte anlegen“ ankreuzen legt ihn an",
    ),
    "warn_unknown_team": (
        "Team {team} is not in the roster: tick “Create the missing teams and sites” to create "
        "it at {site}",
        "Team {team} fehlt: „Fehlende Teams und Standorte anlegen“ ankreuzen legt es in {site} an",
    ),
    "warn_ignored_column": ("Column {column} is not read", "Spalte {column} wird nicht gelesen"),
    "roster_ready": ("{n} agents ready to import.", "{n} Agenten bereit zum Import."),
    "roster_imported": ("{n} agents imported.", "{n} Agenten importiert."),
    # Access
    "new_token": ("New access", "Neuer Zugang"),
    "tokens_help": (
        "A wall screen needs a display token, an agent's widget an agent token, an "
        "integration an ingest token. A token is shown once.",
        "Ein Wandbildschirm braucht ein Display-Token, das Widget eines Agenten ein "
        "Agenten-Token, eine Integration ein Ingest-Token. Ein Token wird einmal gezeigt.",
    ),
    "role": ("For", "Für"),
    "role_display": ("Wall screen (display)", "Wandbildschirm (Display)"),
    "role_agent": ("Agent's widget", "Widget eines Agenten"),
    "role_ingest": ("Integration (ingest)", "Integration (Ingest)"),
    "role_manager": ("Manager script", "Manager-Skript"),
    "agent_id": ("Agent id", "Agenten-ID"),
    "label": ("Label", "Bezeichnung"),
    "unnamed_manager": ("a manager token", "ein Manager-Token"),
    "tokens": ("Access tokens", "Zugangs-Token"),
    "created": ("Created", "Erstellt"),
    "revoked": ("revoked", "widerrufen"),
    "revoke": ("Revoke", "Widerrufen"),
    "revoke_question": ("Screens using it go dark.", "Bildschirme damit werden dunkel."),
    "shown_once": ("Shown once:", "Wird nur einmal gezeigt:"),
    "open_once": ("Open once:", "Einmal öffnen:"),
    # Audit and export
    "audit_log": ("Who changed what", "Wer hat was geändert"),
    "all_types": ("Everything", "Alles"),
    "traffic": ("Integration traffic", "Verkehr der Integrationen"),
    "traffic_help": (
        "Sales, cancellations and contacts the integrations sent, per day: not manager actions.",
        "Verkäufe, Stornos und Kontakte der Integrationen je Tag: keine Aktionen von Managern.",
    ),
    "day": ("Day", "Tag"),
    "since": ("From", "Von"),
    "until": ("To", "Bis"),
    "show_audit": ("Show", "Anzeigen"),
    "nothing_found": ("Nothing found.", "Nichts gefunden."),
    "exports": ("Export", "Export"),
    "commission_csv": ("Confirmed commission (CSV)", "Bestätigte Provision (CSV)"),
    "advanced": ("Advanced: send an event as JSON", "Fortgeschritten: Ereignis als JSON senden"),
    "advanced_help": (
        "For what no form covers. The server checks every event; nothing is stored when "
        "one is refused.",
        "Für das, was kein Formular abdeckt. Der Server prüft jedes Ereignis; wird eines "
        "abgelehnt, wird nichts gespeichert.",
    ),
    "edit_rules_json": ("Load the rules in force", "Geltende Regeln laden"),
    "rules_loaded": (
        "Rules {version} loaded: change them and send.",
        "Regeln {version} geladen: ändern und senden.",
    ),
    "raw_stored": (
        "{accepted} stored, {duplicates} duplicates",
        "{accepted} gespeichert, {duplicates} doppelt",
    ),
    "not_json": ("Not valid JSON", "Kein gültiges JSON"),
    "type_agent": ("Agent", "Agent"),
    "type_forfeit": ("Forfeit", "Aufgabe"),
    "type_goal": ("Personal goal", "Persönliches Ziel"),
    "type_handover": ("Handover", "Übergabe"),
    "type_league_end": ("Season ended", "Saisonende"),
    "type_league_heads": ("Head count", "Kopfzahl"),
    "type_league_season": ("League season", "Ligasaison"),
    "type_prize": ("Prize", "Preis"),
    "type_prize_rule": ("Prize rule", "Preisregel"),
    "type_profile": ("Profile", "Profil"),
    "type_rules": ("Rules", "Regeln"),
    "type_season": ("Scoring season", "Wertungssaison"),
    "type_site": ("Site", "Standort"),
    "type_team": ("Team", "Team"),
    "type_channel": ("Channel", "Kanal"),
    "type_contest": ("Contest", "Wettbewerb"),
    "type_challenge_answer": ("Answer to a challenge", "Antwort auf eine Herausforderung"),
    "type_contest_end": ("Contest ended", "Wettbewerb beendet"),
    "type_coins": ("Coins", "Coins"),
    "type_reward": ("Reward", "Prämie"),
    "type_redemption": ("Redemption", "Einlösung"),
    "type_redemption_decision": ("Redemption decided", "Einlösung entschieden"),
    "type_reward_budget": ("Reward budget", "Prämienbudget"),
    "type_token_created": ("Token created", "Token erstellt"),
    "type_token_revoked": ("Token revoked", "Token widerrufen"),
    "type_tombola_open": ("Tombola opened", "Tombola eröffnet"),
    "type_tombola_draw": ("Tombola drawn", "Tombola gezogen"),
    "type_sale": ("Sale", "Verkauf"),
    "type_cancellation": ("Cancellation", "Storno"),
    "type_contact": ("Contact", "Kontakt"),
    "type_tick": ("Clock", "Uhr"),
}

"""The console's words for the Prizes and Tombolas tabs: the catalogue, prize rules,
awards, and tombolas.
"""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # Prizes
    "catalogue": ("Catalogue", "Preiskatalog"),
    "catalogue_help": (
        "Prizes and how many are left. Restocking adds to what is left.",
        "Preise und wie viele übrig sind. Auffüllen erhöht den Restbestand.",
    ),
    "prize": ("Prize", "Preis"),
    "prizes": ("Prizes", "Preise"),
    "prize_name": ("Name", "Name"),
    "picture": ("Picture (address)", "Bild (Adresse)"),
    "picture_help": (
        "An https:// address or a /path on this server",
        "Eine https://-Adresse oder ein /Pfad auf diesem Server",
    ),
    "stock": ("Stock", "Bestand"),
    "stock_left": ("{left} of {stock} left", "{left} von {stock} übrig"),
    "unlimited": ("unlimited", "unbegrenzt"),
    "awarded": ("Awarded", "Vergeben"),
    "value": ("Value each", "Wert je Stück"),
    "value_each": ("Value each (what one costs)", "Wert je Stück (was einer kostet)"),
    "optional": ("optional", "optional"),
    "hidden": ("hidden", "verdeckt"),
    "hidden_rule": ("Hidden", "Verdeckt"),
    "hidden_help": (
        "Awards as any rule does, but only managers see its awards until it is posted "
        "again without this",
        "Vergibt wie jede Regel, aber nur Manager sehen die Gewinne, bis sie ohne dies "
        "erneut gesetzt wird",
    ),
    "kind_tombola": ("Tombola", "Tombola"),
    "not_awarded_out_of_stock": (
        "(not awarded: out of stock at the draw)",
        "(nicht vergeben: bei der Ziehung vergriffen)",
    ),
    "handed_over_by": ("handed over by {by}, {when}", "übergeben von {by}, {when}"),
    "older": ("Show older", "Ältere zeigen"),
    "restock": ("Restock", "Auffüllen"),
    "add_prize": ("Add a prize", "Preis anlegen"),
    "prize_exists": (
        "A prize of that name exists already",
        "Ein Preis dieses Namens existiert schon",
    ),
    "no_prizes_yet": ("No prizes yet", "Noch keine Preise"),
    "choose_prize": ("Choose a prize", "Preis wählen"),
    "prize_rules": ("When prizes are won", "Wann Preise gewonnen werden"),
    "prize_rules_help": (
        "A rule switched off awards nothing until it is switched on again.",
        "Eine ausgeschaltete Regel vergibt nichts, bis sie wieder eingeschaltet wird.",
    ),
    "kind": ("Kind", "Art"),
    "rule": ("Rule", "Regel"),
    "kind_instant": ("Instant prize per sale", "Sofortpreis je Verkauf"),
    "kind_threshold": ("Points target", "Punktziel"),
    "kind_rank": ("Rank prize", "Rangpreis"),
    "instant_help": (
        "A single sale with at least this revenue wins the prize; of several tiers only "
        "the highest reached counts.",
        "Ein einzelner Verkauf ab diesem Umsatz gewinnt den Preis; bei mehreren Stufen "
        "zählt nur die höchste erreichte.",
    ),
    "threshold_help": (
        "Confirmed points in a period, once per agent and period, if the gates hold.",
        "Bestätigte Punkte im Zeitraum, einmal je Agent und Zeitraum, wenn die Schwellen "
        "erfüllt sind.",
    ),
    "rank_help": (
        "The top agents of a period, when the period ends; below a gate the next moves up.",
        "Die besten Agenten eines Zeitraums, wenn er endet; wer eine Schwelle verfehlt, "
        "wird übersprungen.",
    ),
    "min_revenue": ("Minimum revenue", "Mindestumsatz"),
    "threshold_points": ("Confirmed points", "Bestätigte Punkte"),
    "top_n": ("Top", "Beste"),
    "switch_off": ("Switch off", "Ausschalten"),
    "switch_on": ("Switch on", "Einschalten"),
    "out_of_stock": ("out of stock", "vergriffen"),
    "rule_instant_sentence": (
        "{prize} for a sale from {amount}",
        "{prize} für einen Verkauf ab {amount}",
    ),
    "rule_threshold_sentence": (
        "{prize} for {points} confirmed points {period}",
        "{prize} für {points} bestätigte Punkte {period}",
    ),
    "rule_rank_sentence": (
        "{prize} for the top {top} {period}",
        "{prize} für die besten {top} {period}",
    ),
    "new_prize_sentence": (
        "New prize: {prize}, stock {stock}",
        "Neuer Preis: {prize}, Bestand {stock}",
    ),
    "restock_sentence": ("{prize}: stock {stock}", "{prize}: Bestand {stock}"),
    "awards": ("Awards", "Gewinne"),
    "awards_help": (
        "Prizes won, to be handed over. The award id identifies one at the handover.",
        "Gewonnene Preise zur Übergabe. Die Gewinn-ID weist einen bei der Übergabe aus.",
    ),
    "show_all_awards": (
        "Show handed over and revoked awards too",
        "Auch übergebene und zurückgenommene zeigen",
    ),
    "award_id": ("Award id", "Gewinn-ID"),
    "search_awards": (
        "Search by agent, prize or award id",
        "Suche nach Agent, Preis oder Gewinn-ID",
    ),
    "show_more": ("Show {n} more", "{n} weitere zeigen"),
    "award_awarded": ("to hand over", "zu übergeben"),
    "award_handed_over": ("handed over", "übergeben"),
    "award_revoked": ("revoked", "zurückgenommen"),
    "hand_over": ("Hand over", "Übergeben"),
    "handed_over": ("✔ handed over", "✔ übergeben"),
    # Tombolas
    "tombolas": ("Tombolas", "Tombolas"),
    "tombolas_help": (
        "Every draw is checked against its published seed hash.",
        "Jede Ziehung wird gegen ihren veröffentlichten Seed-Hash geprüft.",
    ),
    "open_tombolas": ("Open", "Offen"),
    "past_tombolas": ("Closed and drawn", "Geschlossen und gezogen"),
    "tombola_name": ("Name", "Name"),
    "tombola_open": ("open", "offen"),
    "tombola_closed": ("closed, draw pending", "geschlossen, Ziehung steht aus"),
    "tombola_drawn": ("drawn", "gezogen"),
    "closes": ("Closes", "Schließt"),
    "closes_at": ("closes", "schließt"),
    "sales_per_ticket": ("Sales per ticket", "Verkäufe je Los"),
    "tickets": ("Tickets", "Lose"),
    "show_tickets": ("Show tickets", "Lose zeigen"),
    "tickets_summary": (
        "Tickets: {tickets} · agents: {entrants}",
        "Lose: {tickets} · Agenten: {entrants}",
    ),
    "no_tickets_yet": ("No tickets yet", "Noch keine Lose"),
    "draw_check": ("Draw check", "Prüfung der Ziehung"),
    "verified": ("verified", "geprüft"),
    "not_verified": ("NOT verified", "NICHT bestätigt"),
    "not_drawn_yet": ("not drawn yet", "noch nicht gezogen"),
    "seed_hash": ("seed hash", "Seed-Hash"),
    "open_a_tombola": ("Open a tombola", "Tombola eröffnen"),
    "open_tombola_help": (
        "Agents earn a ticket for every so many sales while it is open; at closing time "
        "the draw picks one winner per prize, in the order below.",
        "Agenten erhalten je so vieler Verkäufe ein Los, solange sie offen ist; zum "
        "Schluss zieht die Ziehung einen Gewinner je Preis, in der Reihenfolge unten.",
    ),
    "count_pending": (
        "Count sales still in their cancellation window",
        "Verkäufe in der Stornofrist mitzählen",
    ),
    "exclude_prize_winners": (
        "Leave out agents who won a prize this period",
        "Agenten mit einem Preis in diesem Zeitraum ausschließen",
    ),
    "prizes_one_per_winner": ("Prizes, one per winner", "Preise, einer je Gewinner"),
    "prize_for_winner": ("Prize for winner {n}", "Preis für Gewinner {n}"),
    "add_winner": ("Add a winner", "Weiteren Gewinner"),
    "closes_in_future": (
        "The closing time must be in the future",
        "Der Schluss muss in der Zukunft liegen",
    ),
    "pick_a_prize": ("Pick at least one prize", "Mindestens einen Preis wählen"),
    "tombola_sentence": (
        "Open tombola {name}, closes {closes}, sales per ticket: {every}, prizes: {prizes}",
        "Tombola {name} eröffnen, schließt {closes}, Verkäufe je Los: {every}, Preise: {prizes}",
    ),
}

"""The console's words for the Publish tab: the draft, publishing, and the what-if."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # Publish and what-if
    "not_published": ("Not yet published", "Noch nicht veröffentlicht"),
    "draft_empty": (
        "Nothing to publish: the draft is empty.",
        "Nichts zu veröffentlichen: Der Entwurf ist leer.",
    ),
    "rule_changes": ("Rules", "Regeln"),
    "prize_changes": ("Prizes and prize rules", "Preise und Preisregeln"),
    "tombolas_to_open": ("Tombolas to open", "Zu eröffnende Tombolas"),
    "version_name": ("Name of the rules version", "Name der Regelfassung"),
    "rules_from": ("Rules in force from", "Regeln gültig ab"),
    "empty_now": ("empty: now", "leer: sofort"),
    "publish": ("Publish", "Veröffentlichen"),
    "published_n": ("Published: {n} change(s).", "Veröffentlicht: {n} Änderung(en)."),
    "discard_draft": ("Discard the draft", "Entwurf verwerfen"),
    "discard": ("Discard", "Verwerfen"),
    "discard_question": (
        "Throw away every unpublished change?",
        "Alle unveröffentlichten Änderungen verwerfen?",
    ),
    "whatif_title": ("What if", "Was wäre, wenn"),
    "whatif_help": (
        "Replays the last days under the draft and shows what it would have paid, "
        "agent by agent. Nothing is published. Tombolas are not part of it.",
        "Spielt die letzten Tage mit dem Entwurf nach und zeigt, was er je Agent "
        "ausgezahlt hätte. Nichts wird veröffentlicht. Tombolas sind nicht enthalten.",
    ),
    "whatif_days": ("Days to replay", "Nachgespielte Tage"),
    "whatif_run": ("Preview the effect", "Wirkung ansehen"),
    "whatif_running": ("Replaying…", "Wird nachgespielt…"),
    "whatif_nothing": (
        "The draft has nothing to preview.",
        "Der Entwurf enthält nichts zum Ansehen.",
    ),
    "whatif_unavailable": (
        "This server offers no what-if preview yet.",
        "Dieser Server bietet noch keine Was-wäre-wenn-Vorschau.",
    ),
    "whatif_failed": ("The preview failed.", "Die Vorschau ist fehlgeschlagen."),
    "whatif_took": (
        "{events} events from {since} to {until} replayed in {ms} ms.",
        "{events} Ereignisse von {since} bis {until} in {ms} ms nachgespielt.",
    ),
    "whatif_more": ("{n} more not shown.", "{n} weitere nicht gezeigt."),
    "whatif_points": ("Points", "Punkte"),
    "whatif_commission": ("Commission", "Provision"),
    "whatif_prizes": ("Prizes", "Preise"),
    "whatif_prize_cost": ("Prize cost", "Kosten der Preise"),
    "whatif_agents_winning": ("Agents winning", "Agenten mit Gewinn"),
    "whatif_gates": ("Gates passed", "Schwellen erfüllt"),
    "whatif_differences": ("What the draft would have changed", "Was der Entwurf geändert hätte"),
    "whatif_by_agent": ("By agent", "Je Agent"),
    "whatif_by_team": ("By team", "Je Team"),
    "whatif_by_site": ("By site", "Je Standort"),
    "of_agents": ("agents gated", "Agenten mit Schwelle"),
    "gates_passed": ("Agents passing the gates", "Agenten über den Schwellen"),
    "total": ("Total", "Summe"),
    "actual": ("actual", "tatsächlich"),
    "whatif": ("what-if", "was wäre"),
    "difference": ("difference", "Differenz"),
}

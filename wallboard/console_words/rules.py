"""The console's words for the Rules tab: the rule set's forms and its history."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # Rules
    "rules_intro": (
        "Change what you need: every change goes into a draft, and nothing counts until "
        "you publish it. Values you do not touch stay as they are. A changed field is "
        "marked; point at it to see the value in force.",
        "Ändern Sie, was nötig ist: Jede Änderung kommt in einen Entwurf und gilt erst, "
        "wenn Sie ihn veröffentlichen. Was Sie nicht anfassen, bleibt, wie es ist. "
        "Geänderte Felder sind markiert; der Mauszeiger darüber zeigt den geltenden Wert.",
    ),
    "general": ("Sales and support", "Vertrieb und Service"),
    "general_help": (
        "How long a sale stays pending, and how sales and support points are weighted.",
        "Wie lange ein Verkauf vorläufig bleibt und wie Vertriebs- und Servicepunkte "
        "gewichtet werden.",
    ),
    "cancellation_window": ("Cancellation window", "Stornofrist"),
    "weights": ("Weights", "Gewichtung"),
    "weight_sales": ("Weight of sales", "Gewicht Vertrieb"),
    "weight_support": ("Weight of support", "Gewicht Service"),
    "timezone": ("Time zone", "Zeitzone"),
    "channel_factors": ("Channel factors", "Kanalfaktoren"),
    "channel_factor": ("Channel factor", "Kanalfaktor"),
    "channel_factors_help": (
        "A sale's points are multiplied by its channel's factor (empty: 1). A factor "
        "below 1 with a channel bonus lets an online offer booked by phone still pay.",
        "Die Punkte eines Verkaufs werden mit dem Faktor seines Kanals multipliziert "
        "(leer: 1). Ein Faktor unter 1 mit Kanalbonus lässt ein Online-Angebot, das am "
        "Telefon gebucht wird, trotzdem zählen.",
    ),
    "products_and_commission": (
        "Products, points and commission",
        "Produkte, Punkte und Provision",
    ),
    "products_help": (
        "Points for a sale: base points × quantity + points per euro × revenue, times "
        "the channel factor, plus the channel bonus. A product without its own row "
        "earns as all other products; an empty field shows what it inherits.",
        "Punkte je Verkauf: Grundpunkte × Menge + Punkte pro Euro × Umsatz, mal "
        "Kanalfaktor, plus Kanalbonus. Ein Produkt ohne eigene Zeile zählt wie alle "
        "anderen Produkte; ein leeres Feld zeigt, was es erbt.",
    ),
    "product_or_group": ("Product or group", "Produkt oder Gruppe"),
    "product": ("Product", "Produkt"),
    "products": ("Products", "Produkte"),
    "product_rule": ("Points rule", "Punkteregel"),
    "all_other_products": ("All other products", "Alle anderen Produkte"),
    "base_points": ("Base points", "Grundpunkte"),
    "per_euro": ("Points per euro", "Punkte pro Euro"),
    "channel_bonus": ("Channel bonus", "Kanalbonus"),
    "commission": ("Commission", "Provision"),
    "commission_fixed": ("Commission (€ per unit)", "Provision (€ je Stück)"),
    "commission_percent": ("Commission (% of revenue)", "Provision (% vom Umsatz)"),
    "commission_fixed_unit": ("€ per unit", "€ je Stück"),
    "commission_percent_unit": ("% of revenue", "% vom Umsatz"),
    "no_commission": ("no commission", "keine Provision"),
    "as_other_products": ("as all other products", "wie alle anderen Produkte"),
    "add_product": ("Add product or group", "Produkt oder Gruppe hinzufügen"),
    "group_of": ("Group of", "Gruppe für"),
    "product_groups": ("Product groups", "Produktgruppen"),
    "product_group": ("Product group", "Produktgruppe"),
    "groups_help": (
        "Products in a group earn by the group's row.",
        "Produkte einer Gruppe zählen nach der Zeile der Gruppe.",
    ),
    "no_group": ("no group", "keine Gruppe"),
    "contact_points": ("Contact points", "Kontaktpunkte"),
    "contact_help": (
        "Points for each handled service contact, confirmed at once.",
        "Punkte je bearbeitetem Servicekontakt, sofort bestätigt.",
    ),
    "contact_handled": ("Points per handled contact", "Punkte je Kontakt"),
    "contact_resolved": ("Resolved at first contact", "Beim ersten Kontakt gelöst"),
    "contact_referral": ("Referral", "Weiterempfehlung"),
    "quality_bands": ("Quality bands", "Qualitätsstufen"),
    "bands_help": (
        "Extra points by the contact's quality: the highest band it reaches counts.",
        "Zusatzpunkte nach Qualität des Kontakts: Es zählt die höchste erreichte Stufe.",
    ),
    "band_min": ("Quality from (%)", "Qualität ab (%)"),
    "band_points": ("Extra points", "Zusatzpunkte"),
    "add_band": ("Add quality band", "Qualitätsstufe hinzufügen"),
    "gates": ("Gates", "Schwellen"),
    "gates_help": (
        "Minimums an agent must meet in a period for threshold and rank prizes and for "
        "the commission export. Empty: no minimum.",
        "Mindestwerte, die ein Agent im Zeitraum erreichen muss, für Punkt- und "
        "Rangpreise und den Provisionsexport. Leer: kein Mindestwert.",
    ),
    "min_sales": ("Minimum sales", "Mindestverkäufe"),
    "min_quality": ("Minimum quality", "Mindestqualität"),
    "min_referral_rate": ("Minimum referral rate", "Mindest-Weiterempfehlungsquote"),
    "max_cancellation_rate": ("Maximum cancellation rate", "Maximale Stornoquote"),
    "exchange_rates": ("Exchange rates", "Wechselkurse"),
    "exchange_rate": ("Exchange rate", "Wechselkurs"),
    "rates_help": (
        "Revenue in another currency counts at this rate; without one it counts as 0.",
        "Umsatz in anderer Währung zählt zu diesem Kurs; ohne Kurs zählt er als 0.",
    ),
    "currency": ("Currency", "Währung"),
    "euros_per_unit": ("Euros per unit", "Euro je Einheit"),
    "rules_history": ("Rules in force and before", "Geltende und frühere Regeln"),
    "in_force": ("In force", "Gilt"),
    "effective_from": ("in force from", "gültig ab"),
    "published": ("published", "veröffentlicht"),
    "scheduled": ("scheduled", "geplant"),
    "trial": ("hidden trial", "verdeckter Test"),
    "publish_hidden": ("Publish as a hidden trial", "Als verdeckten Test veröffentlichen"),
    "trial_help": (
        "A hidden trial is scored on no screen: it waits under Rules, where you see "
        "what it would have paid since its date, and take it into the draft to publish it.",
        "Ein verdeckter Test wirkt auf keinem Bildschirm: Er steht unter Regeln, wo Sie "
        "sehen, was er seit seinem Datum ausgezahlt hätte, und ihn zum Veröffentlichen "
        "in den Entwurf übernehmen.",
    ),
    "published_trial": (
        "The rules wait as a hidden trial under Rules.",
        "Die Regeln stehen als verdeckter Test unter Regeln.",
    ),
    "trial_whatif": ("What it would have paid", "Was er ausgezahlt hätte"),
    "trial_adopt": ("Take into the draft", "In den Entwurf übernehmen"),
    "trial_from": ("on trial from", "im Test seit"),
    "trial_differences": (
        "What the trial would have changed",
        "Was der Test geändert hätte",
    ),
    "defaults": (
        "the defaults, before any rules were published",
        "die Vorgaben, bevor Regeln veröffentlicht wurden",
    ),
    "no_changes_listed": ("No changes listed.", "Keine Änderungen aufgeführt."),
    "history_unavailable": (
        "This server does not list earlier versions.",
        "Dieser Server listet keine früheren Fassungen.",
    ),
}

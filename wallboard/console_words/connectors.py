"""The Connectors tab's words: the list, a new connector and its secret shown once,
a connector's address, setup steps, mapping, test and dead letters; and the
agents' ids in other systems, which the People tab edits."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "tab_connectors": ("Connectors", "Konnektoren"),
    "connectors_help": (
        "Sales and contacts straight from a CRM, a help desk or the telephony: each "
        "connector has an address for the sending system's webhooks and a mapping that "
        "turns what arrives into events. Nothing that arrives is lost: what cannot be "
        "mapped waits as a dead letter until the mapping is fixed.",
        "Verkäufe und Kontakte direkt aus einem CRM, einem Helpdesk oder der Telefonanlage: "
        "Jeder Konnektor hat eine Adresse für die Webhooks des sendenden Systems und eine "
        "Zuordnung, die daraus Ereignisse macht. Nichts Empfangenes geht verloren: Was sich "
        "nicht zuordnen lässt, wartet als nicht verarbeitet, bis die Zuordnung korrigiert ist.",
    ),
    "connectors_list": ("Connectors", "Konnektoren"),
    "connectors_refresh": ("Refresh", "Aktualisieren"),
    "connectors_name": ("Name", "Name"),
    "connectors_kind": ("Kind", "Art"),
    "connectors_payloads": ("Payloads received", "Empfangen"),
    "connectors_dead_letters": ("Dead letters", "Nicht verarbeitet"),
    "connectors_last_payload": ("Last payload", "Zuletzt empfangen"),
    "connectors_open": ("Open", "Öffnen"),
    "connectors_preset_hubspot": ("HubSpot: deals won", "HubSpot: gewonnene Deals"),
    "connectors_preset_zendesk": ("Zendesk: solved tickets", "Zendesk: gelöste Tickets"),
    "connectors_preset_salesforce": (
        "Salesforce: opportunities won",
        "Salesforce: gewonnene Opportunities",
    ),
    "connectors_preset_twilio": (
        "Twilio TaskRouter: completed tasks",
        "Twilio TaskRouter: abgeschlossene Aufgaben",
    ),
    "connectors_preset_csv": ("CSV file (nightly export)", "CSV-Datei (nächtlicher Export)"),
    "connectors_preset_custom": ("Custom mapping", "Eigene Zuordnung"),
    "connectors_new": ("New connector", "Neuer Konnektor"),
    "connectors_name_help": (
        "a-z, 0-9, - and _; part of the address",
        "a-z, 0-9, - und _; Teil der Adresse",
    ),
    "connectors_secret_hubspot": (
        "The HubSpot app's client secret",
        "Client-Secret der HubSpot-App",
    ),
    "connectors_secret_zendesk": (
        "The Zendesk webhook's signing secret",
        "Signatur-Secret des Zendesk-Webhooks",
    ),
    "connectors_secret_twilio": ("The Twilio account's auth token", "Auth-Token des Twilio-Kontos"),
    "connectors_secret_help": (
        "The sending system issues it; kept apart from the event log, never shown again.",
        "Das sendende System stellt es aus; getrennt vom Ereignisprotokoll gespeichert, "
        "nie wieder angezeigt.",
    ),
    "connectors_secret_made": (
        "The server makes this connector's secret and shows it once, when you create it.",
        "Der Server erzeugt das Secret dieses Konnektors und zeigt es einmal, beim Anlegen.",
    ),
    "connectors_organization": (
        "Salesforce organization id (optional)",
        "Salesforce-Organisations-ID (optional)",
    ),
    "connectors_organization_only": (
        "only Salesforce organization {id}",
        "nur Salesforce-Organisation {id}",
    ),
    "connectors_mapping": ("Mapping (JSON)", "Zuordnung (JSON)"),
    "connectors_mapping_help": (
        "Which payloads count (filter) and how each event field is found: JMESPath "
        "expressions, constants, defaults and lookups of agents by their ids in the "
        "system (README: Connectors, Mappings).",
        "Welche Daten zählen (filter) und woher jedes Feld des Ereignisses kommt: "
        "JMESPath-Ausdrücke, Konstanten, Vorgaben und die Suche von Agenten über ihre IDs "
        "im System (README: Connectors, Mappings).",
    ),
    "connectors_create": ("Create connector", "Konnektor anlegen"),
    "connectors_replace": (
        "A connector named {name} exists. Replace it? Its mapping becomes the one given here.",
        "Ein Konnektor namens {name} existiert. Ersetzen? Seine Zuordnung wird die hier "
        "angegebene.",
    ),
    "connectors_replace_yes": ("Replace", "Ersetzen"),
    "connectors_created": ("Connector {name} created.", "Konnektor {name} angelegt."),
    "connectors_secret_once_title": (
        "The secret of {name}, shown this once",
        "Das Secret von {name}, nur jetzt sichtbar",
    ),
    "connectors_secret_once": (
        "Copy it now and keep it safe: it cannot be shown again. Whatever sends to this "
        "connector signs with it; without it, make the connector anew.",
        "Jetzt kopieren und sicher aufbewahren: Es kann nicht noch einmal angezeigt werden. "
        "Was an diesen Konnektor sendet, signiert damit; ohne es den Konnektor neu anlegen.",
    ),
    "connectors_copy": ("Copy", "Kopieren"),
    "connectors_copied": ("Copied.", "Kopiert."),
    "connectors_copy_failed": (
        "Copying was refused: select the text and copy it by hand.",
        "Kopieren wurde verweigert: Text markieren und von Hand kopieren.",
    ),
    "connectors_secret_kept": ("I have copied it", "Ich habe es kopiert"),
    "connectors_choose": (
        "Open a connector to see its address, setup, mapping and dead letters.",
        "Einen Konnektor öffnen, um Adresse, Einrichtung, Zuordnung und nicht Verarbeitetes "
        "zu sehen.",
    ),
    "connectors_made_by": ("Made {when} by {by}", "Angelegt {when} von {by}"),
    "connectors_hook": ("Address for the sending system", "Adresse für das sendende System"),
    "connectors_hook_secret": (
        "Put the secret shown when the connector was made in place of SECRET.",
        "SECRET durch das Secret ersetzen, das beim Anlegen angezeigt wurde.",
    ),
    "connectors_setup": ("Setting it up", "Einrichtung"),
    "connectors_steps_hubspot": (
        "In HubSpot, create a public app: its client secret is this connector's secret.\n"
        "Automation › Workflows › Create workflow › Deal-based; enrolment trigger: "
        "Deal stage is Closed won.\n"
        "Action “Send a webhook”: method POST, the address above, authentication "
        "“Include request signature in header” with the app.\n"
        "Customise the request body with the properties hs_object_id, dealstage, amount, "
        "hubspot_owner_id, closedate, and optionally dealtype and deal_currency_code.\n"
        "In People, give each agent their HubSpot owner id (Settings › Users).",
        "In HubSpot eine öffentliche App anlegen: Ihr Client-Secret ist das Secret dieses "
        "Konnektors.\n"
        "Automatisierung › Workflows › Workflow erstellen › Deal-basiert; Aufnahmetrigger: "
        "Deal-Phase ist „Gewonnen“.\n"
        "Aktion „Webhook senden“: Methode POST, die Adresse oben, Authentifizierung "
        "„Anfragesignatur in Header einfügen“ mit der App.\n"
        "Den Anfrage-Body anpassen mit den Eigenschaften hs_object_id, dealstage, amount, "
        "hubspot_owner_id, closedate und wahlweise dealtype und deal_currency_code.\n"
        "Unter Personen jedem Agenten seine HubSpot-Owner-ID geben (Einstellungen › Benutzer).",
    ),
    "connectors_steps_zendesk": (
        "Admin Center › Apps and integrations › Webhooks › Create webhook, “Trigger or "
        "automation”: the address above, POST, JSON.\n"
        "Copy the webhook's signing secret into this connector's secret.\n"
        "Objects and rules › Triggers › Add trigger: condition “Ticket status changed to "
        "Solved”, action “Notify active webhook” with the body below.\n"
        "In People, give each agent their Zendesk user id.",
        "Admin Center › Apps und Integrationen › Webhooks › Webhook erstellen, „Trigger "
        "oder Automatisierung“: die Adresse oben, POST, JSON.\n"
        "Das Signatur-Secret des Webhooks als Secret dieses Konnektors eintragen.\n"
        "Objekte und Regeln › Trigger › Trigger hinzufügen: Bedingung „Ticketstatus "
        "geändert zu Gelöst“, Aktion „Aktiven Webhook benachrichtigen“ mit dem Body unten.\n"
        "Unter Personen jedem Agenten seine Zendesk-Benutzer-ID geben.",
    ),
    "connectors_steps_salesforce": (
        "Setup › Outbound Messages › New: object Opportunity, endpoint URL the address "
        "above with the secret, fields Id, OwnerId, Amount, StageName, CloseDate, "
        "LastModifiedDate, Type, AccountId.\n"
        "A record-triggered flow on Opportunity, when Stage equals Closed Won, sends it.\n"
        "In People, give each agent their Salesforce user id.",
        "Setup › Ausgehende Nachrichten › Neu: Objekt Opportunity, Endpunkt-URL die "
        "Adresse oben mit dem Secret, Felder Id, OwnerId, Amount, StageName, CloseDate, "
        "LastModifiedDate, Type, AccountId.\n"
        "Ein datensatzausgelöster Flow auf Opportunity sendet sie, wenn die Phase "
        "„Closed Won“ ist.\n"
        "Unter Personen jedem Agenten seine Salesforce-Benutzer-ID geben.",
    ),
    "connectors_steps_twilio": (
        "Twilio Console › TaskRouter › Workspaces › (yours) › Settings: Event callback URL "
        "the address above, with the event reservation.completed selected.\n"
        "This connector's secret is the account's Auth Token.\n"
        "In People, give each agent their TaskRouter worker SID (WK…).",
        "Twilio Console › TaskRouter › Workspaces › (Ihrer) › Settings: Event Callback URL "
        "die Adresse oben, Ereignis reservation.completed ausgewählt.\n"
        "Das Secret dieses Konnektors ist das Auth Token des Kontos.\n"
        "Unter Personen jedem Agenten seine TaskRouter-Worker-SID (WK…) geben.",
    ),
    "connectors_steps_csv": (
        "Post each export as text/csv to the address above: a header line naming the "
        "events' fields (type, id, ts, agent, product, revenue, channel, …), one event "
        "a row.\n"
        "Sign each body: X-Wallboard-Signature: sha256=<hex HMAC-SHA256 of the body>, "
        "keyed with the secret shown once. `wallboard import-folder` does both for a "
        "folder of exports.",
        "Jeden Export als text/csv an die Adresse oben senden: eine Kopfzeile mit den "
        "Feldern der Ereignisse (type, id, ts, agent, product, revenue, channel, …), ein "
        "Ereignis je Zeile.\n"
        "Jeden Body signieren: X-Wallboard-Signature: sha256=<hex HMAC-SHA256 des Bodys>, "
        "mit dem einmal angezeigten Secret. `wallboard import-folder` erledigt beides für "
        "einen Ordner voller Exporte.",
    ),
    "connectors_steps_custom": (
        "Post JSON to the address above.\n"
        "Sign each body: X-Wallboard-Signature: sha256=<hex HMAC-SHA256 of the body>, "
        "keyed with the secret shown once.\n"
        "The mapping below says which payloads count and how each event's fields are found.",
        "JSON an die Adresse oben senden.\n"
        "Jeden Body signieren: X-Wallboard-Signature: sha256=<hex HMAC-SHA256 des Bodys>, "
        "mit dem einmal angezeigten Secret.\n"
        "Die Zuordnung unten bestimmt, welche Daten zählen und woher die Felder jedes "
        "Ereignisses kommen.",
    ),
    "connectors_test": ("Test against the last payloads", "Mit den letzten Daten testen"),
    "connectors_save_mapping": ("Save mapping", "Zuordnung speichern"),
    "connectors_mapping_saved": (
        "Mapping saved. Replay the dead letters to map them with it.",
        "Zuordnung gespeichert. Nicht Verarbeitetes erneut verarbeiten, um es damit zuzuordnen.",
    ),
    "connectors_not_json": ("Not JSON: {error}", "Kein JSON: {error}"),
    "connectors_tested": (
        "What this mapping makes of the last {n} payloads. Nothing was stored.",
        "Was diese Zuordnung aus den letzten {n} Lieferungen macht. Nichts wurde gespeichert.",
    ),
    "connectors_no_payloads": ("Nothing received yet.", "Noch nichts empfangen."),
    "connectors_received": ("Received", "Empfangen"),
    "connectors_payload": ("Payload", "Daten"),
    "connectors_outcome": ("Would make", "Ergäbe"),
    "connectors_n_events": ("{n} event(s)", "{n} Ereignis(se)"),
    "connectors_fails": ("Fails", "Schlägt fehl"),
    "connectors_reason": ("Reason", "Grund"),
    "connectors_dead_help": (
        "Payloads that matched nothing or failed, kept as they came. Fix the mapping, "
        "test it, save it, then replay: event ids come from the payloads, so nothing "
        "counts twice.",
        "Lieferungen, die nichts ergaben oder fehlschlugen, so aufbewahrt, wie sie kamen. "
        "Zuordnung korrigieren, testen, speichern, dann erneut verarbeiten: Die IDs der "
        "Ereignisse stammen aus den Daten, nichts zählt doppelt.",
    ),
    "connectors_unsaved": (
        "The mapping above has changes not saved: a replay maps with the saved one. Replay anyway?",
        "Die Zuordnung oben hat ungespeicherte Änderungen: Erneut verarbeitet wird mit der "
        "gespeicherten. Trotzdem erneut verarbeiten?",
    ),
    "connectors_replay": ("Replay the dead letters", "Erneut verarbeiten"),
    "connectors_replayed": (
        "Replayed {replayed}: {accepted} event(s) stored, {duplicates} stored before, "
        "{failed} still failing.",
        "{replayed} erneut verarbeitet: {accepted} Ereignis(se) gespeichert, {duplicates} "
        "schon vorhanden, {failed} weiterhin fehlerhaft.",
    ),
    "external_ids": ("Ids in other systems", "IDs in anderen Systemen"),
    "external_ids_help": (
        "The agent's id in the CRM, help desk or telephony (a HubSpot owner id, a Zendesk "
        "user id): connectors find the agent by it.",
        "Die ID des Agenten im CRM, Helpdesk oder in der Telefonanlage (HubSpot-Owner-ID, "
        "Zendesk-Benutzer-ID): Konnektoren finden den Agenten darüber.",
    ),
    "external_system": ("System", "System"),
    "external_id": ("Id there", "ID dort"),
    "external_ids_add": ("Add an id", "ID hinzufügen"),
    "external_ids_pair": (
        "Give both the system and the id, or leave both empty.",
        "System und ID angeben oder beides leer lassen.",
    ),
}

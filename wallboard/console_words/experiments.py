"""The console's words for the Experiments tab: setting one up with its power shown
before the launch, the report with its charts, the warning against stopping early,
the assignment and its check from the published seed."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "tab_experiments": ("Experiments", "Experimente"),
    "type_experiment": ("Experiment set up", "Experiment angelegt"),
    "experiments_help": (
        "Try rule sets side by side: agents, teams or sites are assigned to arms at random, "
        "each arm scored by its own rules, and the report estimates the effect with its "
        "95 % interval.",
        "Regelwerke nebeneinander erproben: Agenten, Teams oder Standorte werden zufällig "
        "Gruppen zugeteilt, jede Gruppe nach ihren eigenen Regeln gewertet, und der Bericht "
        "schätzt die Wirkung mit ihrem 95-%-Intervall.",
    ),
    "set_up_experiment": ("Set up an experiment", "Experiment anlegen"),
    "experiment_name": ("Name", "Name"),
    "experiment_arms": ("Arms", "Gruppen"),
    "experiment_arm": ("Arm", "Gruppe"),
    "experiment_arm_rules": ("Rules of arm {arm}", "Regeln der Gruppe {arm}"),
    "experiment_first_arm": (
        "The first arm is the comparison: effects are each other arm minus it.",
        "Die erste Gruppe ist der Vergleich: Wirkungen sind jede andere Gruppe minus sie.",
    ),
    "add_arm": ("Add an arm", "Gruppe hinzufügen"),
    "rules_in_force_named": ("In force: {version}", "In Kraft: {version}"),
    "rules_version_named": ("Version {version}", "Version {version}"),
    "rules_builtin": ("The built-in defaults", "Die eingebauten Standardregeln"),
    "rules_the_draft": ("The draft (not published)", "Der Entwurf (nicht veröffentlicht)"),
    "experiment_unit": ("Assign", "Zuteilen"),
    "unit_agent": ("Agents", "Agenten"),
    "unit_team": ("Teams", "Teams"),
    "unit_site": ("Sites", "Standorte"),
    "unit_help": (
        "Assign teams or sites when their agents share what an arm changes (a team contest, "
        "a site's tombola).",
        "Teams oder Standorte zuteilen, wenn ihre Agenten teilen, was eine Gruppe ändert "
        "(ein Teamwettbewerb, die Tombola eines Standorts).",
    ),
    "experiment_strata": ("Balance by", "Ausgleichen nach"),
    "stratum_site": ("Site", "Standort"),
    "stratum_team": ("Team", "Team"),
    "stratum_tenure": ("Tenure", "Betriebszugehörigkeit"),
    "stratum_last_month_sales": ("Last month's sales", "Verkäufe im Vormonat"),
    "experiment_primary": ("Primary metric", "Hauptkennzahl"),
    "experiment_guardrails": ("Guardrails", "Leitplanken"),
    "guardrails_help": (
        "Watched beside the primary metric: a plan that sells more but cancels more should "
        "show it.",
        "Neben der Hauptkennzahl beobachtet: Ein Plan, der mehr verkauft, aber mehr "
        "storniert, soll es zeigen.",
    ),
    "xmetric_sales_per_agent_day": ("Sales per agent-day", "Verkäufe pro Agententag"),
    "xmetric_revenue_per_agent_day": ("Revenue per agent-day (€)", "Umsatz pro Agententag (€)"),
    "xmetric_cancellation_rate": ("Cancellation rate", "Stornoquote"),
    "xmetric_quality": ("Quality (0–100)", "Qualität (0–100)"),
    "xmetric_first_contact_resolution": ("Resolved at first contact", "Beim Erstkontakt gelöst"),
    "xmetric_referral_rate": ("Referral rate", "Weiterempfehlungsquote"),
    "experiment_starts": ("Starts", "Beginn"),
    "experiment_ends": ("Ends", "Ende"),
    "experiment_weeks": ("{n} weeks", "{n} Wochen"),
    "power_title": ("Before the launch: what it can see", "Vor dem Start: was es erkennen kann"),
    "power_sentence": (
        "With {units} units in {arms} arms over {weeks} weeks, this experiment sees an "
        "effect of {detectable} or more on {metric} (80 % of the time, at 5 %).",
        "Mit {units} Einheiten in {arms} Gruppen über {weeks} Wochen erkennt dieses "
        "Experiment eine Wirkung ab {detectable} auf {metric} (in 80 % der Fälle, bei 5 %).",
    ),
    "power_weeks": (
        "A 5 % effect needs {n} weeks.",
        "Eine Wirkung von 5 % braucht {n} Wochen.",
    ),
    "power_too_long": (
        "A 5 % effect needs more than a year: assign more units or pick another metric.",
        "Eine Wirkung von 5 % braucht mehr als ein Jahr: mehr Einheiten zuteilen oder eine "
        "andere Kennzahl wählen.",
    ),
    "power_unknown": (
        "Not enough history yet (four weeks) to estimate what it can see.",
        "Noch zu wenig Verlauf (vier Wochen), um abzuschätzen, was es erkennen kann.",
    ),
    "launch_experiment": ("Launch the experiment", "Experiment starten"),
    "launch_experiment_question": (
        "Launch it? The arms cannot be changed afterwards.",
        "Starten? Die Gruppen lassen sich danach nicht mehr ändern.",
    ),
    "experiment_launched": (
        "Launched: {name}. The units are assigned when it starts.",
        "Gestartet: {name}. Die Einheiten werden zu Beginn zugeteilt.",
    ),
    "experiments_list": ("Experiments", "Experimente"),
    "experiment_status": ("Status", "Status"),
    "status_scheduled": ("Scheduled", "Geplant"),
    "status_running": ("Running", "Läuft"),
    "status_ended": ("Ended", "Beendet"),
    "retrospective": ("Retrospective", "Rückblickend"),
    "retrospective_note": (
        "Retrospective: set up after its start. Sales already in the log keep the rules "
        "they were scored by; read the result as an analysis of the past.",
        "Rückblickend: nach dem Beginn angelegt. Verkäufe, die schon im Log standen, "
        "behalten die Regeln, nach denen sie gewertet wurden; das Ergebnis ist eine "
        "Auswertung der Vergangenheit.",
    ),
    "show_report": ("Report", "Bericht"),
    "experiment_report": ("Report: {name}", "Bericht: {name}"),
    "early_warning": (
        "Still running until {ends}. Do not stop early: the interval holds 95 % of the time "
        "at the planned end, and stopping at the first interval clear of zero finds effects "
        "that are not there.",
        "Läuft noch bis {ends}. Nicht vorzeitig abbrechen: Das Intervall trifft in 95 % der "
        "Fälle am geplanten Ende, und wer beim ersten Intervall ohne die Null aufhört, findet "
        "Wirkungen, die es nicht gibt.",
    ),
    "not_started": (
        "Not started yet: the units are assigned at {starts}.",
        "Noch nicht begonnen: Die Einheiten werden am {starts} zugeteilt.",
    ),
    "results": ("Results", "Ergebnisse"),
    "results_help": (
        "Effect: each arm minus the first, in the metric's unit. An interval that holds "
        "zero says the experiment could not tell the arms apart, not that they are the same.",
        "Wirkung: jede Gruppe minus die erste, in der Einheit der Kennzahl. Ein Intervall, "
        "das die Null enthält, heißt: Das Experiment konnte die Gruppen nicht unterscheiden – "
        "nicht, dass sie gleich sind.",
    ),
    "xm_metric": ("Metric", "Kennzahl"),
    "xm_effect": ("Effect", "Wirkung"),
    "xm_relative": ("Relative", "Relativ"),
    "xm_interval": ("95 % interval", "95-%-Intervall"),
    "xm_n": ("Agents per arm", "Agenten je Gruppe"),
    "xm_method": ("Method", "Verfahren"),
    "xm_primary": ("primary", "Haupt"),
    "always_valid": (
        "valid at any look: [{low}, {high}]",
        "bei jedem Blick gültig: [{low}, {high}]",
    ),
    "no_interval_yet": ("no interval yet", "noch kein Intervall"),
    "clear_of_zero": ("clear of zero", "ohne die Null"),
    "holds_zero": ("holds zero", "enthält die Null"),
    "chart_over_time": ("{metric} per day and arm", "{metric} je Tag und Gruppe"),
    "chart_effect": (
        "Effect relative to arm {arm}, with its 95 % interval",
        "Wirkung relativ zu Gruppe {arm}, mit 95-%-Intervall",
    ),
    "chart_day": ("Day", "Tag"),
    "chart_relative": ("Effect (% of arm {arm})", "Wirkung (% von Gruppe {arm})"),
    "no_results_yet": ("No results yet.", "Noch keine Ergebnisse."),
    "counterfactual": ("The rules alone", "Nur die Regeln"),
    "counterfactual_help": (
        "What each arm's rules would have paid the same agents for the same sales (points "
        "and commission; gates and prizes aside). It shows what a plan costs for the same "
        "work; the results above show how the work changed.",
        "Was die Regeln jeder Gruppe denselben Agenten für dieselben Verkäufe gezahlt hätten "
        "(Punkte und Provision; Schwellen und Preise außen vor). Es zeigt, was ein Plan für "
        "dieselbe Arbeit kostet; die Ergebnisse oben zeigen, wie sich die Arbeit änderte.",
    ),
    "agents_of_arm": ("Agents of arm {arm} ({n} sales)", "Agenten der Gruppe {arm} ({n} Verkäufe)"),
    "paid_under": ("Under the rules of {arm}", "Nach den Regeln von {arm}"),
    "xm_points": ("points", "Punkte"),
    "percentage_points": ("pts", "Pp."),
    "assignment": ("Assignment", "Zuteilung"),
    "assignment_summary": ("{n} units: {counts}", "{n} Einheiten: {counts}"),
    "show_assignment": ("Show every unit", "Alle Einheiten zeigen"),
    "xm_unit": ("Unit", "Einheit"),
    "xm_stratum": ("Stratum", "Schicht"),
    "seed_hash_label": (
        "Seed hash (published at the start)",
        "Seed-Hash (zu Beginn veröffentlicht)",
    ),
    "seed_label": ("Seed (revealed at the end)", "Seed (am Ende offengelegt)"),
    "seed_not_yet": ("revealed when the experiment ends", "wird am Ende offengelegt"),
    "verify_seed": ("Verify from the published seed", "Mit dem veröffentlichten Seed prüfen"),
    "assignment_verified": (
        "Verified: the seed matches its hash and gives this assignment.",
        "Geprüft: Der Seed passt zu seinem Hash und ergibt diese Zuteilung.",
    ),
    "assignment_not_verified": (
        "Not verified: {why}",
        "Nicht bestätigt: {why}",
    ),
    "seed_hash_differs": (
        "the seed does not match the published hash",
        "der Seed passt nicht zum veröffentlichten Hash",
    ),
    "assignment_differs": (
        "the seed gives another assignment",
        "der Seed ergibt eine andere Zuteilung",
    ),
    "needs_secure_page": (
        "the browser checks only on an https page",
        "der Browser prüft nur auf einer https-Seite",
    ),
    "export_csv": ("Export CSV", "CSV exportieren"),
    "power_block": ("Power at the start", "Teststärke zu Beginn"),
}

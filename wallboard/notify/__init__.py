"""Notifications out: the fold's changes told to Slack, Teams, e-mail or a signed
webhook, by a manager's rules, delivered at least once.

``rules`` reads the ``notification_rule`` events from the log; ``outbox`` turns the
changes of each folded event into outbox entries (one per event and rule, keyed by
both); ``deliverer`` sends them, with retries and a dead-letter list; ``messages``
words them (``words``, English and German) as a public board names people;
``channels`` holds each channel's settings and secrets (kept in the store, never in
the log) and ``slack``, ``teams``, ``mail``, ``webhook`` each speak one format.
"""

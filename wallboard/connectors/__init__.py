"""Connectors: other systems (a CRM, a help desk, the telephony) feeding the log.

A connector receives a system's own payloads at ``POST /hooks/{name}``, checks
them by that system's signature scheme, records them as they came (its inbox,
beside the log and never in it), and turns each into product events through its
mapping. See the README's "Connectors" section.
"""

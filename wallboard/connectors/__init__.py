"""Connectors: what brings other systems' events into the log."""

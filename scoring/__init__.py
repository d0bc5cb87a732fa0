"""Scoring: a pure, deterministic fold of the event log into points and prizes."""

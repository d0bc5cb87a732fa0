"""Leagues: virtual football seasons between sites, played with their sales."""

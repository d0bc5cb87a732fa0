"""Experiments: A/B analysis of incentive rules (issue 23)."""

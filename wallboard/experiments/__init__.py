"""Experiments in the shell: set up, assigned, measured, reported (README: "Experiments")."""

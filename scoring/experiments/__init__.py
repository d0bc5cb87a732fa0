"""Experiments: incentive rule sets tried side by side on randomly assigned arms.

``contract.py`` checks an ``experiment`` event, ``assignment.py`` is the seeded,
stratified randomisation anyone can rerun, ``units.py`` reads the units and
their strata off the fold, ``record.py`` holds a running experiment in the
timeline, and ``feature.py`` folds the events and says which rules an agent's
sale is scored by.
"""

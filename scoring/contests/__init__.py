"""Contests in the fold: team battles, 1v1 challenges, knockout cups and races.

Each format is a small module over one shared model (``model.py``): a contest
is launched by a ``contest`` event and plays in runs (one, or one per day, week
or month with ``repeat``); sales and contacts add to the participants' scores
through the lifecycle hooks (``feature.py``); a run is decided when its end
plus the grace period passes on the log's clock, provisional while a sale it
counts is still in its cancellation window, final when the last one passes.
"""

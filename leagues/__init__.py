"""Leagues: virtual football seasons between sites, played with their sales.

Pure like ``scoring``: no I/O and no clock.
"""

from .errors import LeagueError
from .fixtures import breaks, round_robin
from .table import TIEBREAKERS, Standing, form, standings

__all__ = ["TIEBREAKERS", "LeagueError", "Standing", "breaks", "form", "round_robin", "standings"]

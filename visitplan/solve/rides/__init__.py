"""The rides, the last stage, day by day with the Schedule fixed.

``requests`` says what a day's rides must do and fits one ride into a
window; ``planner`` plans a day (who rides together, when, in which vehicle)
by ``day_model``, a CP-SAT model of the day, and falls back on ``greedy``
where the model is too large or finds nothing; ``timing`` then moves each ride as late (to a session) or
as early (to the hotel) as the rules let it; ``days`` makes every day's
requests from a Schedule and collects the legs.
"""

from .day_model import RIDE_GOALS
from .days import Served, serve, stops_of
from .planner import MODEL_SIZE, RidePlanner
from .requests import DayRides, Request, RideFailure, fit, group_requests

__all__ = [
    "MODEL_SIZE",
    "RIDE_GOALS",
    "DayRides",
    "Request",
    "RideFailure",
    "RidePlanner",
    "Served",
    "fit",
    "group_requests",
    "serve",
    "stops_of",
]

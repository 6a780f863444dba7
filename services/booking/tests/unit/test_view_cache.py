import json
from datetime import datetime

from services.booking.service_layer.handlers import ViewCache
from shared.clock import BEIJING


def at(hour, minute=0, second=0):
    return datetime(2026, 12, 4, hour, minute, second, tzinfo=BEIJING)


def test_R7_2_view_is_loaded_once_per_second_per_process_not_per_request():
    loads = []

    def load():
        loads.append(1)
        return {"n": len(loads)}

    cache = ViewCache(max_age=60)
    bodies = {cache.get(load, at(10)) for _ in range(100)}
    assert len(loads) == 1 and json.loads(bodies.pop()) == {"n": 1}


def test_R7_1_view_reloads_at_once_when_the_window_opens_or_closes():
    loads = []
    cache = ViewCache(max_age=60)

    def load():
        loads.append(1)
        return {}

    cache.get(load, at(8, 59, 59))
    cache.get(load, at(9, 0, 0))
    cache.get(load, at(17, 59, 59))
    cache.get(load, at(18, 0, 0))
    assert len(loads) == 3  # before 9, open (9:00 and 17:59:59 share one), after 18


def test_view_cache_with_zero_age_always_loads():
    loads = []
    cache = ViewCache(max_age=0)
    for _ in range(3):
        cache.get(lambda: loads.append(1) or {}, at(10))
    assert len(loads) == 3

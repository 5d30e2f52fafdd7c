"""Load scenarios for the two-instance rehearsal (bench/cluster.sh runs them through nginx).

    locust -f bench/locustfile.py --headless -H http://127.0.0.1:8100 Browser
    locust -f bench/locustfile.py --headless -H http://127.0.0.1:8100 Official -u 500 -r 100

Browser: the catalogue, a filtered search and programme pages, as visitors do.
Official: logs in and opens the registration form ahead of time, waits for the opening
(BURST_OPENS_AT, a Unix time; at once when unset), registers once, then stops: 500 of them
press "Register" in the same second.
"""

import itertools
import os
import random
import re
import time

import gevent
from locust import HttpUser, between, task
from locust.exception import StopUser

PASSWORD = "burst-opening-lantern-2026"  # noqa: S105 — rehearsal accounts (bench/cluster_data.py)
BURST_SLUG = "peer-review-process-opening-burst"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
THEMES = ["urban_governance", "water_management", "smart_city", "climate_change", "housing"]

_numbers = itertools.count(1)
OPENS_AT = float(os.environ.get("BURST_OPENS_AT", "0"))


def _csrf(response) -> str:
    match = CSRF.search(response.text)
    if match is None:
        response.failure("no CSRF token on the page")
        raise StopUser()
    return match.group(1)


class Browser(HttpUser):
    """A visitor looking through the catalogue."""

    wait_time = between(0.5, 2)

    @task(3)
    def catalogue(self):
        self.client.get("/programmes", name="catalogue")

    @task(2)
    def filtered(self):
        theme = random.choice(THEMES)
        self.client.get(f"/programmes?theme={theme}&open=1", name="catalogue filtered")

    @task(4)
    def programme(self):
        n = random.randrange(200)
        self.client.get(f"/programmes/bench-programme-{n:04d}", name="programme page")


class Official(HttpUser):
    """One official: log in and open the form early, register at the opening, done."""

    wait_time = between(0, 0.5)

    def on_start(self):
        self.email = f"official{next(_numbers):04d}@bench.example"
        with self.client.get("/account/login", name="login form", catch_response=True) as page:
            token = _csrf(page)
        with self.client.post(
            "/account/login",
            data={"csrf_token": token, "email": self.email, "password": PASSWORD},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")
                raise StopUser()
        with self.client.get(
            f"/programmes/{BURST_SLUG}/register", name="registration form", catch_response=True
        ) as page:
            self.token = _csrf(page)

    @task
    def register(self):
        gevent.sleep(max(0.0, OPENS_AT - time.time()))
        with self.client.post(
            f"/programmes/{BURST_SLUG}/register",
            data={
                "csrf_token": self.token,
                "submitted": "1",
                "consent_data": "y",
                "motivation": "Peer learning.",
            },
            name="register",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"registration answered {response.status_code}")
        raise StopUser()

"""Locust users for `make loadtest`: board members reading, officers editing.

The driver (scripts/loadtest/run.py) discovers the URLs on the running data, checks each once
for the role that will read it, signs the users in and writes all that to $LOADTEST_PLAN
(JSON); each simulated user sticks to one of the app servers in $LOADTEST_HOSTS, alternately.
Every response time is also written to $LOADTEST_RAW, so the driver can compute exact
percentiles per page and per group.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
from collections import defaultdict
from typing import Any

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"]).read())  # noqa: SIM115
HOSTS = itertools.cycle(os.environ["LOADTEST_HOSTS"].split(","))
SESSIONS = {role: itertools.cycle(cookies) for role, cookies in PLAN["sessions"].items()}
LOCK = threading.Lock()
RAW: dict[str, list[float]] = defaultdict(list)
VERSION = re.compile(r'name="version" value="(\d+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.request.add_listener
def record(name: str, response_time: float, exception: Any, **kwargs: Any) -> None:
    RAW[name].append(response_time if exception is None else -response_time)


@events.quitting.add_listener
def dump(**kwargs: Any) -> None:
    with open(os.environ["LOADTEST_RAW"], "w") as stream:
        json.dump(RAW, stream)


class SignedInUser(HttpUser):
    abstract = True
    role = ""
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        # Signed in beforehand by the driver (sessions live in the database, so one session
        # works on either app server): the timed run measures pages, not password hashing.
        with LOCK:
            self.client.base_url = next(HOSTS)
            cookie = next(SESSIONS[self.role])
        self.client.cookies.set(PLAN["session_cookie_name"], cookie)

    def read(self, entry: dict[str, str]) -> None:
        with self.client.get(entry["url"], name=entry["name"], catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif entry["group"] == "pdf" and not response.content.startswith(b"%PDF-"):
                response.failure("not a PDF")


class BoardMember(SignedInUser):
    """Reads the dashboard, bodies, plans and update reports; downloads PDFs."""

    weight = 3
    role = "board"

    @task(6)
    def page(self) -> None:
        self.read(random.choice(PLAN["pages"]))

    @task(3)
    def report(self) -> None:
        if PLAN["reports"]:
            self.read(random.choice(PLAN["reports"]))

    @task(1)
    def pdf(self) -> None:
        if PLAN["pdfs"]:
            self.read(random.choice(PLAN["pdfs"]))


class Officer(SignedInUser):
    """Reads pages and edits plan rows (a conflict, 409, is a correct answer, not an error)."""

    weight = 1
    role = "officer"

    @task(3)
    def page(self) -> None:
        self.read(random.choice(PLAN["pages"] + PLAN["officer_pages"]))

    @task(1)
    def report(self) -> None:
        if PLAN["officer_reports"]:
            self.read(random.choice(PLAN["officer_reports"]))

    @task(2)
    def edit_row(self) -> None:
        if not PLAN["rows"]:
            return
        row = random.choice(PLAN["rows"])
        form = self.client.get(row["edit_url"], name="edit form plans:row_edit")
        version = VERSION.search(form.text)
        token = CSRF.search(form.text)
        if not version or not token:
            return
        data = {**row["fields"], "version": version.group(1), "csrfmiddlewaretoken": token.group(1)}
        data["progress"] = f"{row['fields']['progress']} (checked {random.randint(1, 10**6)})"
        with self.client.post(
            row["edit_url"], data, name="save plans:row_edit", allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code in {302, 409}:
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")

"""`make loadtest`: two gunicorn app servers on loopback against one PostgreSQL, driven by locust
(20 users, 60 s), then the contention check: 10 clients save the same plan row at the same
moment, repeatedly. Figures go to var/loadtest.json: the latest run at the top level, and
every run kept under "runs" by its shape (e.g. "20u-60s-2x2w", "100u-120s-2x2w").

Everything listens on 127.0.0.1 only and every phase has a time limit.

    python scripts/loadtest/run.py [--duration 60] [--users 20] [--rounds 20]
        [--servers 2] [--workers 2] [--page-target 200] [--report-target 500]
    (issue 18's run: --users 100 --duration 120 --servers 2 --workers 2, i.e. four gunicorn
    workers, --page-target 150 --report-target 300)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/compact_loadtest (default)
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var"
WORK = VAR / "loadtest"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/compact_loadtest"
PASSWORD = "load-test-password-not-for-production"  # noqa: S105 - loopback test accounts
PAGE_TARGET_MS = 200
REPORT_TARGET_MS = 500


def log(message: str) -> None:
    print(f"[loadtest {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COMPACT_TEST"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DATABASE_URL=database_url,
        VAR_DIR=str(WORK),
        MEDIA_ROOT=str(WORK / "media"),
        # Plain HTTP on loopback: no TLS redirect, cookies without the Secure flag.
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        CACHE_URL="db://compact_cache",
        AXES_FAILURE_LIMIT="1000",
        # The simulated officers sign in with a session made here, not through the two-step
        # form: requiring the second step would send every officer request to enrolment.
        MFA_REQUIRED="0",
        LOG_LEVEL="ERROR",
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="compact.settings",
    )
    return env


def ensure_database(database_url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            log(f"creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def vacuum(database_url: str) -> None:
    """VACUUM (ANALYZE) the load-test database before the load, so that each run starts from
    the state a database that vacuums itself keeps. A PostgreSQL with autovacuum off (as on
    the shared development machines) keeps every earlier run's dead rows: after five runs the
    plan rows' table held 7,059 dead tuples beside 2,456 live ones, which every read of the
    plan scans past."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True, connect_timeout=10) as connection:
        connection.execute("VACUUM (ANALYZE)")


def manage(env: dict[str, str], *args: str, timeout: int = 300) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=timeout)


def prepare(env: dict[str, str]) -> None:
    log("migrate, cache table, static files, demo data, the benchmark's synthetic plan")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "load_demo", "--force")
    manage(env, "make_synthetic_plan", "--slug", "bench-plan", timeout=600)


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def make_users(contention_clients: int) -> tuple[str, str, list[str]]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from compact.platform.access import Role

    users = get_user_model().objects
    made = []
    for username, role in [("loadtest-board", Role.BOARD), ("loadtest-officer", Role.OFFICER)] + [
        (f"loadtest-officer-{n}", Role.OFFICER) for n in range(contention_clients)
    ]:
        user, _ = users.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=str(role)))
        made.append(username)
    return made[0], made[1], made[2:]


def _try_reverse(name: str, notes: list[str], **kwargs: Any) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        notes.append(f"skipped {name}: no such URL on this branch")
        return None


def discover(board_user: str, officer_user: str) -> tuple[dict[str, Any], list[str]]:
    """The URLs the simulated users visit, from what exists in this build and this data."""
    from django.apps import apps

    from compact.models import Body

    notes: list[str] = []
    plan: dict[str, Any] = {
        "password": PASSWORD,
        "board_user": board_user,
        "officer_user": officer_user,
        "pages": [],
        "officer_pages": [],
        "reports": [],
        "officer_reports": [],
        "pdfs": [],
        "rows": [],
    }

    def add(group: str, name: str, **kwargs: Any) -> None:
        url = _try_reverse(name, notes, **kwargs)
        if url:
            plan[group].append({"group": group.rstrip("s"), "name": f"{group} {name}", "url": url})

    add("pages", "home")
    add("pages", "compact:body_list")
    add("pages", "compact:organisation_list")
    for slug in Body.objects.values_list("slug", flat=True)[:4]:
        add("pages", "compact:body_detail", slug=slug)
    add("officer_pages", "compact:person_list")
    # Every parameter-free page of the apps (registers, lists, reports): whatever this build
    # has; check_urls() keeps those the role may read and files PDFs under "pdfs".
    for name in parameter_free_url_names():
        for group in ("pages", "officer_pages"):
            if not any(entry["name"] == f"{group} {name}" for entry in plan[group]):
                add(group, name)

    try:
        plan_model = apps.get_model("plans", "ImplementationPlan")
    except LookupError:
        notes.append("plans are not in this build: no plan pages, reports, PDFs or row edits")
        return plan, notes
    add("officer_pages", "plans:plan_list")  # the editor: officers only
    # The demo plan and the synthetic 2,400-row plan, both read and edited.
    for slug in plan_model.objects.order_by("pk").values_list("slug", flat=True)[:2]:
        add("officer_pages", "plans:plan_detail", slug=slug)
        add("pages", "plans:update_list", slug=slug)
        # The draft report of changes since the last update: a report, read by officers.
        add("officer_reports", "plans:draft_changes", slug=slug)
        try:
            update_model = apps.get_model("plans", "PlanUpdate")
            numbers = list(
                update_model.objects.filter(plan__slug=slug)
                .exclude(issued_at=None)
                .order_by("-number")
                .values_list("number", flat=True)[:3]
            )
        except (LookupError, Exception) as exc:  # the field names of another build
            notes.append(f"no plan updates found: {exc}")
            numbers = []
        for number in numbers:
            add("reports", "plans:update_report", slug=slug, number=number)
            add("reports", "plans:update_changes", slug=slug, number=number)
        for number in numbers[:1]:
            add("pdfs", "plans:update_report_pdf", slug=slug, number=number)
    plan["rows"] = discover_rows(notes)
    return plan, notes


def signed_in_client(username: str) -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(
        get_user_model().objects.get(username=username),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    return client


def check_urls(plan: dict[str, Any], notes: list[str]) -> None:
    """Keep only the URLs the role that visits them may read (one warm-up request each)."""
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)
    clients = {
        "board": signed_in_client(plan["board_user"]),
        "officer": signed_in_client(plan["officer_user"]),
    }
    for group, role in [("pages", "board"), ("reports", "board"), ("officer_pages", "officer"),
                        ("officer_reports", "officer"), ("pdfs", "board")]:  # fmt: skip
        kept = []
        for entry in plan[group]:
            response = clients[role].get(entry["url"])
            body = b"".join(response.streaming_content) if response.streaming else response.content
            is_pdf = body.startswith(b"%PDF-")
            if response.status_code != 200 or (group == "pdfs" and not is_pdf):
                notes.append(f"dropped {entry['url']}: {response.status_code} for a {role} user")
            elif group == "pdfs" or (
                not is_pdf and response.get("Content-Type", "").startswith("text/html")
            ):
                kept.append(entry)
            elif is_pdf and role == "board":
                name = entry["name"].split(" ", 1)[1]
                plan["pdfs"].append({**entry, "group": "pdf", "name": f"pdfs {name}"})
        plan[group] = kept


def sign_in_sessions(plan: dict[str, Any], users: int) -> None:
    from django.conf import settings

    plan["session_cookie_name"] = settings.SESSION_COOKIE_NAME
    plan["sessions"] = {
        role: [
            signed_in_client(plan[f"{role}_user"]).cookies[settings.SESSION_COOKIE_NAME].value
            for _ in range(users)
        ]
        for role in ("board", "officer")
    }


SKIP_WORDS = (
    "export", "csv", "import", "logout", "start", "issue", "raise", "add", "new", "create", "open",
    "signup", "settings", "direct",
)  # fmt: skip


def parameter_free_url_names() -> list[str]:
    """Named GET-able URLs of our apps that take no arguments."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[str] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or ""
                if entry.pattern.converters or inner in {"admin", "ops"}:
                    continue
                walk(entry.url_patterns, f"{namespace}{inner}:" if inner else namespace)
            elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.converters:
                name = f"{namespace}{entry.name}"
                if namespace and not any(word in entry.name for word in SKIP_WORDS):
                    found.append(name)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


ROW_FIELDS = ("outcome", "timescale", "responsibility", "progress", "status")


def discover_rows(notes: list[str], limit: int = 40) -> list[dict[str, Any]]:
    from django.apps import apps

    try:
        outcome_model = apps.get_model("plans", "Outcome")
    except LookupError:
        return []
    if "version" not in {field.name for field in outcome_model._meta.get_fields()}:
        notes.append("plans.Outcome has no version field: no row edits")
        return []
    rows = []
    for row in outcome_model.objects.order_by("pk")[:limit]:
        url = _try_reverse("plans:row_edit", notes, pk=row.pk)
        if not url:
            return []
        rows.append(
            {"pk": row.pk, "edit_url": url, "fields": {f: getattr(row, f) for f in ROW_FIELDS}}
        )
    return rows


def start_server(env: dict[str, str], port: int, workers: int = 2) -> subprocess.Popen:
    command = [
        str(BIN / "gunicorn"), "compact.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", "2", "--timeout", "90", "--log-level", "warning",
    ]  # fmt: skip
    log_file = (WORK / f"gunicorn-{port}.log").open("w")
    return subprocess.Popen(
        command, cwd=ROOT, env=env, start_new_session=True, stdout=log_file, stderr=log_file
    )


def wait_until_up(url: str, timeout: float = 60) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/health/", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up within {timeout} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return round(ordered[index], 1)


def run_locust(env: dict[str, str], hosts: list[str], plan: dict[str, Any], args: Any) -> dict:
    plan_file, raw_file = WORK / "plan.json", WORK / "raw.json"
    plan_file.write_text(json.dumps(plan, indent=2))
    raw_file.unlink(missing_ok=True)
    locust_env = {
        **env,
        "LOADTEST_PLAN": str(plan_file),
        "LOADTEST_RAW": str(raw_file),
        "LOADTEST_HOSTS": ",".join(hosts),
    }
    command = [
        str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
        "--users", str(args.users), "--spawn-rate", "5",
        "--run-time", f"{args.duration}s",
        "--host", hosts[0], "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING",
    ]  # fmt: skip
    log(f"locust: {args.users} users for {args.duration} s against {', '.join(hosts)}")
    subprocess.run(command, cwd=ROOT, env=locust_env, timeout=args.duration + 120, check=False)
    raw: dict[str, list[float]] = json.loads(raw_file.read_text())
    pages = {}
    for name, times in sorted(raw.items()):
        ok = [t for t in times if t >= 0]
        pages[name] = {
            "requests": len(times),
            "errors": len(times) - len(ok),
            "p50_ms": percentile(ok, 0.50),
            "p95_ms": percentile(ok, 0.95),
            "p99_ms": percentile(ok, 0.99),
        }
    everything = [
        t for name, ts in raw.items() if not name.startswith("login") for t in ts if t >= 0
    ]
    ordinary = [
        t
        for n, ts in raw.items()
        if n.startswith(("pages ", "officer_pages "))
        for t in ts
        if t >= 0
    ]
    reports = [
        t
        for n, ts in raw.items()
        if n.startswith(("reports ", "officer_reports "))
        for t in ts
        if t >= 0
    ]
    return {
        "requests": sum(len(ts) for ts in raw.values()),
        "errors": sum(1 for ts in raw.values() for t in ts if t < 0),
        "p50_ms": percentile(everything, 0.50),
        "p95_ms": percentile(ordinary, 0.95),
        "p99_ms": percentile(everything, 0.99),
        "all_p95_ms": percentile(everything, 0.95),
        "report_p95_ms": percentile(reports, 0.95) if reports else None,
        "requests_per_second": round(sum(len(ts) for ts in raw.values()) / args.duration, 1),
        "pages": pages,
    }


def _save_once(
    session: Any,
    url: str,
    base: str,
    data: dict[str, Any],
    barrier: threading.Barrier,
    results: list[tuple[int, str]],
    index: int,
) -> None:
    """One client's save, released together with the others by the barrier."""
    import requests

    barrier.wait(timeout=30)
    try:
        response = session.post(
            url, data, allow_redirects=False, timeout=30,
            headers={"X-CSRFToken": session.cookies["csrftoken"], "Referer": base},
        )  # fmt: skip
        results[index] = (response.status_code, data["progress"])
    except requests.RequestException:
        results[index] = (-1, data["progress"])


def contention(hosts: list[str], usernames: list[str], rows: list[dict], rounds: int) -> dict:
    """10 clients save the same row at the same moment, `rounds` times."""
    import requests
    from django.apps import apps

    if not rows:
        note = "TODO: needs plans-core's row editor (plans:row_edit)"
        return {
            "contended_saves": 0,
            "landed": 0,
            "conflicts": 0,
            "lost": 0,
            "contention_note": note,
        }
    outcome_model = apps.get_model("plans", "Outcome")
    row = rows[0]
    from django.conf import settings

    sessions = []
    for index, username in enumerate(usernames):
        base = hosts[index % len(hosts)]
        session = requests.Session()
        cookie = signed_in_client(username).cookies[settings.SESSION_COOKIE_NAME].value
        session.cookies.set(settings.SESSION_COOKIE_NAME, cookie)
        session.get(base + row["edit_url"], timeout=30)  # sets the CSRF cookie
        sessions.append((base, session))

    history_before = outcome_model.history.filter(id=row["pk"]).count()
    landed_texts: list[str] = []
    conflicts = errors = 0
    barrier = threading.Barrier(len(sessions))
    for round_number in range(rounds):
        current = outcome_model.objects.get(pk=row["pk"])
        fields = {f: getattr(current, f) for f in ROW_FIELDS}
        results: list[tuple[int, str]] = [(0, "")] * len(sessions)
        threads = []
        for index, (base, session) in enumerate(sessions):
            text = f"Contention round {round_number} client {index}"
            data = {**fields, "progress": text, "version": current.version, "reason": "load test"}
            threads.append(
                threading.Thread(
                    target=_save_once,
                    args=(session, base + row["edit_url"], base, data, barrier, results, index),
                )
            )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        for status, text in results:
            if status == 302:
                landed_texts.append(text)
            elif status == 409:
                conflicts += 1
            else:
                errors += 1
    history = list(
        outcome_model.history.filter(id=row["pk"]).order_by("history_date", "history_id")
    )[history_before:]
    history_texts = [entry.progress for entry in history]
    final = outcome_model.objects.get(pk=row["pk"]).progress
    lost = sum(1 for text in landed_texts if text not in history_texts)
    if landed_texts and final != landed_texts[-1]:
        lost += 1
    # Put the demo text back so the plan reads normally afterwards.
    from plans import services

    services.outcome_update(
        outcome=outcome_model.objects.get(pk=row["pk"]),
        expected_version=None,
        data={"progress": row["fields"]["progress"]},
        actor=None,
        reason="load test: restore demo text",
    )
    return {
        "contended_saves": len(sessions) * rounds,
        "landed": len(landed_texts),
        "conflicts": conflicts,
        "lost": lost,
        "contention_errors": errors,
        "history_entries_added": len(history),
        "history_matches_landed": history_texts == landed_texts,
        "final_text_is_last_landed": bool(landed_texts) and final == landed_texts[-1],
    }


def run_key(figures: dict[str, Any]) -> str:
    workers = figures.get("workers_per_server", 2)
    return (
        f"{figures.get('users')}u-{figures.get('duration_s')}s-"
        f"{figures.get('app_servers')}x{workers}w"
    )


def with_earlier_runs(out: Path, figures: dict[str, Any]) -> dict[str, Any]:
    """The latest figures at the top level (as before) plus every run by its shape under
    "runs", so the 100-user run sits beside the 20-user one."""
    runs: dict[str, Any] = {}
    if out.exists():
        try:
            earlier = json.loads(out.read_text())
        except (OSError, ValueError):
            earlier = {}
        runs = dict(earlier.pop("runs", {}) or {})
        if earlier.get("users"):
            runs.setdefault(run_key(earlier), earlier)
    runs[run_key(figures)] = {key: value for key, value in figures.items() if key != "runs"}
    return {**figures, "runs": runs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--clients", type=int, default=10, help="contention clients")
    parser.add_argument("--rounds", type=int, default=20, help="contention rounds")
    parser.add_argument("--servers", type=int, default=2, help="gunicorn app servers")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--page-target", type=int, default=PAGE_TARGET_MS, help="p95 ms")
    parser.add_argument("--report-target", type=int, default=REPORT_TARGET_MS, help="p95 ms")
    args = parser.parse_args()
    if min(args.servers, args.workers, args.users, args.duration) < 1:
        log("--servers, --workers, --users and --duration must each be at least 1")
        return 2
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE
    if not database_url.startswith(("postgres://", "postgresql://")):
        log("the load test needs PostgreSQL: set DATABASE_URL=postgres://...")
        return 2
    host = urllib.parse.urlsplit(database_url).hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        log(f"refusing to load-test a database that is not on loopback ({host})")
        return 2
    WORK.mkdir(parents=True, exist_ok=True)
    env = environment(database_url)
    started = time.monotonic()
    ensure_database(database_url)
    prepare(env)
    log("vacuum and analyse the database (earlier runs' dead rows)")
    vacuum(database_url)
    django_setup(env)
    board_user, officer_user, contenders = make_users(args.clients)
    plan, notes = discover(board_user, officer_user)
    check_urls(plan, notes)
    sign_in_sessions(plan, args.users)
    for note in notes:
        log(f"note: {note}")
    ports = [free_port() for _ in range(args.servers)]
    servers = [start_server(env, port, args.workers) for port in ports]
    hosts = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url in hosts:
            wait_until_up(url)
        figures = run_locust(env, hosts, plan, args)
        if plan["rows"]:
            log(f"contention: {args.clients} clients x {args.rounds} rounds on one plan row")
        else:
            log("contention: skipped, this build has no plan row editor")
        figures.update(contention(hosts, contenders, plan["rows"], args.rounds))
    finally:
        for server in servers:
            stop(server)
    figures["notes"] = notes
    figures["duration_s"] = args.duration
    figures["users"] = args.users
    figures["app_servers"] = len(hosts)
    figures["workers_per_server"] = args.workers
    figures["targets"] = {"page_p95_ms": args.page_target, "report_p95_ms": args.report_target}
    figures["wall_time_s"] = round(time.monotonic() - started, 1)
    figures["load_avg"] = [round(value, 2) for value in os.getloadavg()]
    out = VAR / "loadtest.json"
    out.write_text(json.dumps(with_earlier_runs(out, figures), indent=2, sort_keys=True) + "\n")
    log(f"figures written to {out}")
    print(f"{'page':55} {'n':>6} {'err':>4} {'p50':>7} {'p95':>7} {'p99':>7}")
    for name, row in figures["pages"].items():
        print(f"{name[:55]:55} {row['requests']:6} {row['errors']:4} {row['p50_ms']:7} "
              f"{row['p95_ms']:7} {row['p99_ms']:7}")  # fmt: skip
    summary = {k: figures.get(k) for k in (
        "requests", "errors", "p95_ms", "report_p95_ms", "contended_saves", "landed",
        "conflicts", "lost")}  # fmt: skip
    print(json.dumps(summary))
    ok = (
        figures["errors"] == 0 and figures["lost"] == 0 and figures.get("contention_errors", 0) == 0
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

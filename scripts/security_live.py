"""The live stage of the security suite (`make security`, after the pytest marker): the real
server stack, production settings, real HTTP.

It makes a throw-away PostgreSQL database next to DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/test), migrates it and loads the demo, starts gunicorn on a
free loopback port with DEBUG=0, BEHIND_PROXY=1, TRUSTED_PROXY_COUNT=1 and a throw-away
SECRET_KEY, and plays nginx: each request carries X-Forwarded-Proto and an X-Forwarded-For that
ends with the client's address, as a proxy that appends would send it. It proves:

- sign-in lockout keys on the forwarded client: locking client A out does not lock client B;
- a client that writes extra X-Forwarded-For entries cannot take another client's identity,
  neither to escape its own lockout nor to lock someone else out;
- the public-PDF quota is per client;
- twelve simultaneous sign-ups from one client across the gunicorn workers pass a limit of 5
  exactly five times;
- the security headers (HSTS, CSP, nosniff, frame denial, referrer policy) and secure cookies.

Everything stops by itself: a watchdog ends the run after LIVE_SECONDS (default 180), and
gunicorn, the database and the temporary folder are removed whatever happens. The watchdog
guards against a hang; it is not a speed test (a run takes 35-55 s, most of it migrating and
loading the demo; on a busy shared machine the start alone once took 51 s, which the former
55 s limit failed).

    .venv/bin/python scripts/security_live.py            # exit status 0 when every check holds
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LIVE_SECONDS = int(os.environ.get("LIVE_SECONDS", "180"))
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/test"
FAILURE_LIMIT = 3
SIGNUP_LIMIT = 5
ALYS, BRYN, CERI, DILYS = "203.0.113.10", "198.51.100.20", "192.0.2.30", "203.0.113.44"
DEMO_PASSWORD = "compact-demo"  # noqa: S105 - the public demo logins' password (README)

# Run inside the app's own settings (manage.py shell): the demo, a public plan, the URLs.
SEED = """
import json
from django.core.management import call_command
from django.urls import reverse
from plans.models import ImplementationPlan
call_command("createcachetable")
call_command("load_demo", force=True, verbosity=0)
plan = ImplementationPlan.objects.order_by("pk").first()
plan.is_public = True
plan.save()
print("URLS=" + json.dumps({
    "login": reverse("login"),
    "health": reverse("health"),
    "signup": reverse("representatives:signup"),
    "pdf": reverse("plans:progress_pdf", args=[plan.slug]),
}))
"""


class Timeout(Exception):
    pass


def _watchdog(signum: int, frame: object) -> None:
    raise Timeout(f"the live stage took longer than {LIVE_SECONDS} s")


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str


@dataclass
class Visitor:
    """One browser behind the pretend nginx: its address, what X-Forwarded-For it sends
    itself (entries nginx would keep in front of the address it appends), its cookies."""

    port: int
    address: str
    claims: str = ""
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        forwarded = f"{self.claims}, {self.address}" if self.claims else self.address
        origin = f"https://127.0.0.1:{self.port}"
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": forwarded,
            "User-Agent": "compact-security-live",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = origin
            headers["Referer"] = origin + path
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            content = raw.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        for header in raw.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Response(raw.status, raw.headers, content)

    def csrf_form(self, path: str) -> str:
        """GET the page; the form's CSRF token (the cookie comes with it)."""
        page = self.request("GET", path).body
        marker = 'name="csrfmiddlewaretoken" value="'
        start = page.index(marker) + len(marker)
        return page[start : page.index('"', start)]

    def sign_in(self, login: str, username: str, password: str) -> int:
        token = self.csrf_form(login)
        form = {"csrfmiddlewaretoken": token, "username": username, "password": password}
        return self.request("POST", login, form).status


class Checks:
    def __init__(self) -> None:
        self.failures: list[str] = []

    def expect(self, what: str, ok: bool, detail: object = "") -> None:
        print(f"  {'ok  ' if ok else 'FAIL'} {what}" + ("" if ok else f"  ({detail})"))
        if not ok:
            self.failures.append(what)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run(command: list[str], env: dict[str, str], *, timeout: float) -> str:
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=max(timeout, 1)
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def remaining(deadline: float) -> float:
    return deadline - time.monotonic()


def admin_connection(url: str) -> object:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    return psycopg.connect(
        urllib.parse.urlunsplit(parts._replace(path="/postgres")),
        autocommit=True,
        connect_timeout=10,
    )


def check_headers(port: int, urls: dict[str, str], checks: Checks) -> None:
    print("Security headers")
    page = Visitor(port, ALYS).request("GET", urls["login"])
    expected = {
        "Strict-Transport-Security": "max-age=31536000",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Content-Security-Policy": "default-src 'self'",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    for name, value in expected.items():
        checks.expect(f"{name}: {value}", value in (page.headers.get(name) or ""), page.headers)
    cookie = page.headers.get("Set-Cookie") or ""
    checks.expect("CSRF cookie is Secure", "secure" in cookie.lower(), cookie)
    plain = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    plain.request("GET", urls["login"], headers={"Host": f"127.0.0.1:{port}"})
    redirect = plain.getresponse()
    plain.close()
    checks.expect("plain http is redirected to https", redirect.status == 301, redirect.status)


def check_lockout(port: int, urls: dict[str, str], checks: Checks) -> None:
    print("Sign-in lockout keys on the forwarded client")
    login = urls["login"]
    alys = Visitor(port, ALYS)
    for _ in range(FAILURE_LIMIT):
        alys.sign_in(login, "board", "wrong-guess")
    status = alys.sign_in(login, "board", DEMO_PASSWORD)
    checks.expect("client A is locked out", status == 429, status)
    bryn = Visitor(port, BRYN)
    status = bryn.sign_in(login, "board", DEMO_PASSWORD)
    checks.expect("client B signs in as the same user", status == 302, status)
    as_bryn = Visitor(port, ALYS, claims=BRYN)
    status = as_bryn.sign_in(login, "board", DEMO_PASSWORD)
    checks.expect("A writing B's address in X-Forwarded-For is still A", status == 429, status)
    ceri_as_bryn = Visitor(port, CERI, claims=f"{BRYN}, {BRYN}")
    for _ in range(FAILURE_LIMIT):
        ceri_as_bryn.sign_in(login, "officer", "wrong-guess")
    status = Visitor(port, BRYN).sign_in(login, "officer", DEMO_PASSWORD)
    checks.expect("C guessing under B's address does not lock B out", status == 302, status)
    status = Visitor(port, CERI).sign_in(login, "officer", DEMO_PASSWORD)
    checks.expect("... it locks C out", status == 429, status)


def check_public_pdf(port: int, urls: dict[str, str], checks: Checks) -> None:
    print("The public-PDF quota is per client (1 a minute here)")
    pdf = urls["pdf"]
    first = Visitor(port, ALYS).request("GET", pdf)
    checks.expect("A gets the PDF", first.status == 200, first.status)
    second = Visitor(port, ALYS).request("GET", pdf).status
    checks.expect("A's second is refused", second == 429, second)
    spoofed = Visitor(port, ALYS, claims=BRYN).request("GET", pdf).status
    checks.expect("A claiming B's address is still refused", spoofed == 429, spoofed)
    other = Visitor(port, BRYN).request("GET", pdf).status
    checks.expect("B still gets the PDF", other == 200, other)


def check_signups(port: int, urls: dict[str, str], checks: Checks, database: str) -> None:
    print(f"Twelve simultaneous sign-ups from one client, limit {SIGNUP_LIMIT}")
    import psycopg

    dilys = Visitor(port, DILYS)
    token = dilys.csrf_form(urls["signup"])
    barrier = threading.Barrier(12)
    statuses: list[int] = []

    def sign_up(number: int) -> None:
        visitor = Visitor(port, DILYS, cookies=dict(dilys.cookies))
        form = {
            "csrfmiddlewaretoken": token,
            "full_name": "Nia Williams",
            "organisation_name": "Testshire Carers",
            "email": f"nia{number}@example.org",
            "interest": "either",
            "interests": "Carers",
            "consent": "on",
        }
        barrier.wait()
        statuses.append(visitor.request("POST", urls["signup"], form).status)

    threads = [threading.Thread(target=sign_up, args=(n,), daemon=True) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with psycopg.connect(database, connect_timeout=10) as connection:
        stored = connection.execute(
            "select count(*) from representatives_signup where email like %s",
            ("nia%@example.org",),
        ).fetchone()[0]
    accepted = statuses.count(302)
    checks.expect(
        f"exactly {SIGNUP_LIMIT} accepted and stored, the rest refused",
        accepted == stored == SIGNUP_LIMIT and statuses.count(429) == 12 - SIGNUP_LIMIT,
        f"statuses {sorted(statuses)}, stored {stored}",
    )


def main() -> int:
    import psycopg

    started = time.monotonic()
    deadline = started + LIVE_SECONDS
    signal.signal(signal.SIGALRM, _watchdog)
    signal.alarm(LIVE_SECONDS)
    base = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE
    if not base.startswith(("postgres://", "postgresql://")):
        print(f"The live stage needs PostgreSQL; DATABASE_URL is {base!r}.", file=sys.stderr)
        return 2
    parts = urllib.parse.urlsplit(base)
    name = f"{parts.path.lstrip('/') or 'compact'}_security_live_{os.getpid()}"
    database = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    folder = Path(tempfile.mkdtemp(prefix="compact-security-live-"))
    (folder / "static").mkdir()
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "BEHIND_PROXY": "1",
        "TRUSTED_PROXY_COUNT": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
        "VAR_DIR": str(folder),
        "MEDIA_ROOT": str(folder / "media"),
        "STATIC_MANIFEST": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "AXES_FAILURE_LIMIT": str(FAILURE_LIMIT),
        "PUBLIC_PDF_PER_MINUTE": "1",
        "REPRESENTATIVES_SIGNUPS_PER_HOUR": str(SIGNUP_LIMIT),
        "LOG_LEVEL": "ERROR",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("COMPACT_TESTING", None)
    checks = Checks()
    server: subprocess.Popen[bytes] | None = None
    created = False
    try:
        with admin_connection(base) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        created = True
        print(f"Live stage: database {name}, gunicorn on 127.0.0.1:{port}")
        run([PYTHON, "manage.py", "migrate", "--noinput"], env, timeout=remaining(deadline))
        seeded = run([PYTHON, "manage.py", "shell", "-c", SEED], env, timeout=remaining(deadline))
        urls = json.loads(seeded.split("URLS=", 1)[1].splitlines()[0])
        log = (folder / "gunicorn.log").open("wb")
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "compact.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "3",
                "--timeout",
                "30",
                "--graceful-timeout",
                "2",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        while True:
            if server.poll() is not None:
                raise RuntimeError("gunicorn stopped while starting")
            try:
                if Visitor(port, "127.0.0.1").request("GET", urls["health"]).status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        print(f"Ready after {time.monotonic() - started:.1f} s")
        check_headers(port, urls, checks)
        check_lockout(port, urls, checks)
        check_public_pdf(port, urls, checks)
        check_signups(port, urls, checks, database)
    except (
        Timeout,
        RuntimeError,
        OSError,
        subprocess.TimeoutExpired,
        ValueError,
        psycopg.Error,
    ) as exc:
        checks.failures.append(str(exc))
        print(f"  FAIL {exc}")
    finally:
        signal.alarm(0)
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        server_log = folder / "gunicorn.log"
        if checks.failures and server_log.exists():
            print("gunicorn's log (last 40 lines):")
            print("\n".join(server_log.read_text(errors="replace").splitlines()[-40:]))
        if created:
            try:
                with admin_connection(base) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except psycopg.Error as exc:
                print(f"Could not drop the database {name}: {exc}", file=sys.stderr)
        shutil.rmtree(folder, ignore_errors=True)
    seconds = time.monotonic() - started
    if checks.failures:
        print(f"Live stage FAILED in {seconds:.1f} s: {len(checks.failures)} check(s).")
        return 1
    print(f"Live stage passed in {seconds:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

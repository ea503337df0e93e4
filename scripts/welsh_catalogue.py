"""Build the Welsh catalogue: extract every string, keep the translations we have, add new ones
from JSON files, check them, and compile.

    python scripts/welsh_catalogue.py [TRANSLATIONS.json ...] [--allow-missing] [--check]

A JSON file maps an English msgid (``"context\\x04msgid"`` for a string with a context) to its
Welsh text, or to a list of the four Welsh plural forms. The committed catalogue is read first,
so running it again keeps every translation; later files win over earlier ones. ``--check``
changes nothing and fails when a string in the code has no Welsh (what CI runs through
tests/i18n). The .mo is committed beside the .po, so a fresh clone reads Welsh without gettext.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po"
# Django's own Welsh plural rule (django/conf/locale/cy): four forms.
# Django's own Welsh catalogue leaves some strings our pages show (password rules, pagination,
# form errors) untranslated: we carry them, and our LOCALE_PATHS win over Django's.
SUPPLEMENT = ROOT / "locale" / "cy" / "django-supplement.json"
PLURAL_FORMS = "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;"
IGNORE = [".venv/*", "var/*", "static/vendor/*", "node_modules/*", "build/*", "tests/*"]
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{[^{}]*\}|</?[a-zA-Z][^>]*>")


def _key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def extract(into: Path) -> Path:
    """Run makemessages on a copy of the tree (it writes into the catalogue it finds), so
    extracting never touches the committed catalogue, even while tests read it."""
    tree = into / "tree"
    shutil.copytree(
        ROOT,
        tree,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "var", "vendor", "node_modules", "__pycache__", "*.mo", "tests"
        ),
    )
    cmd = [sys.executable, "manage.py", "makemessages", "-l", "cy", "--no-obsolete"]
    cmd.append("--no-location")
    for pattern in IGNORE:
        cmd += ["-i", pattern]
    env = dict(os.environ, DEBUG="1")
    subprocess.run(cmd, cwd=tree, env=env, check=True, capture_output=True)
    return tree / CATALOGUE.relative_to(ROOT)


def known_translations(paths: list[Path]) -> dict[str, str | list[str]]:
    known: dict[str, str | list[str]] = {}
    if CATALOGUE.exists():
        for entry in polib.pofile(str(CATALOGUE)):
            if entry.msgid_plural and any(entry.msgstr_plural.values()):
                known[_key(entry)] = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
            elif entry.msgstr:
                known[_key(entry)] = entry.msgstr
    for path in paths:
        known.update(json.loads(path.read_text(encoding="utf-8")))
    return known


def problems_of(entry: polib.POEntry) -> list[str]:
    """What is wrong with one entry's Welsh: missing, fuzzy or a placeholder lost."""
    where = f"{entry.msgid[:60]!r}"
    if "fuzzy" in entry.flags:
        return [f"{where}: marked fuzzy"]
    if entry.msgid_plural:
        forms = [entry.msgstr_plural.get(i, "") for i in range(4)]
        if not all(forms):
            return [f"{where}: a plural form has no Welsh"]
        wanted = placeholders(entry.msgid_plural)
        return [
            f"{where}: plural form {i} changes the placeholders"
            for i, form in enumerate(forms)
            if placeholders(form) != wanted and placeholders(form) != placeholders(entry.msgid)
        ]
    if not entry.msgstr:
        return [f"{where}: no Welsh"]
    if placeholders(entry.msgstr) != placeholders(entry.msgid):
        return [f"{where}: the Welsh changes the placeholders or markup"]
    return []


def build(extracted: Path, known: dict[str, str | list[str]]) -> polib.POFile:
    po = polib.pofile(str(extracted))
    po.header = (
        "Welsh catalogue of Compact Tracker: see docs/welsh.md (scripts/welsh_catalogue.py)."
    )
    po.metadata_is_fuzzy = False
    po.metadata.pop("POT-Creation-Date", None)  # no churn in the file on every rebuild
    po.metadata.update(
        {
            "Project-Id-Version": "Compact Tracker",
            "Language": "cy",
            "Language-Team": "Cymraeg",
            "PO-Revision-Date": "2026-12-03 00:00+0000",
            "Last-Translator": "Compact Tracker translators",
            "Content-Type": "text/plain; charset=UTF-8",
            "Plural-Forms": PLURAL_FORMS,
        }
    )
    present = {_key(entry) for entry in po}
    for item in json.loads(SUPPLEMENT.read_text(encoding="utf-8")) if SUPPLEMENT.exists() else []:
        entry = polib.POEntry(
            msgctxt=item["msgctxt"],
            msgid=item["msgid"],
            msgid_plural=item["msgid_plural"] or "",
            comment="Django's Welsh catalogue lacks this string.",
        )
        if _key(entry) not in present:
            known.setdefault(_key(entry), item["msgstr"])
            po.append(entry)
    for entry in po:
        if "fuzzy" in entry.flags:  # msgmerge's guess from a similar string: never trusted
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
        value = known.get(_key(entry))
        if value is None:
            continue
        if entry.msgid_plural:
            forms = value if isinstance(value, list) else [value] * 4
            entry.msgstr_plural = {i: forms[i] if i < len(forms) else forms[-1] for i in range(4)}
        else:
            entry.msgstr = value if isinstance(value, str) else value[0]
    return po


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("translations", nargs="*", type=Path)
    parser.add_argument("--allow-missing", action="store_true")
    parser.add_argument("--check", action="store_true", help="change nothing; fail on gaps")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        po = build(extract(Path(tmp)), known_translations(args.translations))
    problems = [problem for entry in po for problem in problems_of(entry)]
    for problem in problems[:50]:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} of {len(po)} strings need Welsh.", file=sys.stderr)
    if args.check:
        committed = polib.pofile(str(CATALOGUE)) if CATALOGUE.exists() else []
        stale = {_key(e) for e in po} - {_key(e) for e in committed}
        if stale:
            print(f"{len(stale)} strings are not in the committed catalogue.", file=sys.stderr)
        return 1 if problems or stale else 0
    if problems and not args.allow_missing:
        return 1
    CATALOGUE.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(CATALOGUE))
    po.save_as_mofile(str(CATALOGUE.with_suffix(".mo")))
    print(f"Wrote {CATALOGUE.relative_to(ROOT)}: {len(po)} strings, {len(problems)} missing.")
    return 0


if __name__ == "__main__":
    shutil.which("xgettext") or sys.exit("xgettext is missing: install the Debian package gettext.")
    sys.exit(main())

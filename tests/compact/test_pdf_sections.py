"""The folder of kept PDF sections (compact.platform.pdf.sections): keys, the file check, and
eviction by age and total size, least recently used first. No rendering here: the plans
tests (tests/plans/test_report_pdf_sections.py) render real reports through it."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from compact.platform.pdf.sections import (
    MAGIC,
    SectionCache,
    SectionStats,
    section_cache,
    section_key,
)

PDF = b"%PDF-1.7\n" + b"x" * 1000 + b"\n%%EOF\n"
DAY = 86400.0


def store(cache: SectionCache, name: str, *, used: float) -> Path:
    key = section_key(f"<p>{name}</p>")
    cache.write(key, PDF, SectionStats())
    path = cache.path(key)
    os.utime(path, (used, used))
    return path


def test_key_follows_html_language_and_stylesheet_bytes(settings: Any, tmp_path: Path) -> None:
    html = '<html><head><link rel="stylesheet" href="/static/css/pdf.css"></head><p>A</p></html>'
    assert section_key(html) == section_key(html)
    assert section_key(html) != section_key(html.replace("<p>A", "<p>B"))
    with translation.override("cy"):
        welsh = section_key(html)
    assert welsh != section_key(html)  # the same HTML in another language

    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    sheet = static / "css" / "own.css"
    sheet.write_text("p { color: red; }")
    settings.STATICFILES_DIRS = [static]
    own = html.replace("css/pdf.css", "css/own.css")
    before = section_key(own)
    sheet.write_text("p { color: blue; }  ")
    os.utime(sheet, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert section_key(own) != before


def test_a_kept_file_reads_back_and_a_damaged_one_is_deleted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = SectionCache(tmp_path, max_bytes=10**9, max_age_seconds=DAY)
    stats = SectionStats()
    cache.write("ab" + "0" * 62, PDF, stats)
    assert cache.read("ab" + "0" * 62, stats) == PDF
    path = cache.path("ab" + "0" * 62)
    assert path.read_bytes().startswith(MAGIC)

    path.write_bytes(path.read_bytes()[:-10])
    with caplog.at_level(logging.WARNING):
        assert cache.read("ab" + "0" * 62, stats) is None
    assert stats.corrupt == 1 and not path.exists()
    assert "is corrupt" in caplog.text


def test_eviction_by_age_then_by_size_least_recently_used_first(tmp_path: Path) -> None:
    now = time.time()
    entry = len(MAGIC) + 32 + len(PDF)
    cache = SectionCache(tmp_path, max_bytes=2 * entry, max_age_seconds=30 * DAY)
    ancient = store(cache, "ancient", used=now - 31 * DAY)
    old = store(cache, "old", used=now - 3 * DAY)
    recent = store(cache, "recent", used=now - 2 * DAY)
    newest = store(cache, "newest", used=now - 1 * DAY)

    stray = ancient.parent / ".tmp-half-written"
    stray.write_bytes(b"%PDF-1.7")
    os.utime(stray, (now - 2 * 3600, now - 2 * 3600))

    assert cache.evict(now=now) == 2
    assert not stray.exists()  # a write stopped half-way, an hour ago
    assert not ancient.exists()  # past the age limit
    assert not old.exists()  # the least recently used, over the size limit
    assert recent.exists() and newest.exists()


def test_reading_a_section_makes_it_recently_used(tmp_path: Path) -> None:
    now = time.time()
    entry = len(MAGIC) + 32 + len(PDF)
    cache = SectionCache(tmp_path, max_bytes=entry, max_age_seconds=30 * DAY)
    first = store(cache, "first", used=now - 5 * DAY)
    second = store(cache, "second", used=now - 1 * DAY)
    key = first.name.removesuffix(".pdfsection")
    assert cache.read(key, SectionStats()) == PDF  # touched: now the most recent

    assert cache.evict() == 1
    assert first.exists() and not second.exists()


def test_settings_choose_the_folder_and_an_empty_one_turns_keeping_off(
    settings: Any, tmp_path: Path
) -> None:
    settings.PDF_SECTION_CACHE_DIR = str(tmp_path / "kept")
    settings.PDF_SECTION_CACHE_MAX_MB = 2
    settings.PDF_SECTION_CACHE_MAX_AGE_DAYS = 7
    cache = section_cache()
    assert cache is not None
    assert cache.directory == tmp_path / "kept"
    assert cache.max_bytes == 2 * 1024 * 1024 and cache.max_age_seconds == 7 * DAY
    settings.PDF_SECTION_CACHE_DIR = ""
    assert section_cache() is None

"""Every text field that reaches a page or a PDF gets hostile input: pages show it escaped,
PDFs carry no local file or attachment, and nothing fetches an address from the text."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, reverse
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from compact.demo import load_demo
from compact.platform.pdf import html_to_pdf
from tests.access import all_cases
from tests.security.conftest import PASSWD_MARKERS, Listener, hostile_strings

pytestmark = pytest.mark.security

OUR_APPS = ("compact", "plans", "partnerships", "representatives", "disputes")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href"}


def is_free_text(field: models.Field) -> bool:
    return (
        isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField | models.EmailField | models.URLField)
        and not field.choices
        and field.editable
        and not field.primary_key
    )


def unique_field_names(meta: Any) -> set[str]:
    names = {field.name for field in meta.concrete_fields if field.unique}
    for constraint in meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names.update(constraint.fields)
    for together in meta.unique_together:
        names.update(together)
    return names


def hostile_value(field: models.Field, payload: str, pk: Any, unique: bool) -> str:
    # The pk first keeps unique fields unique even when a short max_length cuts the payload.
    value = f"{pk}{payload}" if unique else payload
    return value[: field.max_length] if field.max_length else value


def fill_every_text_field(payloads: list[str]) -> int:
    """Write a hostile string into every free-text field of every row of our apps."""
    written = 0
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in OUR_APPS or meta.proxy or not meta.managed:
            continue
        if model.__name__.startswith("Historical"):
            continue  # history rows are written by the saves below
        fields = [field for field in meta.concrete_fields if is_free_text(field)]
        if not fields:
            continue
        unique = unique_field_names(meta)
        for row_number, instance in enumerate(model._default_manager.all()):
            for field_number, field in enumerate(fields):
                payload = payloads[(row_number + field_number) % len(payloads)]
                value = hostile_value(field, payload, instance.pk, field.name in unique)
                setattr(instance, field.attname, value)
            instance.save()
            written += 1
    return written


class ActiveContentFinder(HTMLParser):
    """Collects anything in a page that would run, style or fetch because of user text."""

    def __init__(self, markers: list[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.markers = markers
        self.problems: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            if name in URL_ATTRIBUTES and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES | {"style"} and any(m in value for m in self.markers):
                self.problems.append(f"<{tag} {name}={value!r}>")
        attributes = dict(attrs)
        if tag == "img" and not (attributes.get("src") or "").startswith(("/static/", "data:")):
            self.problems.append(f"<img src={attributes.get('src')!r}>")
        if tag == "link" and (attributes.get("rel") or "") == "attachment":
            self.problems.append("<link rel=attachment>")
        if tag in {"object", "embed", "iframe", "style"}:
            self.problems.append(f"<{tag}>")
        if tag == "script" and not attributes.get("src"):
            self._in = "script"

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script" and data.strip():
            self.problems.append(f"inline script {data[:60]!r}")


def response_body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def assert_pdf_is_clean(pdf: bytes, where: str) -> None:
    assert b"/EmbeddedFile" not in pdf, f"{where}: PDF embeds a file"
    try:
        reader = PdfReader(io.BytesIO(pdf))
        pages = reader.pages
        text = "\n".join(page.extract_text() or "" for page in pages)
    except PdfReadError:
        # An uploaded paper served back as it came (the access table's is a minimal stub):
        # nothing of ours rendered it, so its bytes are all there is to check.
        text = ""
    else:
        attachments = list(reader.attachments)
        assert not attachments, f"{where}: PDF carries attachments {attachments}"
    for marker in PASSWD_MARKERS:
        assert marker not in text and marker.encode() not in pdf, f"{where}: /etc/passwd leaked"


@pytest.mark.django_db(transaction=True)
def test_hostile_text_in_every_field_is_escaped_on_every_page_and_pdf(
    world: Any, listener: Listener, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    # The access table's objects first (its factories expect a fresh world), then the demo.
    urls, skipped = [], []
    for url_name, case in sorted(all_cases().items()):
        if case.method != "get":
            continue
        kwargs, data = case.build(world)
        try:
            url = reverse(url_name, kwargs=kwargs) + case.query
            urls.append((url_name, url, data, "get"))
            if case.posts:  # the GET only offers the file: the POST makes it
                urls.append((url_name, url, data, "post"))
        except NoReverseMatch:
            skipped.append(url_name)
    load_demo()
    payloads = hostile_strings(listener)
    assert fill_every_text_field(payloads) > 20
    markers = [listener.url, "alert(1)", "/etc/passwd"]
    client = Client()
    client.force_login(world.users["superuser"])

    checked_pages, checked_pdfs = 0, 0
    for url_name, url, data, method in urls:
        response = getattr(client, method)(url, data)
        status_page = reverse("files:file_status", kwargs={"result_id": "x"})[: -len("x/")]
        if response.status_code == 302 and response["Location"].startswith(status_page):
            # A PDF made in the background (inline in tests): check the file it made.
            response = client.get(response["Location"].split("?")[0] + "download/")
        body = response_body(response)
        content_type = response.get("Content-Type", "")
        if content_type.startswith("application/pdf") or body.startswith(b"%PDF-"):
            assert_pdf_is_clean(body, url_name)
            checked_pdfs += 1
        elif content_type.startswith("text/html"):
            finder = ActiveContentFinder(markers)
            finder.feed(body.decode())
            assert not finder.problems, f"{url_name} shows unescaped user text: {finder.problems}"
            checked_pages += 1
    assert checked_pages >= 5, skipped
    assert listener.requests == [], f"pages or PDFs fetched {listener.requests}"
    print(f"hostile text: {checked_pages} pages and {checked_pdfs} PDFs clean")


def test_pdf_renderer_fetches_nothing_from_raw_hostile_html(listener: Listener) -> None:
    hostile = "\n".join(hostile_strings(listener))
    html = f"""<html><head>
      <link rel="stylesheet" href="{listener.url}/head.css">
      <style>@import url({listener.url}/import.css); body {{ background: url(file:///etc/passwd) }}
      @font-face {{ font-family: x; src: url({listener.url}/font.woff) }}</style>
      </head><body><h1>Board paper</h1>{hostile}
      <iframe src="file:///etc/passwd"></iframe><embed src="file:///etc/passwd">
      <a href="file:///etc/passwd" rel="attachment">passwd</a>
      <img src="file:///work/../etc/passwd"><img src="{listener.url.replace("http", "https")}/tls">
      </body></html>"""
    pdf = html_to_pdf(html)
    assert pdf.startswith(b"%PDF-")
    assert_pdf_is_clean(pdf, "html_to_pdf")
    assert listener.requests == [], f"the PDF renderer fetched {listener.requests}"

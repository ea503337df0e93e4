"""Access to background files: any signed-in user may start one; only its owner sees it."""

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from compact.platform import registry
from compact.platform.background import FileProducer, ProducedFile
from tests.access import SIGNED_IN, Case

# A cheap file for the walker to ask for, so it does not render a PDF for every role.
registry.register(
    FileProducer(
        kind="tests.access_check",
        label="Access check",
        produce=lambda key: ProducedFile("check.txt", b"access check"),
    )
)


def _superusers_file(world: Any) -> dict[str, str]:
    owner = world.users["superuser"].pk
    default_storage.save(f"generated/{owner}/access-case/check.txt", ContentFile(b"checked"))
    return {"result_id": "access-case"}


CASES = {
    "files:file_start": Case(
        allowed=SIGNED_IN, method="post", data=lambda world: {"kind": "tests.access_check"}
    ),
    # The owner (here the superuser) sees the file; every other user gets 404.
    "files:file_status": Case(allowed=frozenset({"superuser"}), kwargs=_superusers_file),
    "files:file_download": Case(allowed=frozenset({"superuser"}), kwargs=_superusers_file),
}

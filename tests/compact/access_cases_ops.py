"""Access to background files: any signed-in user may start one; only its owner sees it."""

from typing import Any

from tests.access import SIGNED_IN, Case


def _superusers_file(world: Any) -> dict[str, str]:
    from compact.background import start_generated_file

    result_id = start_generated_file(
        kind="compact.bodies_pdf", key="", user=world.users["superuser"]
    )
    return {"result_id": result_id}


CASES = {
    "ops:file_start": Case(
        allowed=SIGNED_IN, method="post", data=lambda world: {"kind": "compact.bodies_pdf"}
    ),
    # The owner (here the superuser) sees the file; every other user gets 404.
    "ops:file_status": Case(allowed=frozenset({"superuser"}), kwargs=_superusers_file),
    "ops:file_download": Case(allowed=frozenset({"superuser"}), kwargs=_superusers_file),
}

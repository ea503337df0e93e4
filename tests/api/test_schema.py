"""The OpenAPI schema is generated without a warning and validates (drf-spectacular)."""

from __future__ import annotations

from typing import Any

import yaml
from django.core.management import call_command
from django.urls import reverse


def test_schema_validates_with_no_warning(tmp_path: Any) -> None:
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert schema["info"]["title"] == "Compact Tracker API"
    assert schema["components"]["securitySchemes"]["personalToken"]["scheme"] == "bearer"
    assert "/api/v1/plans/{slug}/updates/{number}/open-data.csv" in schema["paths"]
    methods = {method for path in schema["paths"].values() for method in path}
    assert methods == {"get"}


def test_schema_is_published(client: Any, db: Any) -> None:
    response = client.get(reverse("api:schema") + "?format=json")
    assert response.status_code == 200
    assert response.json()["paths"]["/api/v1/meetings/"]["get"]["operationId"] == "meetings_list"

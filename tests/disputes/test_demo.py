"""The demo shows disputes at each stage, and loading it twice changes nothing."""

from __future__ import annotations

from typing import Any

from compact.demo import load_demo
from compact.models import CodeOfPractice, Commitment
from disputes.demo import seed_commitments
from disputes.models import Dispute, StageRecord
from disputes.procedure import Stage


def test_seed_commitments_are_read_by_party_and_number() -> None:
    commitments = seed_commitments()
    assert commitments[("all", 7)].startswith("Respond positively to any problems")
    assert commitments[("public", 2)].startswith("Ensure that third sector organisations")
    assert commitments[("vamt", 6)].startswith("Make links to third sector members")
    assert commitments[("third", 3)].startswith("Be aware of, and deal appropriately")


def test_demo_loads_disputes_at_each_stage_and_is_idempotent(db: Any) -> None:
    context = load_demo()
    counts = (Dispute.objects.count(), StageRecord.objects.count(), Commitment.objects.count())
    load_demo()
    assert (
        Dispute.objects.count(),
        StageRecord.objects.count(),
        Commitment.objects.count(),
    ) == counts

    stages = set(Dispute.objects.values_list("stage", flat=True))
    assert {Stage.INFORMAL, Stage.MEDIATION, Stage.SCRUTINY, Stage.CLOSED} <= stages
    assert CodeOfPractice.objects.filter(slug="partnership-working-code").count() == 1
    mine = Dispute.objects.filter(raised_by__user=context.users["representative"])
    assert mine.count() == 1
    assert Dispute.objects.get(stage=Stage.SCRUTINY).panel.exists()

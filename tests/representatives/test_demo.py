"""The demo shows the feature and can be loaded twice without duplicating anything."""

from __future__ import annotations

import pytest

from compact.demo import load_demo
from representatives.models import (
    Appointment,
    Declaration,
    FeedbackReport,
    SelectionRound,
    Signature,
    SignUp,
)


@pytest.mark.django_db
def test_demo_loads_twice_without_duplicates_and_rhian_is_fully_inducted():
    load_demo()
    counts = [
        m.objects.count()
        for m in (SelectionRound, Appointment, Signature, Declaration, FeedbackReport, SignUp)
    ]
    load_demo()
    assert counts == [
        m.objects.count()
        for m in (SelectionRound, Appointment, Signature, Declaration, FeedbackReport, SignUp)
    ]
    rhian = Appointment.objects.get(person__user__username="representative")
    assert rhian.status == Appointment.Status.ACTIVE
    assert rhian.partnership.slug == "community-strategy-partnership"
    assert SelectionRound.objects.filter(status=SelectionRound.Status.CANVASSING).exists()
    assert SignUp.objects.filter(status=SignUp.Status.WAITING).count() == 2

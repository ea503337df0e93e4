"""*My actions*: what a signed-in person has to do, whatever their role."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from compact.platform.access import signed_in
from compact.selectors import person_of
from compact.selectors.actions import my_actions as my_actions_of


@signed_in
@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    """The open meeting actions I own and the plan rows I answer for (fixed queries)."""
    person = person_of(request.user)
    mine = my_actions_of(user=request.user, person=person, today=timezone.localdate())
    return render(request, "compact/actions/mine.html", {"mine": mine})

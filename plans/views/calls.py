"""Update calls: who answers for each row, opening a call, the contributors' *My rows*, the
officers' review queue and closing the call (see docs/plans.md, "Update calls")."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.models import Body, Meeting, Organisation, Person
from compact.platform.access import Role, has_role, roles_required
from compact.platform.forms import apply_validation_error
from compact.platform.textdiff import diff_html
from plans.forms.calls import (
    CallOpenForm,
    ProposalForm,
    ReturnForm,
    ReviewForm,
    RowContributorsForm,
)
from plans.models import ImplementationPlan, Objective, Outcome, PlanUpdate, Proposal, UpdateCall
from plans.selectors import calls as selectors
from plans.services import calls as services
from plans.services.contributors import row_contributors_confirm
from plans.views.common import officers

contributors_only = roles_required(Role.CONTRIBUTOR, Role.OFFICER)
STATUS_LABELS = dict(Outcome.Status.choices)


def _person(user: Any) -> Person | None:
    return Person.objects.filter(user=user).first() if user.is_authenticated else None


# --- who answers for each row ---------------------------------------------------------------


@officers
@require_http_methods(["GET", "POST"])
def row_contributors(request: HttpRequest, slug: str) -> HttpResponse:
    """Confirm or correct who answers for each row, one objective at a time."""
    plan = get_object_or_404(ImplementationPlan, slug=slug)
    outline = list(Objective.objects.filter(plan=plan).order_by("order", "pk"))
    if not outline:
        raise Http404
    wanted = request.GET.get("objective") or request.POST.get("objective")
    objective = next((o for o in outline if str(o.pk) == str(wanted)), outline[0])
    tree = selectors.contributors_page(plan, objective)
    rows = [row for task in tree[0].tasks.all() for row in task.outcomes.all()]
    people = list(Person.objects.order_by("full_name").values_list("pk", "full_name"))
    organisations = [
        (pk, f"{name} ({short})" if short else name)
        for pk, name, short in Organisation.objects.order_by("name").values_list(
            "pk", "name", "short_name"
        )
    ]
    form = RowContributorsForm(
        request.POST or None, rows=rows, people=people, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.links()
        row_contributors_confirm(
            objective=objective,
            links={
                pk: (
                    Person.objects.filter(pk__in=people_ids),
                    Organisation.objects.filter(pk__in=org_ids),
                )
                for pk, (people_ids, org_ids) in chosen.items()
            },
            actor=request.user,
        )
        messages.success(
            request,
            _("Who answers for the rows of %(objective)s is confirmed.")
            % {"objective": objective.heading},
        )
        index = outline.index(objective)
        following = outline[index + 1] if index + 1 < len(outline) else objective
        return redirect(
            f"{reverse('plans:row_contributors', args=[plan.slug])}?objective={following.pk}"
        )
    for row in rows:
        row.people_field = form[f"people_{row.pk}"]  # type: ignore[attr-defined]
        row.organisations_field = form[f"organisations_{row.pk}"]  # type: ignore[attr-defined]
    leads = selectors.lead_contacts()
    return render(
        request,
        "plans/calls/row_contributors.html",
        {
            "plan": plan,
            "objective": tree[0],
            "outline": outline,
            "rows": rows,
            "form": form,
            "no_leads": [name for pk, name in organisations if not leads.get(pk)],
        },
    )


# --- opening and closing a call ---------------------------------------------------------------


def meeting_panel_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any] | None:
    """On a coming Board meeting's page, officers are offered an update call for the current
    plan (deadline three weeks before), or a link to the open one. Two queries."""
    if not has_role(request.user, Role.OFFICER) or meeting.body.kind != Body.Kind.BOARD:
        return None
    if meeting.date <= timezone.localdate():
        return None
    plan = ImplementationPlan.objects.filter(compact_id=meeting.body.compact_id).first()
    if plan is None:
        return None
    return {
        "plan": plan,
        "meeting": meeting,
        "open_call": selectors.open_call(plan),
        "deadline": services.default_deadline(meeting),
    }


@officers
@require_http_methods(["GET", "POST"])
def call_open(request: HttpRequest, slug: str) -> HttpResponse:
    """Open an update call: deadline, message; each contributor is e-mailed once."""
    plan = get_object_or_404(ImplementationPlan, slug=slug)
    meeting = None
    meeting_id = request.GET.get("meeting") or request.POST.get("meeting")
    if meeting_id and str(meeting_id).isdigit():
        meeting = Meeting.objects.filter(pk=meeting_id).select_related("body").first()
    already = selectors.open_call(plan)
    initial = {"deadline": services.default_deadline(meeting)} if meeting else {}
    form = CallOpenForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            opened = services.open_call(
                plan=plan,
                deadline=form.cleaned_data["deadline"],
                message=form.cleaned_data["message"],
                message_cy=form.cleaned_data["message_cy"],
                meeting=meeting,
                actor=request.user,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Update call %(number)s opened: %(count)s contributors e-mailed.")
                % {"number": opened.call.number, "count": len(opened.asked)},
            )
            for person in opened.skipped:
                messages.warning(
                    request,
                    _("%(person)s has no e-mail address and was not asked.") % {"person": person},
                )
            return redirect("plans:call_detail", pk=opened.call.pk)
    asked = selectors.people_to_ask(plan)
    return render(
        request,
        "plans/calls/call_open.html",
        {
            "plan": plan,
            "form": form,
            "meeting": meeting,
            "already": already,
            "people": Person.objects.filter(pk__in=asked).order_by("full_name"),
            "rows": len({row for rows in asked.values() for row in rows}),
            "earlier": UpdateCall.objects.filter(plan=plan, closed_at__isnull=False),
        },
        status=422 if form.is_bound and form.errors else 200,
    )


def _call(pk: int) -> UpdateCall:
    return get_object_or_404(UpdateCall.objects.select_related("plan", "meeting__body"), pk=pk)


def _decorate(proposal: Proposal) -> None:
    """Each proposed field as changes against the row's current text (<ins>/<del>)."""
    row = proposal.outcome
    proposal.changes = [  # type: ignore[attr-defined]
        {
            "label": label,
            "html": diff_html(getattr(row, name), getattr(proposal, name)),
            "changed": (getattr(row, name) or "") != (getattr(proposal, name) or ""),
        }
        for name, label in (
            ("progress", _("Progress")),
            ("progress_cy", _("Progress in Welsh")),
            ("timescale", _("Timescale")),
            ("timescale_cy", _("Timescale in Welsh")),
        )
    ]
    proposal.status_change = (  # type: ignore[attr-defined]
        (STATUS_LABELS.get(row.status, row.status), STATUS_LABELS.get(proposal.status))
        if row.status != proposal.status
        else None
    )
    proposal.conflict = row.version != proposal.base_version  # type: ignore[attr-defined]


@officers
@require_GET
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The review queue: completeness and the proposals, changes shown against the row."""
    call = _call(pk)
    queue = selectors.review_queue(call)
    for proposal in queue.proposals:
        _decorate(proposal)
    latest = PlanUpdate.objects.filter(plan=call.plan).order_by("-number").first()
    return render(
        request,
        "plans/calls/call_detail.html",
        {
            "call": call,
            "plan": call.plan,
            "queue": queue,
            "pending": [p for p in queue.proposals if p.state == Proposal.State.PENDING],
            "decided": [p for p in queue.proposals if p.state != Proposal.State.PENDING],
            "next_update": (latest.number + 1) if latest else 1,
        },
    )


@officers
@require_POST
def call_close(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(pk)
    try:
        services.close_call(call=call, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Update call %(number)s closed.") % {"number": call.number})
    return redirect("plans:call_detail", pk=call.pk)


# --- reviewing one proposal -------------------------------------------------------------------


def _review_form(proposal: Proposal, merge: Any, version: int, data: Any = None) -> ReviewForm:
    values = merge.merged if merge is not None else proposal.values()
    return ReviewForm(
        data, initial={**values, "version": version}, auto_id=f"id_review{proposal.pk}_%s"
    )


@officers
@require_http_methods(["GET", "POST"])
def proposal_review(request: HttpRequest, pk: int) -> HttpResponse:
    """One proposal: accept it, edit then accept, or return it with a comment. A row changed
    since the contributor saw it is shown as a three-way merge, never applied blindly."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("call__plan", "outcome__task__objective", "person"),
        pk=pk,
    )
    row = proposal.outcome
    merge = services.proposal_merge(proposal, row)
    form = _review_form(proposal, merge, row.version)
    return_form = ReturnForm(prefix="return")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "return":
            return_form = ReturnForm(request.POST, prefix="return")
            if return_form.is_valid():
                try:
                    services.return_proposal(
                        proposal=proposal,
                        actor=request.user,
                        comment=return_form.cleaned_data["comment"],
                    )
                except ValidationError as exc:
                    apply_validation_error(return_form, exc)
                else:
                    messages.success(
                        request, _("Returned to %(person)s.") % {"person": proposal.person}
                    )
                    return redirect("plans:call_detail", pk=proposal.call_id)
            status = 422
        elif action == "accept":
            form = _review_form(proposal, merge, row.version, request.POST)
            if form.is_valid():
                try:
                    services.accept(
                        proposal=proposal,
                        actor=request.user,
                        fields=form.fields_for_service(),
                        expected_version=form.cleaned_data["version"],
                    )
                except services.ProposalConflict as conflict:
                    messages.warning(request, str(conflict))
                    proposal.refresh_from_db()
                    row = Outcome.objects.get(pk=row.pk)
                    proposal.outcome = row
                    merge = conflict.merge
                    form = _review_form(proposal, merge, conflict.current_version)
                    status = 409
                except ValidationError as exc:
                    apply_validation_error(form, exc)
                    status = 422
                else:
                    messages.success(
                        request,
                        _("Accepted: the row now shows %(person)s's progress.")
                        % {"person": proposal.person},
                    )
                    return redirect("plans:call_detail", pk=proposal.call_id)
            else:
                status = 422
        else:
            raise PermissionDenied
    _decorate(proposal)
    comparison = None
    if merge is not None:
        base = proposal.base or {}
        comparison = [
            {
                "label": form.fields[name].label,
                "seen": _shown(name, base.get(name)),
                "now": _shown(name, getattr(row, name)),
                "proposed": _shown(name, getattr(proposal, name)),
                "side": merge.sides[name],
                "conflict": name in merge.conflicts,
            }
            for name in services.PROPOSAL_FIELDS
        ]
    return render(
        request,
        "plans/calls/proposal_review.html",
        {
            "proposal": proposal,
            "row": row,
            "plan": proposal.call.plan,
            "form": form,
            "return_form": return_form,
            "comparison": comparison,
            "conflicts": [form.fields[name].label for name in merge.conflicts] if merge else [],
        },
        status=status,
    )


def _shown(name: str, value: Any) -> str:
    if name == "status":
        return str(STATUS_LABELS.get(value, value or ""))
    return value or ""


# --- the contributor's pages ----------------------------------------------------------------


@contributors_only
@require_GET
def my_calls(request: HttpRequest) -> HttpResponse:
    """The calls that asked me for progress, newest first."""
    calls = list(selectors.calls_for_person(_person(request.user)))
    return render(request, "plans/calls/my_calls.html", {"calls": calls})


def _asked_call(request: HttpRequest, pk: int) -> tuple[UpdateCall, Person | None, list[Outcome]]:
    """The call and my rows in it; 404 to a contributor it did not ask (officers may look)."""
    call = _call(pk)
    person = _person(request.user)
    rows = selectors.my_rows(call, person)
    if not rows and not has_role(request.user, Role.OFFICER):
        raise Http404
    return call, person, rows


def _row_form(row: Outcome, data: Any = None) -> ProposalForm:
    proposal = getattr(row, "proposal", None)
    source = proposal if proposal is not None else row
    initial = {name: getattr(source, name) for name in ProposalForm.FIELDS}
    initial["note"] = proposal.note if proposal is not None else ""
    initial["base_version"] = row.version
    return ProposalForm(data, initial=initial, auto_id=f"id_row{row.pk}_%s", prefix=f"row{row.pk}")


def _my_rows_page(
    request: HttpRequest,
    call: UpdateCall,
    rows: list[Outcome],
    *,
    bound: tuple[int, ProposalForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    open_for_answers = call.accepts_answers()
    for row in rows:
        row.form = (
            (  # type: ignore[attr-defined]
                bound[1] if bound and bound[0] == row.pk else _row_form(row)
            )
            if open_for_answers
            else None
        )
    answered = sum(1 for row in rows if row.proposal is not None)  # type: ignore[attr-defined]
    return render(
        request,
        "plans/calls/my_rows.html",
        {
            "call": call,
            "plan": call.plan,
            "rows": rows,
            "answered": answered,
            "open_for_answers": open_for_answers,
        },
        status=status,
    )


@contributors_only
@require_GET
def my_rows(request: HttpRequest, pk: int) -> HttpResponse:
    """My rows in a call: current text, last issued text and a form to propose progress."""
    call, _unused, rows = _asked_call(request, pk)
    return _my_rows_page(request, call, rows)


@contributors_only
@require_POST
def my_row_propose(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    """Save (or revise) my proposal for one of my rows; nothing in the plan changes."""
    call, person, rows = _asked_call(request, pk)
    target = next((r for r in rows if r.pk == row), None)
    if target is None:
        raise Http404
    form = _row_form(target, request.POST)
    if form.is_valid():
        try:
            services.propose(
                call=call,
                row=target,
                user=request.user,
                fields=form.fields_for_service(),
                note=form.cleaned_data["note"],
                base_version=form.cleaned_data["base_version"],
                person=person,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            if not call.accepts_answers():  # the page shows no form any more: say why
                messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved. You can change it until the deadline."))
            return redirect(f"{reverse('plans:my_rows', args=[call.pk])}#row-{target.pk}")
    return _my_rows_page(request, call, rows, bound=(target.pk, form), status=422)

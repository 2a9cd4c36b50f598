"""The Abstimmung pages: status for everyone allowed, the position form for editors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from municipalities import rules
from municipalities.models import MunicipalityKind

from .. import consultation as service
from ..forms import ConsultationOpenForm, MembersForm, PositionForm, RemarkFormSet, SourceForm
from ..models import Consultation, DraftState, EntryKind, StrategyDraft
from ..permissions import can_manage_drafts, visible_drafts
from ..workflow import RENDER_NOT_QUEUED, DraftError, render_not_queued


def _visible_consultation(request, pk):
    """The draft and its consultation, if this user may see it (else 404)."""
    draft = get_object_or_404(visible_drafts(request.user), pk=pk)
    consultation = Consultation.objects.filter(draft=draft).first()
    if consultation is None:
        raise Http404("Zu diesem Entwurf gibt es keine Abstimmung.")
    return draft, consultation


def _measure_choices(draft):
    """„M-0012 · Papierlose Gremienarbeit mit Tablets · Samtgemeinde Gartow“: the same title
    can stand for measures of several bodies, so the number and the lead body name it."""
    choices = []
    for pk, (reference, title, lead) in sorted(
        service.measure_titles(draft).items(), key=lambda item: (item[1][0], item[0])
    ):
        if len(title) > 90:
            title = title[:89] + "…"
        choices.append((pk, " · ".join(part for part in (reference, title, lead) if part)))
    return choices


def _table(rows, titles):
    """(body, position, [(reference, title, lead, remark)]) for the status table."""
    table = []
    for body, position in rows:
        remarks = [
            (*titles.get(r.measure_id, service.REMOVED_MEASURE), r.text)
            for r in (position.remarks.all() if position else [])
        ]
        table.append((body, position, remarks))
    return table


def _position_initial(position):
    if position is None:
        return None, []
    initial = {"stance": position.stance, "text": position.text}
    return initial, [{"measure": r.measure_id, "text": r.text} for r in position.remarks.all()]


class _Answer:
    """The position form(s) of the page: one body's, or a Samtgemeinde's with its members'."""

    def __init__(self, request, draft, consultation, rows, own_bodies):
        self.request = request
        self.user = request.user
        self.consultation = consultation
        self.positions = {body.pk: position for body, position in rows}
        self.data = request.POST if request.method == "POST" else None
        self.measure_choices = _measure_choices(draft)
        chosen = request.POST.get("samtgemeinde") or request.POST.get("municipality")
        chosen = chosen or request.GET.get("kommune")
        self.selected = next((b for b in own_bodies if str(b.pk) == str(chosen)), None)
        if self.selected is None and chosen:
            raise PermissionDenied("Für diese Kommune dürfen Sie keine Stellungnahme abgeben.")
        groups = [
            b
            for b in own_bodies
            if b.kind == MunicipalityKind.SAMTGEMEINDE
            and service.entry_kind(self.user, b) == EntryKind.OWN
        ]
        single_post = self.data is not None and "samtgemeinde" not in self.data
        self.group = None
        if groups and not single_post:
            # A Samtgemeinde's editor answers for it and its members in one form; a link to a
            # member (dashboard task) opens its Samtgemeinde's form.
            selected = self.selected or groups[0]
            self.group = next(
                (g for g in groups if selected.pk in (g.pk, selected.parent_id)), groups[0]
            )
            self.selected = self.group
        self.selected = self.selected or own_bodies[0]
        self.kind = service.entry_kind(self.user, self.selected)
        current = self.positions.get(self.selected.pk)
        self.kept = None if service.may_replace(current, self.kind) else current
        initial, remarks = _position_initial(current)
        self.position_form = PositionForm(self.data, initial=initial)
        if self.group is not None:
            self.position_form.fields["stance"].label = f"Stellungnahme der {self.group}"
        self.remark_formset = RemarkFormSet(
            self.data,
            initial=remarks,
            prefix="remarks",
            form_kwargs={"measure_choices": self.measure_choices},
        )
        self.source_form = None
        if self.kind == EntryKind.COORDINATOR:
            source = (
                {"source_kind": current.source_kind, "source_date": current.source_date}
                if current and current.source_kind
                else None
            )
            self.source_form = SourceForm(self.data, initial=source, prefix="quelle")
        self.members_form = self.kept_members = None
        if self.group is not None:
            self._members(own_bodies)

    def _members(self, own_bodies):
        editable, self.kept_members = [], []
        for body in own_bodies:
            if body.parent_id != self.group.pk:
                continue
            position = self.positions.get(body.pk)
            if service.may_replace(position, service.entry_kind(self.user, body)):
                initial = None
                if position is not None and not position.follows_samtgemeinde:
                    initial = {"stance": position.stance, "text": position.text}
                editable.append((body, initial))
            else:
                self.kept_members.append((body, position))
        self.members_form = MembersForm(self.data, members=editable, prefix="mitglied")

    def forms(self):
        forms = [self.position_form, self.remark_formset, self.source_form, self.members_form]
        return [f for f in forms if f is not None]

    def save(self):
        """Validate and store; a redirect when stored, else None (errors are on the forms)."""
        valid = [f.is_valid() for f in self.forms()]  # every form, so all errors show
        if not all(valid):
            messages.error(self.request, "Bitte prüfen Sie die markierten Angaben.")
            return None
        stance = self.position_form.cleaned_data["stance"]
        text = self.position_form.cleaned_data["text"].strip()
        remarks = self.remark_formset.remarks()
        try:
            if self.group is not None:
                members = self.members_form.choices()
                service.submit_group(
                    self.consultation, self.user, self.group, stance, text, remarks, members
                )
                done = (
                    f"Die Stellungnahmen für die {self.group} und {len(members)} "
                    "Mitgliedsgemeinden sind gespeichert."
                )
            else:
                source = self.source_form.source() if self.source_form else None
                service.submit_position(
                    self.consultation, self.user, self.selected, stance, text, remarks, source
                )
                done = f"Die Stellungnahme für {self.selected} ist gespeichert."
        except DraftError as refusal:
            messages.error(self.request, str(refusal))
            return None
        messages.success(self.request, f"{done} Sie können sie bis zum Ende der Frist ändern.")
        return redirect(f"{self.request.path}?kommune={self.selected.pk}")


def consultation_detail(request, pk):
    draft, consultation = _visible_consultation(request, pk)
    internal = rules.is_internal(request.user)
    if not internal and draft.state not in (DraftState.PUBLISHED, DraftState.DECIDED):
        raise Http404("Die Stellungnahmen werden mit der Vorlage an den Kreistag öffentlich.")
    rows = service.status_rows(consultation)
    own_bodies = list(service.answerable_bodies(request.user, consultation))
    answer = None
    open_for_answers = consultation.accepts_positions()
    if own_bodies and open_for_answers:
        answer = _Answer(request, draft, consultation, rows, own_bodies)
        if request.method == "POST":
            if answer.kept is not None and answer.group is None:
                messages.error(request, service.kept_reason(answer.kept))
            else:
                stored = answer.save()
                if stored is not None:
                    return stored
    elif request.method == "POST":
        if not own_bodies:
            raise PermissionDenied("Sie dürfen keine Stellungnahme abgeben.")
        messages.error(
            request,
            "Die Abstimmung ist abgeschlossen oder die Frist ist abgelaufen; Stellungnahmen "
            "können nicht mehr geändert werden.",
        )
        return redirect(request.path)
    return render(
        request,
        "drafts/consultation.html",
        {
            "draft": draft,
            "consultation": consultation,
            "rows": rows,
            "counts": service.counts(rows),
            "answered": sum(1 for _, p in rows if p),
            "internal": internal,
            "can_manage": can_manage_drafts(request.user),
            "own_bodies": own_bodies,
            "answer": answer,
            "open_for_answers": open_for_answers,
            "table": _table(rows, service.measure_titles(draft)),
        },
    )


MAILS_NOT_QUEUED = (
    "Die E-Mails konnten nicht verschickt werden, weil der Hintergrunddienst gerade nicht "
    "erreichbar ist. Bitte erinnern Sie die Kommunen in einigen Minuten von dieser Seite aus."
)


@login_required
def consultation_open(request, pk):
    if not can_manage_drafts(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle eröffnet eine Abstimmung.")
    draft = get_object_or_404(StrategyDraft.objects.defer("snapshot"), pk=pk)
    form = ConsultationOpenForm(
        request.POST or None,
        initial={"deadline": service.default_deadline(draft)},
        latest=service.latest_deadline(draft),
    )
    if request.method == "POST" and form.is_valid():
        try:
            opened = service.open_consultation(draft, request.user, form.cleaned_data["deadline"])
        except DraftError as refusal:
            messages.error(request, str(refusal))
            return redirect(draft)
        if opened.mail_dispatch.failed:
            messages.warning(request, f"Die Abstimmung ist eröffnet. {MAILS_NOT_QUEUED}")
        else:
            summary = opened.mail_plan.summary()
            messages.success(request, f"Die Abstimmung ist eröffnet. Benachrichtigt: {summary}")
        return redirect("drafts:consultation", pk=draft.pk)
    return render(
        request,
        "drafts/consultation_open.html",
        {
            "draft": draft,
            "form": form,
            "body_count": service.consulted_bodies().count(),
            "plan": service.MailPlan.for_bodies(service.consulted_bodies()),
        },
    )


@login_required
def consultation_remind(request, pk):
    """The coordinator reminds the bodies without a position, after seeing who gets mail."""
    if not can_manage_drafts(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle erinnert an die Abstimmung.")
    draft, consultation = _visible_consultation(request, pk)
    if request.method == "POST":
        try:
            plan, queued = service.remind_now(consultation, request.user)
        except DraftError as refusal:
            messages.error(request, str(refusal))
        else:
            if queued.failed:
                messages.warning(request, MAILS_NOT_QUEUED)
            else:
                messages.success(request, f"Erinnerung verschickt: {plan.summary()}")
        return redirect("drafts:consultation", pk=draft.pk)
    missing = service.missing_bodies(consultation)
    return render(
        request,
        "drafts/consultation_remind.html",
        {
            "draft": draft,
            "consultation": consultation,
            "missing": missing,
            "plan": service.MailPlan.for_bodies(missing),
        },
    )


@login_required
def consultation_close(request, pk):
    if not can_manage_drafts(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle schließt eine Abstimmung ab.")
    draft, consultation = _visible_consultation(request, pk)
    if request.method == "POST":
        try:
            closed = service.close(consultation, request.user)
        except DraftError as refusal:
            messages.error(request, str(refusal))
        else:
            if render_not_queued(closed):
                messages.warning(request, f"Die Abstimmung ist abgeschlossen. {RENDER_NOT_QUEUED}")
            else:
                messages.success(
                    request,
                    "Die Abstimmung ist abgeschlossen. Das PDF wird mit dem Ergebnis neu erzeugt.",
                )
        return redirect("drafts:consultation", pk=draft.pk)
    rows = service.status_rows(consultation)
    return render(
        request,
        "drafts/consultation_close.html",
        {
            "draft": draft,
            "consultation": consultation,
            "missing": [body for body, p in rows if p is None],
            "answered": sum(1 for _, p in rows if p),
            "total": len(rows),
        },
    )

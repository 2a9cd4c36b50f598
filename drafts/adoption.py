"""The adoption of a frozen version by the councils (issue 20): who decides, in which
Beratungsfolge, and what each council decided.

The coordinator sets which bodies decide (by default the Kreistag and the Samtgemeinderäte;
any Gemeinderat can be added); the coordinator or the body's editors (those who answer for it,
municipalities.acting) keep its Vorlage number and Beratungsfolge. Every step checks its rules
here and refuses with a :class:`DraftError` (German reason).
"""

import datetime
import hashlib
import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils import formats, timezone
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from core.dashboard import Notice, Task
from core.security import log_event
from municipalities import acting
from municipalities.models import Municipality, MunicipalityKind

from .adoption_models import (
    IN_FORCE,
    AdoptionReminder,
    CouncilDecision,
    DecisionProcedure,
    DeliberationStep,
    Outcome,
    StepRole,
)
from .models import DraftState, StrategyDraft
from .permissions import can_manage_drafts
from .workflow import DraftError, record_decision


def can_keep(user, body):
    """May the user keep the body's Vorlage, Beratungsfolge and decisions?"""
    return can_manage_drafts(user) or acting.answers_for(user, body)


def default_bodies():
    """The district and the Samtgemeinden: the councils that decide by default."""
    return Municipality.objects.filter(
        kind__in=[MunicipalityKind.DISTRICT, MunicipalityKind.SAMTGEMEINDE]
    ).order_by("tree_path")


def addable_bodies(draft):
    """Bodies the coordinator can add as deciding: every body not yet deciding."""
    return (
        Municipality.objects.exclude(
            pk__in=DecisionProcedure.objects.filter(draft=draft).values("municipality_id")
        )
        .select_related("parent")
        .order_by("tree_path")
    )


def default_steps(draft, body):
    """The usual Beratungsfolge under the NKomVG: the main committee (Kreisausschuss,
    Samtgemeindeausschuss, Verwaltungsausschuss; not public) before the council; for the
    Kreistag first the Fachausschuss, with the meeting dates the draft already names."""
    if body.kind == MunicipalityKind.DISTRICT:
        return [
            ("Fachausschuss", None, True, StepRole.ADVISES),
            ("Kreisausschuss", draft.committee_meeting_date, False, StepRole.ADVISES),
            ("Kreistag", draft.council_meeting_date, True, StepRole.DECIDES),
        ]
    if body.kind == MunicipalityKind.SAMTGEMEINDE:
        return [
            ("Samtgemeindeausschuss", None, False, StepRole.ADVISES),
            (body.council_name, None, True, StepRole.DECIDES),
        ]
    return [
        ("Verwaltungsausschuss", None, False, StepRole.ADVISES),
        (body.council_name, None, True, StepRole.DECIDES),
    ]


def _create(draft, body):
    procedure = DecisionProcedure.objects.create(
        draft=draft,
        municipality=body,
        document_number=draft.council_document_number if body.is_district else "",
    )
    for position, (committee, day, public, role) in enumerate(default_steps(draft, body), 1):
        DeliberationStep.objects.create(
            procedure=procedure,
            position=position,
            committee=committee,
            meeting_date=day,
            public=public,
            role=role,
        )
    return procedure


def _lock_frozen(draft):
    locked = StrategyDraft.objects.select_for_update().defer("snapshot").get(pk=draft.pk)
    if not locked.is_frozen:
        raise DraftError(
            "Ein Beschlussverfahren gibt es erst für eine eingefrorene Version; bitte frieren "
            "Sie den Entwurf zuerst ein."
        )
    return locked


@transaction.atomic
def set_up(draft, user):
    """Create the default deciding bodies that are missing; returns the new procedures."""
    if not can_manage_drafts(user):
        raise DraftError("Nur die Koordinierungsstelle legt fest, welche Räte beschließen.")
    locked = _lock_frozen(draft)
    present = set(
        DecisionProcedure.objects.filter(draft=locked).values_list("municipality_id", flat=True)
    )
    return [_create(locked, body) for body in default_bodies() if body.pk not in present]


@transaction.atomic
def add_body(draft, user, body):
    if not can_manage_drafts(user):
        raise DraftError("Nur die Koordinierungsstelle legt fest, welche Räte beschließen.")
    locked = _lock_frozen(draft)
    if DecisionProcedure.objects.filter(draft=locked, municipality=body).exists():
        raise DraftError(f"{body} beschließt bereits über diese Version.")
    return _create(locked, body)


@transaction.atomic
def remove_body(procedure, user):
    if not can_manage_drafts(user):
        raise DraftError("Nur die Koordinierungsstelle legt fest, welche Räte beschließen.")
    locked = (
        DecisionProcedure.objects.select_for_update()
        .select_related("municipality")
        .get(pk=procedure.pk)
    )
    if locked.municipality.is_district:
        raise DraftError("Der Kreistag beschließt über jede Version; er bleibt in der Liste.")
    if CouncilDecision.objects.filter(procedure=locked).exists():
        raise DraftError(
            f"Für {locked.municipality} ist schon ein Beschluss eingetragen; das "
            "Beschlussverfahren bleibt bestehen."
        )
    locked.delete()


def check_steps(steps):
    """The Beratungsfolge as typed: at least one step, exactly one that decides, and no
    advising meeting after the deciding one."""
    if not steps:
        raise DraftError("Bitte tragen Sie mindestens das Gremium ein, das entscheidet.")
    deciding = [s for s in steps if s["role"] == StepRole.DECIDES]
    if len(deciding) != 1:
        raise DraftError(
            "Genau ein Gremium entscheidet (in der Regel der Rat); die anderen beraten vor."
        )
    decides_on = deciding[0]["meeting_date"]
    if decides_on and any(
        s["meeting_date"] and s["meeting_date"] > decides_on for s in steps if s not in deciding
    ):
        raise DraftError(
            "Eine vorberatende Sitzung liegt nach der entscheidenden; bitte prüfen Sie die Daten."
        )


@transaction.atomic
def save_procedure(procedure, user, document_number, proposed_resolution, steps):
    """Store the Vorlage number, the Beschlussvorschlag and the Beratungsfolge (``steps``: a
    list of dicts with committee, meeting_date, public, role, in their order)."""
    locked = (
        DecisionProcedure.objects.select_for_update()
        .select_related("municipality")
        .get(pk=procedure.pk)
    )
    if not can_keep(user, locked.municipality):
        raise DraftError(f"Das Beschlussverfahren von {locked.municipality} führen Sie nicht.")
    check_steps(steps)
    locked.document_number = document_number
    locked.proposed_resolution = proposed_resolution
    locked.save(update_fields=["document_number", "proposed_resolution", "updated_at"])
    existing = list(locked.steps.order_by("position"))
    for position, values in enumerate(steps, 1):
        step = existing[position - 1] if position <= len(existing) else None
        step = step or DeliberationStep(procedure=locked, position=position)
        for name in ("committee", "meeting_date", "public", "role"):
            setattr(step, name, values[name])
        step.save()
    for step in existing[len(steps) :]:
        step.delete()
    return locked


@dataclass(frozen=True)
class Row:
    """One deciding body on the overview."""

    procedure: DecisionProcedure
    steps: list
    decisions: list

    @property
    def body(self):
        return self.procedure.municipality

    @property
    def deciding_step(self):
        return next((s for s in self.steps if s.decides), None)

    @property
    def latest(self):
        return self.decisions[-1] if self.decisions else None

    @property
    def in_force(self):
        return self.latest is not None and self.latest.outcome in IN_FORCE


def overview(draft):
    """A Row per deciding body in tree order; three queries for any number of bodies."""
    procedures = (
        DecisionProcedure.objects.filter(draft=draft)
        .select_related("municipality__parent")
        .prefetch_related(
            Prefetch("steps", queryset=DeliberationStep.objects.order_by("position")),
            Prefetch("decisions", queryset=CouncilDecision.objects.order_by("decided_on", "pk")),
        )
        .order_by("municipality__tree_path")
    )
    return [Row(p, list(p.steps.all()), list(p.decisions.all())) for p in procedures]


# --- Recording a council's decision ------------------------------------------------------------

EXTRACT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Extract:
    """A checked Beschlussauszug: its bytes, checksum and page count."""

    content: bytes
    sha256: str
    pages: int


def check_extract(upload):
    """Check an uploaded Beschlussauszug and return it as :class:`Extract`; refuse with a
    German reason anything that is not a readable PDF of at most 20 MB. The file name the user
    chose is checked but never used for storing."""
    name = upload.name or ""
    if "\x00" in name or any(ord(c) < 32 for c in name):
        raise DraftError(
            "Der Dateiname enthält unzulässige Steuerzeichen; bitte benennen Sie die Datei um."
        )
    if upload.size is None or upload.size > EXTRACT_MAX_BYTES:
        raise DraftError(
            "Der Beschlussauszug ist größer als 20 MB; bitte laden Sie eine kleinere PDF-Datei "
            "hoch (z. B. mit geringerer Scan-Auflösung)."
        )
    content = b"".join(upload.chunks())
    if len(content) > EXTRACT_MAX_BYTES:
        raise DraftError("Der Beschlussauszug ist größer als 20 MB.")
    not_a_pdf = DraftError(
        "Die Datei ist kein lesbares PDF. Bitte laden Sie den Beschlussauszug als PDF-Datei hoch."
    )
    # A PDF starts with its header within the first 1024 bytes; a ZIP archive (or anything
    # else) renamed to .pdf does not.
    if b"%PDF-" not in content[:1024]:
        raise not_a_pdf
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise DraftError(
                "Das PDF ist verschlüsselt; bitte laden Sie den Beschlussauszug ohne Kennwort hoch."
            )
        pages = len(reader.pages)
    except DraftError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise not_a_pdf from exc
    if pages < 1:
        raise not_a_pdf
    return Extract(content, hashlib.sha256(content).hexdigest(), pages)


def may_record(user, body):
    """The coordinator records every decision; a body's editors their own body's, except the
    Kreistag's (which also closes the version, drafts.workflow.record_decision)."""
    if can_manage_drafts(user):
        return True
    return not body.is_district and acting.answers_for(user, body)


@transaction.atomic
def record(procedure, user, *, decided_on, outcome, number, changes, extract=None):
    """Record a council's decision on the body's Vorlage; the Kreistag's adoption also
    records the draft's decision (state "vom Kreistag beschlossen")."""
    locked = (
        DecisionProcedure.objects.select_for_update()
        .select_related("municipality", "draft")
        .get(pk=procedure.pk)
    )
    body = locked.municipality
    if not may_record(user, body):
        raise DraftError(f"Beschlüsse von {body} tragen Sie nicht ein.")
    draft = locked.draft
    if draft.state not in (DraftState.PUBLISHED, DraftState.DECIDED):
        raise DraftError(
            "Beschlüsse gibt es erst, nachdem die Version dem Kreistag vorgelegt und "
            "veröffentlicht wurde."
        )
    if decided_on > timezone.localdate():
        raise DraftError("Das Datum des Beschlusses liegt in der Zukunft; bitte prüfen Sie es.")
    if draft.published_at and decided_on < timezone.localdate(draft.published_at):
        raise DraftError(
            "Der Beschluss liegt vor der Veröffentlichung dieser Version am "
            f"{formats.date_format(timezone.localdate(draft.published_at), 'j. F Y')}; "
            "bitte prüfen Sie das Datum."
        )
    if outcome not in Outcome.values:
        raise DraftError("Bitte wählen Sie das Ergebnis des Beschlusses.")
    if outcome == Outcome.ADOPTED_WITH_CHANGES and not changes.strip():
        raise DraftError("Bitte beschreiben Sie die Änderungen, mit denen der Rat beschlossen hat.")
    decision = CouncilDecision(
        procedure=locked,
        decided_on=decided_on,
        outcome=outcome,
        decision_number=number.strip(),
        changes=changes.strip(),
        recorded_by=user,
    )
    stored = None
    if extract is not None:
        # A generated name: never a path or name the user chose.
        decision.extract.save(f"{uuid.uuid4().hex}.pdf", ContentFile(extract.content), save=False)
        decision.extract_sha256 = extract.sha256
        decision.extract_size = len(extract.content)
        stored = decision.extract.name
    try:
        decision.save()
        if body.is_district and outcome in IN_FORCE:
            record_decision(draft, user, decided_on, number or locked.document_number)
    except Exception:
        if stored:
            decision.extract.storage.delete(stored)
        raise
    log_event(
        "council_decision_recorded",
        f"decision of body {body.pk} on draft {draft.pk} recorded",
        actor=user.get_username(),
        draft=draft.pk,
        municipality=body.pk,
        outcome=outcome,
    )
    return decision


# --- "Meine Aufgaben" and reminders ------------------------------------------------------------

# Days before a meeting of the Beratungsfolge on which the body's editors are reminded.
REMINDER_DAYS = 7

# Outcomes after which nothing is left to do for a Vorlage (vertagt: it comes back).
FINAL = [o for o in Outcome.values if o != Outcome.POSTPONED]


def open_procedures():
    """Procedures of presented or frozen versions without a final decision yet."""
    final = CouncilDecision.objects.filter(procedure=OuterRef("pk"), outcome__in=FINAL)
    return DecisionProcedure.objects.annotate(done=Exists(final)).filter(done=False)


def decision_due(steps, today):
    """The deciding step whose meeting has taken place (its decision is to be recorded), or
    None; ``steps`` of a procedure without a final decision (open_procedures)."""
    deciding = next((s for s in steps if s.decides), None)
    if deciding and deciding.meeting_date and deciding.meeting_date <= today:
        return deciding
    return None


def _task_for(procedure, steps, today):
    body = procedure.municipality
    label = procedure.draft.version_label
    number = f" Nr. {procedure.document_number}" if procedure.document_number else ""
    deciding = decision_due(steps, today)
    if deciding:
        day = formats.date_format(deciding.meeting_date, "j. F Y")
        return Task(
            title=f"Beschluss eintragen: Digitalisierungsstrategie ({label})",
            text=(
                f"{deciding.committee} von {body} hat am {day} über die Vorlage{number} "
                "beraten. Bitte tragen Sie den Beschluss mit dem Beschlussauszug ein."
            ),
            url=reverse("drafts:decision_record", args=[procedure.draft_id, body.slug]),
            link_text="Beschluss eintragen",
            deadline=deciding.meeting_date,
        )
    upcoming = [s for s in steps if s.meeting_date and s.meeting_date >= today]
    if not upcoming:
        return Task(
            title=f"Beratungsfolge planen: Digitalisierungsstrategie ({label})",
            text=(
                f"Der Rat von {body} beschließt über die Strategie. Bitte tragen Sie die "
                "Vorlagennummer und die Sitzungstermine der Beratungsfolge ein."
            ),
            url=reverse("drafts:procedure", args=[procedure.draft_id, body.slug]),
            link_text="Beratungsfolge bearbeiten",
        )
    first = upcoming[0]
    day = formats.date_format(first.meeting_date, "j. F Y")
    return Task(
        title=f"Vorlage einbringen: Digitalisierungsstrategie ({label})",
        text=(
            f"Die Vorlage{number} von {body} kommt am {day} in die Sitzung: {first.committee}. "
            "Bitte bringen Sie sie rechtzeitig in die Tagesordnung ein."
        ),
        url=reverse("drafts:adoption", args=[procedure.draft_id]),
        link_text="Zum Beschlussverfahren",
        deadline=first.meeting_date,
    )


def dashboard_tasks(user, municipality):
    """The body's Vorlagen to bring in and decisions to record (two queries beyond the
    cached memberships)."""
    if municipality.is_district:
        if not can_manage_drafts(user):
            return []
    elif not acting.answers_for(user, municipality):
        return []
    today = timezone.localdate()
    procedures = (
        open_procedures()
        .filter(municipality=municipality, draft__state__in=ADOPTION_STATES)
        .select_related("draft", "municipality")
        .defer("draft__snapshot")
        .prefetch_related(Prefetch("steps", queryset=DeliberationStep.objects.order_by("position")))
    )
    return [_task_for(p, list(p.steps.all()), today) for p in procedures]


ADOPTION_STATES = [DraftState.FROZEN, DraftState.PUBLISHED, DraftState.DECIDED]


def reminders_due(today, days=REMINDER_DAYS):
    """Steps whose meeting is ``days`` ahead, of procedures without a final decision, that
    have not been reminded for that date: each reminder recorded here once."""
    meeting = today + datetime.timedelta(days=days)
    steps = (
        DeliberationStep.objects.filter(
            meeting_date=meeting,
            procedure__in=open_procedures().filter(draft__state__in=ADOPTION_STATES),
        )
        .exclude(reminders__meeting_date=meeting)
        .select_related("procedure__municipality__parent", "procedure__draft")
        .defer("procedure__draft__snapshot")
        .order_by("procedure__municipality__tree_path", "position")
    )
    due = []
    for step in steps:
        _, created = AdoptionReminder.objects.get_or_create(step=step, meeting_date=meeting)
        if created:
            due.append(step)
    return due


def reminder_mail(step):
    """(subject, text, recipients) of the reminder of one meeting (municipalities.acting:
    the body's editors, else its Samtgemeinde's)."""
    procedure = step.procedure
    body = procedure.municipality
    day = formats.date_format(step.meeting_date, "l, j. F Y")
    number = f" Nr. {procedure.document_number}" if procedure.document_number else ""
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "drafts:adoption", args=[procedure.draft_id]
    )
    what = "entscheidet über" if step.decides else "berät"
    text = (
        f"Am {day} {what} {step.committee} von {body} die Vorlage{number} zur "
        f"interkommunalen Digitalisierungsstrategie ({procedure.draft.version_label}).\n\n"
        "Bitte prüfen Sie, ob die Vorlage auf der Tagesordnung steht. Nach dem Beschluss des "
        "Rates tragen Sie ihn mit dem Beschlussauszug im Portal ein.\n\n"
        f"Zum Beschlussverfahren: {url}\n\n"
        "-- \nDigitalstrategie-Portal Landkreis Lüchow-Dannenberg\n"
    )
    subject = f"Erinnerung: {step.committee} von {body} am {step.meeting_date:%d.%m.%Y}"
    return subject, text, [u.email for u in acting.acting_for(body).notice_recipients]


# --- In force: which councils adopted which version when (public once decided) ------------------


def in_force():
    """{body pk: CouncilDecision} of the latest adoption per body of a presented version
    (the procedure and draft loaded); one query."""
    decisions = (
        CouncilDecision.objects.filter(
            outcome__in=IN_FORCE,
            procedure__draft__state__in=[DraftState.PUBLISHED, DraftState.DECIDED],
        )
        .select_related("procedure__draft", "procedure__municipality")
        .defer("procedure__draft__snapshot")
        .order_by("decided_on", "pk")
    )
    return {d.procedure.municipality_id: d for d in decisions}


def in_force_sentence(decision):
    """„Die Digitalisierungsstrategie (Fassung 2027) ist für Samtgemeinde Elbtalaue in Kraft:
    beschlossen am 10. März 2027.“"""
    body = decision.procedure.municipality
    draft = decision.procedure.draft
    day = formats.date_format(decision.decided_on, "j. F Y")
    changes = " mit Änderungen" if decision.outcome == Outcome.ADOPTED_WITH_CHANGES else ""
    return (
        f"Die Digitalisierungsstrategie ({draft.version_label}) ist für {body} in Kraft: "
        f"vom Rat{changes} beschlossen am {day}."
    )


def notices(user, municipality):
    """The body page's notice that the strategy is in force for the body (one query)."""
    decision = in_force().get(municipality.pk)
    if decision is None:
        return []
    return [
        Notice(
            text=in_force_sentence(decision),
            url=reverse("drafts:adoption", args=[decision.procedure.draft_id]),
            link_text="Welche Räte die Strategie beschlossen haben",
        )
    ]


# --- Beschlussvorschlag ------------------------------------------------------------------------


def default_resolution(body):
    """The default Beschlussvorschlag by kind of body (editable per body and version)."""
    if body.kind == MunicipalityKind.DISTRICT:
        return (
            "Der Kreistag beschließt die interkommunale Digitalisierungsstrategie und beauftragt "
            "die Verwaltung, die Maßnahmen des Landkreises umzusetzen und dem Kreistag jährlich "
            "über den Stand zu berichten."
        )
    if body.kind == MunicipalityKind.SAMTGEMEINDE:
        return (
            "Der Samtgemeinderat stimmt der interkommunalen Digitalisierungsstrategie zu und "
            "beauftragt die Verwaltung, die Maßnahmen der Samtgemeinde und ihrer "
            "Mitgliedsgemeinden umzusetzen."
        )
    # A member Gemeinde has no administration of its own: its Samtgemeinde does the work.
    administration = acting.administration_of(body)
    who = f"die {administration}" if administration else "die Verwaltung"
    return (
        f"Der Rat stimmt der interkommunalen Digitalisierungsstrategie zu und bittet {who}, "
        f"die Maßnahmen von {body} umzusetzen."
    )


def own_body_ids(procedure, snapshot):
    """The body and, for a Samtgemeinde, its members (ids as in the snapshot)."""
    body = procedure.municipality
    ids = {body.pk}
    if body.is_samtgemeinde:
        ids |= {b["id"] for b in snapshot.get("bodies", []) if b.get("parent_id") == body.pk}
    return ids


def resolution_text(procedure):
    return procedure.proposed_resolution.strip() or default_resolution(procedure.municipality)

"""What a confirmation says about the e-mails a step sends to bodies (``acting.acting_map``).

Every confirmation that announces e-mails says how many went to whom, by body, and names the
bodies nobody was told about. :func:`notice_report` works out the same recipients as the
e-mails themselves (``Acting.notice_recipients``: own editors, else the Samtgemeinde's), so
the confirmation and the mails cannot disagree.

A document presented to the Kreistag (a strategy version, a Sachstandsbericht) also tells the
council members: :class:`PresentationPlan` puts them and the bodies' people together, one
e-mail per person.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from .acting import acting_map
from .models import Municipality, Role


def person_name(user):
    return user.get_full_name().strip() or user.get_username()


def join_names(parts):
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " und " + parts[-1]


@dataclass
class BodyNotice:
    body: object
    recipients: tuple
    via: object = None  # the Samtgemeinde whose administration is told instead, if any
    nobody_can_answer: bool = False


@dataclass
class NoticeReport:
    """Who is told about a step concerning ``bodies``: one entry per body, in their order."""

    bodies: list = field(default_factory=list)

    @property
    def told(self):
        return [b for b in self.bodies if b.recipients]

    @property
    def untold(self):
        return [b for b in self.bodies if not b.recipients]

    @property
    def people(self):
        """Everyone told, each once (one e-mail per person), in order of first mention."""
        seen = {}
        for notice in self.told:
            for user in notice.recipients:
                seen.setdefault(user.pk, user)
        return list(seen.values())

    def by_person(self):
        """[(user, [bodies])]: what each person is told about (one mail per person)."""
        result = {}
        for notice in self.told:
            for user in notice.recipients:
                result.setdefault(user.pk, (user, []))[1].append(notice.body)
        return list(result.values())

    def sent_text(self, count=None):
        """German: "2 E-Mails werden verschickt: für Gorleben an Anna Schmidt; …". ``count``:
        the number of e-mails when it differs from one per person."""
        told = self.told
        if not told:
            return "Es wird keine E-Mail verschickt."
        n = len(self.people) if count is None else count
        parts = []
        for notice in told:
            names = join_names(person_name(u) for u in notice.recipients)
            via = f" (Verwaltung der {notice.via.label})" if notice.via is not None else ""
            parts.append(f"für {notice.body.label} an {names}{via}")
        mails = "1 E-Mail wird" if n == 1 else f"{n} E-Mails werden"
        return f"{mails} verschickt: " + "; ".join(parts) + "."

    def untold_text(self, coordinator_informed=False):
        """German: the bodies nobody was told about (empty when there are none)."""
        untold = self.untold
        if not untold:
            return ""
        names = join_names(n.body.label for n in untold)
        text = f"Niemand benachrichtigt für {names}: dort kann derzeit niemand antworten"
        if any(not n.nobody_can_answer for n in untold):
            text += " oder niemand hat eine E-Mail-Adresse hinterlegt"
        text += "."
        if coordinator_informed:
            text += " Die Koordinierungsstelle ist informiert."
        return text

    def text(self, coordinator_informed=False, count=None):
        return " ".join(
            t for t in (self.sent_text(count), self.untold_text(coordinator_informed)) if t
        )


def notice_report(bodies):
    """A :class:`NoticeReport` for notices about ``bodies`` (at most three queries)."""
    bodies = list(bodies)
    acting = acting_map(bodies)
    report = NoticeReport()
    for body in bodies:
        entry = acting[body.pk]
        via = entry.notified_via
        report.bodies.append(
            BodyNotice(
                body=body,
                recipients=entry.notice_recipients,
                via=via if via is not None and via.pk != body.pk else None,
                nobody_can_answer=entry.nobody_can_answer,
            )
        )
    return report


def council_members():
    """Active Kreistag members with an e-mail address, by name."""
    return list(
        get_user_model()
        .objects.filter(memberships__role=Role.COUNCIL, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


@dataclass
class Recipient:
    user: object
    council: bool = False
    bodies: list = field(default_factory=list)


@dataclass
class PresentationPlan:
    council: list
    report: object  # a NoticeReport over the bodies concerned
    # False for a document laid before another body's council: the Kreistag is not told, and
    # the text does not mention it.
    tells_council: bool = True

    @property
    def recipients(self):
        """One :class:`Recipient` per person: council members first, then the bodies' people."""
        people = {}
        for user in self.council:
            people[user.pk] = Recipient(user=user, council=True)
        for user, bodies in self.report.by_person():
            people.setdefault(user.pk, Recipient(user=user)).bodies.extend(bodies)
        return list(people.values())

    def text(self):
        """German: how many e-mails go to whom (council, and by body), and who is not told."""
        recipients = self.recipients
        if not recipients:
            parts = ["Es wird keine E-Mail verschickt."]
        else:
            n = len(recipients)
            mails = "1 E-Mail wird" if n == 1 else f"{n} E-Mails werden"
            council = len(self.council)
            parts = [
                f"{mails} verschickt: "
                + (
                    ""
                    if not self.tells_council
                    else "an kein Mitglied des Kreistags (niemand hat die Rolle Kreistag mit "
                    "E-Mail-Adresse); "
                    if not council
                    else f"an {council} Mitglied{'er' if council != 1 else ''} des Kreistags; "
                )
                + "für die Kommunen "
                + (
                    "an niemanden"
                    if not self.report.told
                    else "; ".join(
                        f"an {person_name(r.user)} für {join_names(b.label for b in r.bodies)}"
                        for r in recipients
                        if r.bodies
                    )
                )
                + "."
            ]
        untold = self.report.untold_text()
        if untold:
            parts.append(untold)
        return " ".join(parts)


SIGNATURE = "Digitalstrategie-Portal Landkreis Lüchow-Dannenberg"


def presentation_mail(recipient, subject, opening, links):
    """One e-mail of a :class:`PresentationPlan`: the opening sentence, why this person gets it
    (council member, and the bodies the person acts for), then the links, one per line."""
    lines = ["Guten Tag,", "", opening, ""]
    if recipient.council:
        lines += ["Sie erhalten diese Nachricht als Mitglied des Kreistags.", ""]
    if recipient.bodies:
        lines += [
            "Sie erhalten diese Nachricht für "
            + join_names(b.label for b in recipient.bodies)
            + ", für die Sie im Portal handeln.",
            "",
        ]
    lines += [*links, "", "-- ", SIGNATURE]
    return EmailMessage(subject, "\n".join(lines) + "\n", None, [recipient.user.email])


def send_presentation_once(queryset, build_messages):
    """Send a presented document's e-mails once, however often the task is delivered.

    ``queryset`` selects the document (one row with a ``presentation_mailed_at`` field) when it
    may be mailed; it is claimed first (committed at once, so no row lock is held while mails
    go out). ``build_messages()`` gives the e-mails. When the mail server fails, the claim is
    given back and the error raised, so a redelivered task tries again. Returns the number of
    e-mails sent, or None when the document was already mailed or may not be.
    """
    now = timezone.now()
    if not queryset.filter(presentation_mailed_at__isnull=True).update(presentation_mailed_at=now):
        return None
    messages = build_messages()
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        queryset.filter(presentation_mailed_at=now).update(presentation_mailed_at=None)
        raise


def district_bodies():
    """The bodies told about a document presented to the Kreistag: every Kommune below the
    Landkreis."""
    return list(
        Municipality.objects.exclude(parent=None).select_related("parent").order_by("tree_path")
    )

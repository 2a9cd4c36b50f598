"""Demo content for development and presentations: `manage.py seed_demo`.

The content is plain data (goals, measure templates, demo users) plus a seeder that combines
the templates deterministically (fixed random seed) with the municipalities in the database.
Every demo measure carries ``is_demo=True``; titles stay realistic because the portal shows the
flag itself.

Idempotent: users, memberships and goals are created only where missing (never reset), and
measures only if no demo measure exists yet, so nothing entered in between is overwritten.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.demo import demo_refusal
from fields_of_action.models import FieldOfAction, Goal
from municipalities.models import Membership, Municipality, MunicipalityKind, Role

from ..models import (
    CostPlanYear,
    Measure,
    Partnership,
    PartnershipState,
    Priority,
    ReviewComment,
    ReviewState,
    Status,
)
from ..review import review_snapshot
from .content import (
    CONTACT_NAMES,
    DEFAULT_CONTACT_ROLES,
    DISTRICT,
    GEMEINDE,
    GOALS,
    SAMTGEMEINDE,
    TEMPLATES,
)

SEED = 20261127
TOTAL_MEASURES = 132
# Only for local development (the command refuses unless PORTAL_DEMO_ALLOWED, core.demo).
DEMO_PASSWORD = "demo"  # noqa: S105


class DemoRefused(Exception):
    """The demo content cannot be created; the message (German) says why."""


STATUS_WEIGHTS = {
    Status.IDEA: 16,
    Status.PLANNED: 25,
    Status.IN_PROGRESS: 30,
    Status.COMPLETED: 19,
    Status.PAUSED: 5,
    Status.DROPPED: 5,
}
PRIORITY_WEIGHTS = {Priority.HIGH: 30, Priority.MEDIUM: 50, Priority.LOW: 20}
REVIEW_WEIGHTS = {
    ReviewState.ACCEPTED: 55,
    ReviewState.SUBMITTED: 15,
    ReviewState.CHANGES_REQUESTED: 8,
    ReviewState.DRAFT: 22,
}
RETURN_REASONS = [
    "Bitte ergänzen Sie Indikatoren, an denen sich die Wirkung ablesen lässt.",
    "Die Kostenanteile der beteiligten Kommunen fehlen noch.",
    "Bitte prüfen Sie, ob die Maßnahme nicht besser zu Handlungsfeld 2 passt.",
    "Der Zeitplan wirkt knapp: Bitte begründen Sie das geplante Ende.",
]


# --- Demo users -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    municipality_slug: str | None  # None: the district

    @property
    def email(self):
        return f"{self.username}@example.org"


DEMO_USERS = [
    DemoUser("koordination", "Sabine", "Wendt", Role.COORDINATOR, None),
    DemoUser("kreistag", "Jürgen", "Albers", Role.COUNCIL, None),
    DemoUser("sg-elbtalaue", "Miriam", "Schulze", Role.EDITOR, "sg-elbtalaue"),
    DemoUser("hitzacker", "Henrik", "Brandt", Role.EDITOR, "hitzacker-elbe"),
]


# --- Seeder -----------------------------------------------------------------------------------


def kind_code(municipality):
    if municipality.kind == MunicipalityKind.DISTRICT:
        return DISTRICT
    if municipality.kind == MunicipalityKind.SAMTGEMEINDE:
        return SAMTGEMEINDE
    return GEMEINDE


def full_name(municipality):
    """'Landkreis Lüchow-Dannenberg', 'Samtgemeinde Elbtalaue', 'Stadt Hitzacker (Elbe)'."""
    prefix = {
        MunicipalityKind.DISTRICT: "Landkreis",
        MunicipalityKind.SAMTGEMEINDE: "Samtgemeinde",
        MunicipalityKind.TOWN: "Stadt",
        MunicipalityKind.FLECKEN: "Flecken",
    }.get(municipality.kind, "Gemeinde")
    return f"{prefix} {municipality.name}"


def in_name(municipality):
    """'im Landkreis Lüchow-Dannenberg', 'in der Samtgemeinde Gartow', 'in Gorleben'."""
    if municipality.kind == MunicipalityKind.DISTRICT:
        return f"im Landkreis {municipality.name}"
    if municipality.kind == MunicipalityKind.SAMTGEMEINDE:
        return f"in der Samtgemeinde {municipality.name}"
    return f"in {municipality.name}"


def add_months(day, months):
    years, month_index = divmod(day.month - 1 + months, 12)
    return datetime.date(day.year + years, month_index + 1, 1)


@dataclass
class Login:
    username: str
    role: str
    municipality: str
    created: bool


@dataclass
class SeedResult:
    logins: list = field(default_factory=list)
    goals_created: int = 0
    measures_created: int = 0
    measures_existing: int = 0


class DemoSeeder:
    """Creates the demo users, goals and measures. ``run()`` is idempotent."""

    def __init__(self, seed=SEED, total=TOTAL_MEASURES, today=None):
        self.rng = random.Random(seed)
        self.total = total
        today = today or timezone.localdate()
        self.this_month = today.replace(day=1)

    def check(self):
        if not Municipality.objects.exists():
            raise DemoRefused(
                "Es sind noch keine Kommunen geladen. Bitte zuerst ausführen: manage.py "
                "import_municipalities municipalities/data/"
                "destatis_gv_auszug_q4_luechow-dannenberg_raw.csv "
                "--seats municipalities/data/samtgemeinde_sitze.csv"
            )
        if not Municipality.objects.filter(kind=MunicipalityKind.DISTRICT).exists():
            raise DemoRefused(
                "Es ist kein Landkreis angelegt; Koordinierungsstelle und Kreistag gehören "
                "zum Landkreis. Bitte den vollständigen GV-ISys-Auszug importieren."
            )
        if FieldOfAction.objects.count() == 0:
            raise DemoRefused(
                "Es sind keine Handlungsfelder vorhanden. Bitte zuerst „manage.py migrate“ "
                "ausführen."
            )

    def run(self):
        # Before the first query: the refusal must not depend on reaching the database.
        refusal = demo_refusal()
        if refusal:
            raise DemoRefused(refusal)
        return self._run()

    @transaction.atomic
    def _run(self):
        self.check()
        result = SeedResult()
        self.municipalities = list(Municipality.objects.in_tree_order())
        self.district = next(m for m in self.municipalities if kind_code(m) == DISTRICT)
        self.users = self._ensure_users(result)
        self.goals = self._ensure_goals(result)
        existing = Measure.objects.filter(is_demo=True).count()
        if existing:
            # Do not touch the demo measures again: they may have been edited since.
            result.measures_existing = existing
        else:
            result.measures_created = self._create_measures()
        return result

    # Users and goals

    def _ensure_users(self, result):
        User = get_user_model()
        by_slug = {m.slug: m for m in self.municipalities}
        users = {}
        for demo in DEMO_USERS:
            municipality = (
                self.district
                if demo.municipality_slug is None
                else by_slug.get(demo.municipality_slug)
            )
            if municipality is None:
                continue
            user, created = User.objects.get_or_create(
                username=demo.username,
                defaults={
                    "first_name": demo.first_name,
                    "last_name": demo.last_name,
                    "email": demo.email,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(user=user, municipality=municipality, role=demo.role)
            users[demo.username] = user
            result.logins.append(
                Login(
                    username=demo.username,
                    role=str(Role(demo.role).label),
                    municipality=full_name(municipality),
                    created=created,
                )
            )
        return users

    def _ensure_goals(self, result):
        fields = {f.number: f for f in FieldOfAction.objects.all()}
        goals = {}
        for number, entries in GOALS.items():
            field_of_action = fields.get(number)
            if field_of_action is None:
                continue
            goals[number] = []
            for position, (title, description) in enumerate(entries, start=1):
                goal, created = Goal.objects.get_or_create(
                    field_of_action=field_of_action,
                    title=title,
                    defaults={
                        "description": description,
                        "position": position,
                        "created_by": self.users.get("koordination"),
                    },
                )
                result.goals_created += created
                goals[number].append(goal)
        self.fields = fields
        return goals

    # Measures

    def _plan(self):
        """(template, lead) pairs: every template and every municipality at least once."""
        rng = self.rng
        by_kind = {DISTRICT: [], SAMTGEMEINDE: [], GEMEINDE: []}
        for m in self.municipalities:
            by_kind[kind_code(m)].append(m)
        templates = [t for t in TEMPLATES if t.field in self.fields]
        plan, used = [], set()
        lead_count, template_count = Counter(), Counter()

        def add(index, lead):
            plan.append((templates[index], lead))
            used.add((index, lead.pk))
            lead_count[lead.pk] += 1
            template_count[index] += 1

        def least_used(options):
            fewest = min(template_count[i] for i in options)
            return rng.choice([i for i in options if template_count[i] == fewest])

        for index, template in enumerate(templates):
            candidates = [m for k in template.leads for m in by_kind[k]] or self.municipalities
            fresh = [m for m in candidates if not lead_count[m.pk]]
            add(index, rng.choice(fresh or candidates))

        for m in self.municipalities:
            if lead_count[m.pk]:
                continue
            options = [i for i, t in enumerate(templates) if kind_code(m) in t.leads]
            add(least_used(options or list(range(len(templates)))), m)

        kinds = [k for k in (DISTRICT, SAMTGEMEINDE, GEMEINDE) if by_kind[k]]
        weights = {DISTRICT: 1, SAMTGEMEINDE: 3, GEMEINDE: 6}
        attempts = 0
        while len(plan) < self.total and attempts < self.total * 50:
            attempts += 1
            kind = rng.choices(kinds, weights=[weights[k] for k in kinds])[0]
            lead = rng.choice(by_kind[kind])
            options = [
                i for i, t in enumerate(templates) if kind in t.leads and (i, lead.pk) not in used
            ]
            if options:
                add(least_used(options), lead)
        rng.shuffle(plan)
        return plan

    def _spread(self, weights, count):
        """A shuffled list of ``count`` choices in the given proportions, each at least twice."""
        total = sum(weights.values())
        values = []
        for choice, weight in weights.items():
            values += [choice] * max(2, round(count * weight / total))
        self.rng.shuffle(values)
        while len(values) < count:
            values.append(self.rng.choices(list(weights), weights=list(weights.values()))[0])
        # Trim from the most common choice so that every choice stays present.
        while len(values) > count:
            most = Counter(values).most_common(1)[0][0]
            values.remove(most)
        return values

    def _dates(self, status):
        rng, now = self.rng, self.this_month
        if status == Status.IDEA:
            if rng.random() < 0.4:
                return None, None
            start = add_months(now, rng.randint(6, 24))
            return start, add_months(start, rng.randint(6, 18))
        if status == Status.PLANNED:
            start = add_months(now, rng.randint(1, 12))
            return start, add_months(start, rng.randint(6, 24))
        if status == Status.IN_PROGRESS:
            return add_months(now, -rng.randint(2, 24)), add_months(now, rng.randint(1, 18))
        if status == Status.COMPLETED:
            end = add_months(now, -rng.randint(1, 24))
            return add_months(end, -rng.randint(3, 18)), end
        if status == Status.PAUSED:
            return add_months(now, -rng.randint(4, 18)), add_months(now, rng.randint(3, 15))
        start = add_months(now, -rng.randint(3, 18))  # dropped
        return start, add_months(start, rng.randint(6, 18))

    def _budget(self, template, status):
        rng = self.rng
        if template.budget is None or (status == Status.IDEA and rng.random() < 0.4):
            return None, None
        low, high = template.budget
        step = 500 if high >= 20_000 else 100
        planned = Decimal(max(step, round(rng.uniform(low, high) / step) * step))
        spent_range = {
            Status.COMPLETED: (0.82, 1.08),
            Status.IN_PROGRESS: (0.1, 0.7),
            Status.PAUSED: (0.05, 0.4),
            Status.DROPPED: (0.0, 0.15),
        }.get(status)
        if spent_range is None:
            return planned, None
        spent = Decimal(round(float(planned) * rng.uniform(*spent_range) / 10) * 10)
        return planned, spent or None

    def _partners(self, lead):
        rng = self.rng
        code = kind_code(lead)
        samtgemeinden = [m for m in self.municipalities if kind_code(m) == SAMTGEMEINDE]
        if code == DISTRICT:
            pool = samtgemeinden
        elif code == SAMTGEMEINDE:
            members = [m for m in self.municipalities if m.parent_id == lead.pk]
            others = [m for m in samtgemeinden if m.pk != lead.pk]
            pool = members if members and rng.random() < 0.5 else others + [self.district]
        else:
            siblings = [
                m
                for m in self.municipalities
                if m.parent_id == lead.parent_id and m.pk != lead.pk and kind_code(m) == GEMEINDE
            ]
            parent = [m for m in self.municipalities if m.pk == lead.parent_id]
            pool = parent if not siblings or rng.random() < 0.3 else siblings
        pool = [m for m in pool if m.pk != lead.pk]
        if not pool:
            return []
        count = rng.randint(1, min(len(pool), 4))
        partners = sorted(rng.sample(pool, count), key=lambda m: m.tree_path)
        if rng.random() < 0.4:
            return [(m, None) for m in partners]
        # The partners carry part of the cost, the lead keeps the rest.
        partner_total = Decimal(rng.choice([30, 40, 50, 60, 75, 80]))
        each = (partner_total / len(partners)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        return [(m, each) for m in partners]

    def _author(self, lead):
        users = self.users
        if lead.slug == "hitzacker-elbe" and "hitzacker" in users:
            return users["hitzacker"]
        elbtalaue = lead.slug == "sg-elbtalaue" or (
            lead.parent is not None and lead.parent.slug == "sg-elbtalaue"
        )
        if elbtalaue and "sg-elbtalaue" in users:
            return users["sg-elbtalaue"]
        return users.get("koordination")

    def _create_measures(self):
        created = []
        rng = self.rng
        plan = self._plan()
        statuses = self._spread(STATUS_WEIGHTS, len(plan))
        priorities = self._spread(PRIORITY_WEIGHTS, len(plan))
        for (template, lead), status, priority in zip(plan, statuses, priorities, strict=True):
            names = {"name": lead.name, "kommune": full_name(lead), "in_kommune": in_name(lead)}
            start, end = self._dates(status)
            budget_planned, budget_spent = self._budget(template, status)
            code = kind_code(lead)
            with_contact = rng.random() < 0.85
            author = self._author(lead)
            measure = Measure(
                lead_municipality=lead,
                field_of_action=self.fields[template.field],
                title=template.title.format(**names),
                summary=template.summary.format(**names),
                description=template.description.format(**names),
                for_citizens="c" in template.groups,
                for_businesses="b" in template.groups,
                for_administration="a" in template.groups,
                status=status,
                priority=priority,
                planned_start=start,
                planned_end=end,
                budget_planned=budget_planned,
                budget_spent=budget_spent,
                funding_source=rng.choice(template.funding) if budget_planned else "",
                contact_role=(
                    (template.contact_role or rng.choice(DEFAULT_CONTACT_ROLES[code]))
                    if with_contact
                    else ""
                ),
                contact_name=rng.choice(CONTACT_NAMES) if with_contact else "",
                contact_email=(
                    f"digitalisierung@{lead.slug}.example.org"
                    if with_contact and rng.random() < 0.7
                    else ""
                ),
                leika_key=template.leika_key,
                created_by=author,
                updated_by=author,
                is_demo=True,
            )
            measure.full_clean()
            measure._history_user = author
            measure.save()
            created.append(measure.pk)
            if budget_planned is not None or budget_spent is not None:
                # The totals are the plan's sums: one year, as the migration of old amounts.
                CostPlanYear.objects.create(
                    measure=measure,
                    year=(start or self.this_month).year,
                    running_planned=budget_planned,
                    running_actual=budget_spent,
                )
            goals = self.goals.get(template.field, [])
            chosen = {goals[i] for i in template.goals if i < len(goals)}
            if goals and rng.random() < 0.2:
                chosen.add(rng.choice(goals))
            if chosen:
                measure.goals.set(sorted(chosen, key=lambda g: g.pk))
            if rng.random() < template.joint:
                for municipality, share in self._partners(lead):
                    # Demo joint measures stand for agreed ones (see migration 0004).
                    partnership = Partnership(
                        measure=measure,
                        municipality=municipality,
                        cost_share_percent=share,
                        state=PartnershipState.CONFIRMED,
                        decided_at=timezone.now(),
                    )
                    partnership._history_user = author
                    partnership.save()
        self._review(created)
        return len(plan)

    def _review(self, pks):
        """A realistic review picture: most accepted, some waiting, some returned.

        Written directly (not through transition_to) so that seeding sends no e-mails.
        """
        coordinator = self.users["koordination"]
        measures = Measure.objects.with_related().filter(pk__in=pks).order_by("pk")
        states = self._spread(REVIEW_WEIGHTS, len(pks))
        comments = []
        now = timezone.now()
        for measure, state in zip(measures, states, strict=True):
            if state == ReviewState.DRAFT:
                continue
            steps = [(measure.created_by, ReviewState.DRAFT, ReviewState.SUBMITTED, "")]
            if state == ReviewState.CHANGES_REQUESTED:
                reason = self.rng.choice(RETURN_REASONS)
                steps.append((coordinator, ReviewState.SUBMITTED, state, reason))
            elif state == ReviewState.ACCEPTED:
                steps.append((coordinator, ReviewState.SUBMITTED, state, ""))
                measure.accepted_snapshot = review_snapshot(measure)
                measure.accepted_at = now
            measure.review_state = state
            measure._history_user = coordinator
            measure.save(update_fields=["review_state", "accepted_snapshot", "accepted_at"])
            comments += [
                ReviewComment(measure=measure, author=author, text=text, from_state=a, to_state=b)
                for author, a, b, text in steps
            ]
        ReviewComment.objects.bulk_create(comments)

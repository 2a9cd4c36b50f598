from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from core import data_version
from core.models import TimeStampedModel


class MunicipalityKind(models.TextChoices):
    DISTRICT = "district", _("Landkreis")
    SAMTGEMEINDE = "samtgemeinde", _("Samtgemeinde")
    TOWN = "town", _("Stadt")
    FLECKEN = "flecken", _("Flecken")
    MUNICIPALITY = "municipality", _("Gemeinde")


# The elected council of each kind of body (NKomVG: Kreistag, Samtgemeinderat, Rat).
COUNCIL_NAMES = {
    MunicipalityKind.DISTRICT: "Kreistag",
    MunicipalityKind.SAMTGEMEINDE: "Samtgemeinderat",
    MunicipalityKind.TOWN: "Rat der Stadt",
    MunicipalityKind.FLECKEN: "Rat des Fleckens",
    MunicipalityKind.MUNICIPALITY: "Rat der Gemeinde",
}


class MunicipalityQuerySet(models.QuerySet):
    def in_tree_order(self):
        """District first, then each Samtgemeinde followed by its members, by name."""
        return self.select_related("parent").order_by("tree_path")

    def with_acting(self):
        """``acting.acting_for`` in SQL: ``has_own_editors``, ``has_administration_editors``
        (a member's Samtgemeinde) and ``nobody_can_answer`` on every body."""
        editors = Membership.objects.acting_editors()
        return self.annotate(
            has_own_editors=Exists(editors.filter(municipality_id=OuterRef("pk"))),
            has_administration_editors=Exists(
                editors.filter(
                    municipality_id=OuterRef("parent_id"),
                    municipality__kind=MunicipalityKind.SAMTGEMEINDE,
                )
            ),
        ).annotate(
            nobody_can_answer=Case(
                When(Q(has_own_editors=True) | Q(has_administration_editors=True), then=False),
                default=Value(True),
                output_field=BooleanField(),
            )
        )

    def nobody_can_answer(self):
        """The bodies without anyone who can answer for them."""
        return self.with_acting().filter(nobody_can_answer=True)


class Municipality(TimeStampedModel):
    """A body of the kommunale Familie: the district, a Samtgemeinde or a member Gemeinde."""

    name = models.CharField(
        _("Name"),
        max_length=200,
        help_text=_("Kurzname ohne Zusatz, z. B. „Hitzacker (Elbe)“."),
    )
    official_name = models.CharField(
        _("amtlicher Name"),
        max_length=200,
        help_text=_("Name wie im Gemeindeverzeichnis, z. B. „Hitzacker (Elbe), Stadt“."),
    )
    slug = models.SlugField(_("Kürzel in Adressen"), max_length=100, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=MunicipalityKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("übergeordnete Körperschaft"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    seat = models.ForeignKey(
        "self",
        verbose_name=_("Verwaltungssitz"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Sitz der Verwaltung einer Samtgemeinde."),
    )
    ags = models.CharField(
        _("AGS"),
        max_length=8,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^\d{8}$", _("Der AGS hat genau 8 Ziffern."))],
        help_text=_("Amtlicher Gemeindeschlüssel; Samtgemeinden haben keinen."),
    )
    ars = models.CharField(
        _("ARS"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{5,12}$", _("Der ARS besteht aus 5 bis 12 Ziffern."))],
        help_text=_(
            "Amtlicher Regionalschlüssel (Landkreis 5, Samtgemeinde 9, Gemeinde 12 Ziffern)."
        ),
    )
    population = models.PositiveIntegerField(_("Einwohnerzahl"), default=0)
    area_km2 = models.DecimalField(_("Fläche in km²"), max_digits=9, decimal_places=2, default=0)
    postal_code = models.CharField(_("Postleitzahl"), max_length=5, blank=True)
    latitude = models.DecimalField(
        _("Breitengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("Längengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    label = models.CharField(
        _("eindeutiger Name"),
        max_length=250,
        editable=False,
        blank=True,
        help_text=_("Der Name, der die Kommune von allen anderen unterscheidet."),
    )
    # Why: sorting a two-level tree in one query; "<parent ars>/<ars>" sorts members under
    # their Samtgemeinde and the district (shortest key) first.
    tree_path = models.CharField(_("Baumpfad"), max_length=100, editable=False, db_index=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        ordering = ["tree_path"]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.tree_path = self.compute_tree_path()
        self.label = self.compute_label()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "tree_path", "label"}
        super().save(*args, **kwargs)
        if self.kind == MunicipalityKind.SAMTGEMEINDE:
            # A member named like its Samtgemeinde carries its kind: keep their labels right.
            for member in Municipality.objects.filter(parent=self).select_related("parent"):
                label = member.compute_label()
                if label != member.label:
                    Municipality.objects.filter(pk=member.pk).update(label=label)
                    data_version.changed()

    def compute_tree_path(self):
        if self.parent_id is None:
            return self.ars
        parent = self.parent
        return f"{parent.tree_path}/{self.ars}"

    def compute_label(self):
        """The body's name, unambiguous in the district (stored in ``label``).

        "Gartow" is both a Samtgemeinde and its Flecken, "Lüchow (Wendland)" both a
        Samtgemeinde and its town: the Samtgemeinde and the district carry their kind in
        front ("Samtgemeinde Gartow", "Landkreis Lüchow-Dannenberg"), a member named like its
        Samtgemeinde carries it behind ("Gartow (Flecken)", "Lüchow (Wendland), Stadt").
        """
        if self.kind in (MunicipalityKind.DISTRICT, MunicipalityKind.SAMTGEMEINDE):
            return f"{self.get_kind_display()} {self.name}"
        if self.parent_id and self.parent.name == self.name:
            kind = self.get_kind_display()
            return f"{self.name}, {kind}" if self.name.endswith(")") else f"{self.name} ({kind})"
        return self.name

    @property
    def label_with_kind(self):
        """The label with the kind, said once: "Gartow (Flecken)", "Dannenberg (Elbe), Stadt"."""
        return label_with_kind(self.name, self.label, self.get_kind_display())

    @property
    def council_name(self):
        """The body's council as the NKomVG names it: "Kreistag", "Samtgemeinderat", "Rat der
        Stadt", "Rat des Fleckens", "Rat der Gemeinde"."""
        return COUNCIL_NAMES[self.kind]

    @property
    def council_label(self):
        """The council named unambiguously, fit to follow "dem": "Kreistag", "Samtgemeinderat
        der Samtgemeinde Gartow", "Rat des Fleckens Gartow", "Rat der Gemeinde Gorleben"."""
        if self.kind == MunicipalityKind.DISTRICT:
            return self.council_name
        if self.kind == MunicipalityKind.SAMTGEMEINDE:
            return f"{self.council_name} der {self.label or self.compute_label()}"
        # "Rat der Stadt" already says the kind: the bare name is unambiguous behind it.
        return f"{self.council_name} {self.name}"

    @property
    def is_district(self):
        return self.kind == MunicipalityKind.DISTRICT

    @property
    def is_samtgemeinde(self):
        return self.kind == MunicipalityKind.SAMTGEMEINDE

    @property
    def display_kind(self):
        return self.get_kind_display()


def label_with_kind(name, label, kind):
    """``label`` where it already names the kind (it differs from the bare ``name``:
    "Samtgemeinde Gartow", "Gartow (Flecken)"), else the name with its kind behind, in the
    form of ``Municipality.compute_label``: "Gorleben (Gemeinde)", "Dannenberg (Elbe), Stadt"."""
    if label and label != name:
        return label
    return f"{name}, {kind}" if name.endswith(")") else f"{name} ({kind})"


class Role(models.TextChoices):
    EDITOR = "editor", _("Redaktion")
    COORDINATOR = "coordinator", _("Koordinierungsstelle")
    COUNCIL = "council", _("Kreistag")


class MembershipQuerySet(models.QuerySet):
    def acting_editors(self):
        """Editor memberships whose person can act: active, with a password set (an invited
        person who has not followed the link yet cannot)."""
        return self.filter(role=Role.EDITOR, user__is_active=True).exclude(
            user__password__startswith=UNUSABLE_PASSWORD_PREFIX
        )


class Membership(TimeStampedModel):
    """A user's role in one municipality.

    Coordinators and council members are members of the district.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("Kommune"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.municipality} ({self.get_role_display()})"

    def clean(self):
        district_roles = {Role.COORDINATOR, Role.COUNCIL}
        if (
            self.role in district_roles
            and self.municipality_id
            and not self.municipality.is_district
        ):
            raise ValidationError(
                {"role": _("Koordinierungsstelle und Kreistag gehören zum Landkreis.")}
            )

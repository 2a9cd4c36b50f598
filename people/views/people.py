import re

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from municipalities import rules
from municipalities.acting import acting_map
from municipalities.models import Membership, Municipality, Role

from .. import services
from ..forms import BodyFilterForm, InviteForm, PortalSetPasswordForm, RoleForm
from ..models import Invitation, PeopleEvent


def _require_coordinator(request):
    if not rules.is_coordinator(request.user):
        raise PermissionDenied("Personen und Rollen verwaltet die Koordinierungsstelle.")


def _people():
    memberships = Membership.objects.select_related("municipality__parent").order_by(
        "municipality__tree_path", "role"
    )
    return (
        get_user_model()
        .objects.prefetch_related(
            Prefetch("memberships", queryset=memberships),
            Prefetch("invitations", queryset=Invitation.objects.open(), to_attr="open_invitations"),
        )
        .order_by("last_name", "first_name", "username")
    )


def _invited_for(people):
    """{body pk: [people]} with an open invitation to a role at the body."""
    invited = {}
    for person in people:
        if person.is_active and person.open_invitations:
            for membership in person.memberships.all():
                invited.setdefault(membership.municipality_id, []).append(person)
    return invited


def people_list(request):
    """Every body with its people, who acts for it, open invitations and, highlighted, the
    bodies nobody can answer for (``?niemand=1`` shows only those)."""
    _require_coordinator(request)
    filter_form = BodyFilterForm(request.GET or None)
    valid = filter_form.is_valid()
    body = filter_form.cleaned_data["kommune"] if valid else None
    only_nobody = valid and filter_form.cleaned_data["niemand"]
    people = list(_people())
    bodies = list(Municipality.objects.select_related("parent").order_by("tree_path"))
    acting = acting_map(bodies)
    invited = _invited_for(people)
    groups = []
    for municipality in bodies:
        if body is not None and municipality.pk != body.pk:
            continue
        if only_nobody and not acting[municipality.pk].nobody_can_answer:
            continue
        rows = [
            (person, [m for m in person.memberships.all() if m.municipality_id == municipality.pk])
            for person in people
        ]
        rows = [(person, roles) for person, roles in rows if roles]
        groups.append(
            {
                "municipality": municipality,
                "rows": rows,
                "acting": acting[municipality.pk],
                "invited": invited.get(municipality.pk, []),
            }
        )
    filtered = body is not None or only_nobody
    without_role = [] if filtered else [p for p in people if not p.memberships.all()]
    return render(
        request,
        "people/people_list.html",
        {
            "filter_form": filter_form,
            "groups": groups,
            "only_nobody": only_nobody,
            "nobody_count": sum(1 for entry in acting.values() if entry.nobody_can_answer),
            "without_role": without_role,
            "events": PeopleEvent.objects.select_related("actor", "person")[:15],
        },
    )


# The session key under which the link of the invitation just made waits to be shown once.
SHOWN_LINK = "people_invitation_link"


def _deliver(request, user, token):
    """Send the invitation and keep its link for the coordinator's next page only.

    The link is a secret (whoever has it sets the password): it goes into the coordinator's
    own server-side session, never into a message cookie, the log or the people's history,
    and the person's page takes it out again when it shows it (``_take_link``).
    """
    request.session[SHOWN_LINK] = {"person": user.pk, "link": services.invitation_link(token)}
    if services.send_invitation(user, token, request.user):
        messages.success(
            request,
            f"Die Einladung ist an {user.email} unterwegs. Der Link gilt "
            f"{services.settings.PEOPLE_INVITATION_HOURS} Stunden.",
        )
    else:
        messages.warning(
            request,
            "Die E-Mail konnte nicht gesendet werden. Die Person ist angelegt; geben Sie ihr "
            "den Einladungslink unten selbst weiter oder senden Sie die Einladung später erneut.",
        )


def _take_link(request, person):
    """The invitation link made for ``person`` in this session, once; None otherwise."""
    shown = request.session.get(SHOWN_LINK)
    if not shown or shown.get("person") != person.pk:
        return None
    del request.session[SHOWN_LINK]
    return shown.get("link")


def _invite_initial(query):
    """``?kommune=<id>`` (from "niemand" on the people list) preselects the body and the
    editor role; anything that is not a body's id is ignored."""
    raw = query.get("kommune", "")
    if not re.fullmatch(r"[0-9]{1,9}", raw):
        return {}
    body = Municipality.objects.filter(pk=int(raw)).first()
    return {"municipality": body, "role": Role.EDITOR} if body else {}


def invite(request):
    _require_coordinator(request)
    form = InviteForm(request.POST or None, initial=_invite_initial(request.GET))
    if request.method == "POST" and form.is_valid():
        try:
            user, token = services.invite(actor=request.user, **form.cleaned_data)
        except services.PeopleError as error:
            form.add_error(None, str(error))
        else:
            _deliver(request, user, token)
            return redirect("people:detail", pk=user.pk)
    if request.method == "POST":
        messages.error(request, "Bitte prüfen Sie die markierten Angaben.")
    return render(
        request,
        "people/invite.html",
        {"form": form, "hours": services.settings.PEOPLE_INVITATION_HOURS},
    )


def _person(pk):
    return get_object_or_404(_people(), pk=pk)


def person_detail(request, pk):
    _require_coordinator(request)
    person = _person(pk)
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_role(actor=request.user, user=person, **form.cleaned_data)
        except services.PeopleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Die Rolle wurde vergeben.")
            return redirect("people:detail", pk=person.pk)
    link = _take_link(request, person) if person.is_active else None
    response = render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "form": form,
            "events": person.people_events.select_related("actor")[:50],
            "is_self": person.pk == request.user.pk,
            "invitation_link": link,
            "hours": services.settings.PEOPLE_INVITATION_HOURS,
        },
    )
    if link:
        add_never_cache_headers(response)  # the page holds a secret: kept by no cache
    return response


def role_remove(request, pk):
    _require_coordinator(request)
    membership = get_object_or_404(Membership.objects.select_related("user", "municipality"), pk=pk)
    if request.method == "POST":
        try:
            services.remove_role(actor=request.user, membership=membership)
        except services.PeopleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Die Rolle wurde entzogen.")
        return redirect("people:detail", pk=membership.user_id)
    return render(request, "people/role_confirm_remove.html", {"membership": membership})


def deactivate(request, pk):
    _require_coordinator(request)
    person = _person(pk)
    if request.method == "POST":
        try:
            services.deactivate(actor=request.user, user=person)
        except services.PeopleError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"{services.display_name(person)} ist deaktiviert und kann sich nicht mehr "
                "anmelden.",
            )
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_confirm_deactivate.html", {"person": person})


@require_POST
def reactivate(request, pk):
    _require_coordinator(request)
    person = _person(pk)
    services.reactivate(actor=request.user, user=person)
    messages.success(request, f"{services.display_name(person)} ist wieder aktiv.")
    return redirect("people:detail", pk=person.pk)


@require_POST
def resend(request, pk):
    _require_coordinator(request)
    person = _person(pk)
    try:
        token = services.resend_invitation(actor=request.user, user=person)
    except services.PeopleError as error:
        messages.error(request, str(error))
    else:
        _deliver(request, person, token)
    return redirect("people:detail", pk=person.pk)


def accept(request, token):
    """The invited person sets a password through the one-time link (no login needed)."""
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "people/invitation_invalid.html", status=404)
    form = PortalSetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(invitation, form.cleaned_data["new_password1"])
        except services.PeopleError:
            return render(request, "people/invitation_invalid.html", status=409)
        # The person just proved the link and chose the password: no second login needed.
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            "Ihr Passwort ist gespeichert und Sie sind angemeldet. Künftig melden Sie sich mit "
            f"{_login_name(user)} und diesem Passwort an.",
        )
        return redirect("dashboard")
    return render(request, "people/accept.html", {"form": form, "person": invitation.user})


def _login_name(user):
    if user.email and user.username.casefold() == user.email.casefold():
        return f"Ihrer E-Mail-Adresse {user.username}"
    return f"dem Benutzernamen {user.username}"

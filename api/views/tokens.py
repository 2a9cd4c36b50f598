"""The portal pages where a body's editors and the coordinator create and revoke API keys."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from municipalities.models import Municipality

from ..forms import TokenForm
from ..models import ApiToken
from ..permissions import can_manage_tokens, tokens_of


def _managed_body(request, slug):
    municipality = get_object_or_404(Municipality.objects.select_related("parent"), slug=slug)
    if not can_manage_tokens(request.user, municipality):
        raise PermissionDenied("Sie dürfen die API-Schlüssel dieser Kommune nicht verwalten.")
    return municipality


@login_required
def token_list(request, slug):
    municipality = _managed_body(request, slug)
    return render(
        request,
        "api/token_list.html",
        {"municipality": municipality, "tokens": tokens_of(municipality), "form": TokenForm()},
    )


@login_required
@require_http_methods(["POST"])
def token_create(request, slug):
    municipality = _managed_body(request, slug)
    form = TokenForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "api/token_list.html",
            {"municipality": municipality, "tokens": tokens_of(municipality), "form": form},
            status=400,
        )
    token, secret = ApiToken.issue(municipality, form.cleaned_data["name"], request.user)
    # Shown once, on this response only: never stored, never put into a message or the session.
    response = render(
        request,
        "api/token_created.html",
        {"municipality": municipality, "token": token, "secret": secret},
        status=201,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, slug, pk):
    municipality = _managed_body(request, slug)
    token = get_object_or_404(ApiToken.objects.filter(municipality=municipality), pk=pk)
    if request.method == "POST":
        with transaction.atomic():
            token = ApiToken.objects.select_for_update().get(pk=token.pk)
            if token.revoked_at is None:
                token.revoked_at = timezone.now()
                token.revoked_by = request.user
                token.save(update_fields=["revoked_at", "revoked_by"])
        messages.success(request, f"Der API-Schlüssel „{token.name}“ wurde widerrufen.")
        return redirect("api:tokens", slug=municipality.slug)
    return render(
        request, "api/token_confirm_revoke.html", {"municipality": municipality, "token": token}
    )

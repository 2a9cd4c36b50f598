import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core import dispatch
from municipalities import rules

from .. import defaults
from ..forms import AccessibilityStatementForm, FeedbackForm, LegalPageForm
from ..markup import render as render_markup
from ..models import AccessibilityFeedback, AccessibilityStatement, LegalPage, PageKind

STATEMENT_PK = 1


def _urls():
    """Addresses the default texts link to."""
    return {
        "email": settings.DEFAULT_FROM_EMAIL,
        "sources_url": reverse("sources"),
        "accessibility_url": reverse("pages:accessibility"),
        "feedback_url": reverse("pages:feedback"),
        "easy_read_url": reverse("pages:easy_read"),
    }


def _require_coordinator(user):
    if not rules.is_coordinator(user):
        raise PermissionDenied("Nur die Koordinierungsstelle darf diese Seite bearbeiten.")


def _page(kind):
    """(stored page or None, Markdown text to show)."""
    page = LegalPage.objects.filter(kind=kind).select_related("updated_by").first()
    return page, (page.text if page else defaults.page_text(kind, _urls()))


def _statement():
    statement = AccessibilityStatement.objects.filter(pk=STATEMENT_PK).first()
    if statement is None:
        return AccessibilityStatement(pk=STATEMENT_PK, **defaults.statement_values(_urls())), True
    return statement, False


def legal_page(request, kind):
    page, text = _page(kind)
    context = {
        "kind": PageKind(kind),
        "page": page,
        "html": render_markup(text),
        "is_default": page is None,
        "can_edit": rules.is_coordinator(request.user),
    }
    if kind == PageKind.SIGN_LANGUAGE:
        context["has_video"] = bool(page and page.video)
    return render(request, "pages/legal_page.html", context)


@login_required
def legal_page_edit(request, kind):
    _require_coordinator(request.user)
    if kind not in PageKind.values:
        raise Http404("Diese Seite gibt es nicht.")
    kind = PageKind(kind)
    page, text = _page(kind)
    instance = page or LegalPage(kind=kind, text=text)
    form = LegalPageForm(request.POST or None, request.FILES or None, instance=instance, kind=kind)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = _save_unless_stale(form, LegalPage, request.user, kind=kind)
    if request.method == "POST" and form.is_valid() and conflict is None:
        messages.success(request, f"Die Seite „{kind.label}“ wurde gespeichert.")
        return redirect(f"pages:{_URL_NAMES[kind]}")
    if request.method == "POST":
        messages.error(request, _NOT_SAVED if conflict else _CHECK_INPUT)
    history = page.history.select_related("history_user")[:10] if page else []
    return render(
        request,
        "pages/legal_page_form.html",
        {
            "kind": kind,
            "form": form,
            "history": history,
            "is_default": page is None,
            "view_url": reverse(f"pages:{_URL_NAMES[kind]}"),
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


_NOT_SAVED = "Nicht gespeichert: jemand anderes hat inzwischen gespeichert."
_CHECK_INPUT = "Bitte prüfen Sie die markierten Angaben."


def _save_unless_stale(form, model, user, **lookup):
    """Save under the row lock; when someone saved it meanwhile, the conflict instead.

    ``lookup`` finds the one row (by kind, or the statement's fixed key). While no row exists
    yet, the form was loaded from the default text: whoever stores the first version first
    wins, and a second first save, even at the same moment, gets the conflict, not an error.
    """
    with transaction.atomic():
        current = model.objects.select_for_update().filter(**lookup).first()
        if current is not None and form.is_stale(current):
            return form.conflict(current)
        saved = form.save(commit=False)
        saved.updated_by = user
        try:
            _store(saved)
        except IntegrityError:  # a first version stored at the same moment
            return form.conflict(model.objects.get(**lookup))
    return None


def _store(row):
    with transaction.atomic():  # a savepoint: the transaction survives a unique violation
        row.save()


def sign_language_video(request):
    page = LegalPage.objects.filter(kind=PageKind.SIGN_LANGUAGE).first()
    if page is None or not page.video:
        raise Http404("Es gibt noch kein Video in Deutscher Gebärdensprache.")
    content_type = mimetypes.guess_type(page.video.name)[0] or "application/octet-stream"
    return FileResponse(page.video.open("rb"), content_type=content_type)


def accessibility(request):
    statement, is_default = _statement()
    sign_language = LegalPage.objects.filter(kind=PageKind.SIGN_LANGUAGE).first()
    return render(
        request,
        "pages/accessibility.html",
        {
            "statement": statement,
            "is_default": is_default,
            "shortcomings": render_markup(statement.shortcomings),
            "method": render_markup(statement.method),
            "conciliation": render_markup(statement.conciliation),
            "has_video": bool(sign_language and sign_language.video),
            "can_edit": rules.is_coordinator(request.user),
        },
    )


@login_required
def accessibility_edit(request):
    _require_coordinator(request.user)
    statement, is_default = _statement()
    form = AccessibilityStatementForm(request.POST or None, instance=statement)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = _save_unless_stale(form, AccessibilityStatement, request.user, pk=STATEMENT_PK)
    if request.method == "POST" and form.is_valid() and conflict is None:
        messages.success(request, "Die Erklärung zur Barrierefreiheit wurde gespeichert.")
        return redirect("pages:accessibility")
    if request.method == "POST":
        messages.error(request, _NOT_SAVED if conflict else _CHECK_INPUT)
    history = [] if is_default else statement.history.select_related("history_user")[:10]
    return render(
        request,
        "pages/accessibility_form.html",
        {"form": form, "history": history, "is_default": is_default, "conflict": conflict},
        status=409 if conflict else 200,
    )


def _client_address(request):
    return request.META.get("REMOTE_ADDR", "")


def _over_feedback_limit(request):
    """At most PAGES_FEEDBACK_PER_HOUR reports an hour from one address (spam protection)."""
    key = f"pages:feedback:{_client_address(request)}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > settings.PAGES_FEEDBACK_PER_HOUR


def feedback(request):
    initial = {"page": request.GET.get("seite", "")[:500]}
    form = FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _over_feedback_limit(request):
            form.add_error(
                None,
                "Von Ihrem Anschluss kamen in der letzten Stunde schon viele Rückmeldungen. "
                "Bitte versuchen Sie es später noch einmal oder schreiben Sie eine E-Mail.",
            )
        else:
            with transaction.atomic():
                entry = form.save()
                # Redis away: the report is stored all the same, only the e-mail is missing.
                dispatch.on_commit("pages.send_accessibility_feedback", entry.pk)
            messages.success(
                request,
                "Vielen Dank! Ihre Rückmeldung ist bei der Koordinierungsstelle angekommen.",
            )
            return redirect("pages:accessibility")
    if request.method == "POST" and form.errors:
        messages.error(request, _CHECK_INPUT)
    return render(request, "pages/feedback_form.html", {"form": form})


@login_required
def feedback_list(request):
    _require_coordinator(request.user)
    return render(
        request,
        "pages/feedback_list.html",
        {"entries": AccessibilityFeedback.objects.all()[:200]},
    )


@login_required
def feedback_delete(request, pk):
    _require_coordinator(request.user)
    entry = get_object_or_404(AccessibilityFeedback, pk=pk)
    if request.method == "POST":
        entry.delete()
        messages.success(request, "Die Rückmeldung wurde gelöscht.")
        return redirect("pages:feedback_list")
    return render(request, "pages/feedback_confirm_delete.html", {"entry": entry})


_URL_NAMES = {
    PageKind.IMPRESSUM: "impressum",
    PageKind.PRIVACY: "privacy",
    PageKind.EASY_READ: "easy_read",
    PageKind.SIGN_LANGUAGE: "sign_language",
}

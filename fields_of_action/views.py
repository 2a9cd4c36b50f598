from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from municipalities import rules

from .forms import GoalForm
from .models import FieldOfAction, Goal


def field_list(request):
    fields = FieldOfAction.objects.annotate(goal_count=Count("goals"))
    return render(request, "fields_of_action/field_list.html", {"fields": fields})


def field_detail(request, slug):
    field = get_object_or_404(FieldOfAction, slug=slug)
    return render(
        request,
        "fields_of_action/field_detail.html",
        {
            "field": field,
            "goals": field.goals.all(),
            "can_maintain_goals": rules.can_maintain_goals(request.user),
        },
    )


def _require_goal_maintainer(request):
    if not rules.can_maintain_goals(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle pflegt Ziele.")


@login_required
def goal_create(request, slug):
    _require_goal_maintainer(request)
    field = get_object_or_404(FieldOfAction, slug=slug)
    form = GoalForm(request.POST or None, field_of_action=field)
    if request.method == "POST" and form.is_valid():
        goal = form.save(commit=False)
        goal.field_of_action = field
        goal.created_by = request.user
        goal.save()
        messages.success(request, f"Das Ziel „{goal.title}“ wurde angelegt.")
        return redirect(field)
    return render(request, "fields_of_action/goal_form.html", {"form": form, "field": field})


@login_required
def goal_update(request, pk):
    _require_goal_maintainer(request)
    goal = get_object_or_404(Goal.objects.select_related("field_of_action"), pk=pk)
    field = goal.field_of_action
    form = GoalForm(request.POST or None, instance=goal, field_of_action=field)
    context = {"form": form, "field": field, "goal": goal}
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            current = Goal.objects.select_for_update().filter(pk=goal.pk).first()
            if current is None:
                raise Http404("Das Ziel wurde inzwischen gelöscht.")
            if form.is_stale(current):
                context["conflict"] = form.conflict(current)
            else:
                form.save()
        if "conflict" in context:
            messages.error(request, "Das Ziel wurde nicht gespeichert.")
            return render(request, "fields_of_action/goal_form.html", context, status=409)
        messages.success(request, f"Das Ziel „{goal.title}“ wurde gespeichert.")
        return redirect(field)
    return render(request, "fields_of_action/goal_form.html", context)

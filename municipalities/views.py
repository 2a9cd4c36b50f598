from django.shortcuts import render

from .models import Municipality


def municipality_list(request):
    """The kommunale Familie as a tree, with the official keys and the source attribution."""
    municipalities = Municipality.objects.in_tree_order().select_related("seat", "parent")
    return render(
        request, "municipalities/municipality_list.html", {"municipalities": municipalities}
    )

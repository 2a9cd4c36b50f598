"""The consolidation overview: products per category, body x category, opportunities.

Computed in Python from two queries (categories, entries with their body), so the number of
queries does not grow with the number of bodies or entries.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from .models import Category, ProcedureEntry

OPPORTUNITY_MONTHS = 24


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, 28))


@dataclass
class ProductUse:
    product: str
    vendor: str
    operators: set = field(default_factory=set)
    bodies: set = field(default_factory=set)


@dataclass
class CategorySummary:
    category: Category
    products: dict = field(default_factory=dict)
    bodies: set = field(default_factory=set)

    @property
    def product_list(self):
        return sorted(self.products.values(), key=lambda p: (-len(p.bodies), p.product.lower()))


@dataclass
class Opportunity:
    category: Category
    entries: list  # contracts ending within the window, earliest first
    others: int  # further bodies that run a procedure of this category

    @property
    def bodies(self):
        seen = {}
        for entry in self.entries:
            seen.setdefault(entry.municipality_id, entry.municipality)
        return list(seen.values())


def _entries():
    return list(
        ProcedureEntry.objects.select_related("municipality", "municipality__parent").order_by(
            "municipality__tree_path", "product"
        )
    )


def summarise(today=None):
    today = today or timezone.localdate()
    horizon = add_months(today, OPPORTUNITY_MONTHS)
    categories = list(Category.objects.all())
    entries = _entries()
    summaries = {c.pk: CategorySummary(c) for c in categories}
    ending = defaultdict(list)
    for entry in entries:
        summary = summaries[entry.category_id]
        summary.bodies.add(entry.municipality_id)
        use = summary.products.setdefault(
            entry.product.lower(), ProductUse(entry.product, entry.vendor)
        )
        use.operators.add(entry.operator)
        use.bodies.add(entry.municipality_id)
        if entry.contract_end and today <= entry.contract_end <= horizon:
            ending[entry.category_id].append(entry)
    opportunities = []
    for category in categories:
        items = sorted(ending.get(category.pk, []), key=lambda e: e.contract_end)
        bodies = {e.municipality_id for e in items}
        # Sharing pays where at least two bodies are free to choose within the window.
        if len(bodies) >= 2:
            others = len(summaries[category.pk].bodies - bodies)
            opportunities.append(Opportunity(category, items, others))
    return categories, [summaries[c.pk] for c in categories], entries, opportunities, horizon


def matrix(categories, entries):
    """Rows (body, [products per category]) for the bodies that have entries, in tree order."""
    cells = defaultdict(list)
    bodies = {}
    for entry in entries:
        bodies.setdefault(entry.municipality_id, entry.municipality)
        cells[(entry.municipality_id, entry.category_id)].append(entry.product)
    return [
        (body, [cells.get((body.pk, c.pk), []) for c in categories])
        for body in sorted(bodies.values(), key=lambda b: b.tree_path)
    ]

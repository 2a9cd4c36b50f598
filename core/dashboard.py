"""Tasks that other apps put on a body's dashboard ("Meine Aufgaben").

The dashboard lives in `measures`, which must not import the apps above it (drafts,
evaluation). Those apps register a provider in their ``AppConfig.ready()``; the dashboard asks
every provider for the tasks of the user at the body shown. A provider returns a list of
:class:`Task` and must run a constant number of queries.
"""

from dataclasses import dataclass
from datetime import date

_providers = []


@dataclass(frozen=True)
class Task:
    title: str
    text: str
    url: str
    link_text: str
    deadline: date | None = None


def register(provider):
    if provider not in _providers:
        _providers.append(provider)
    return provider


def tasks_for(user, municipality):
    if not user.is_authenticated:
        return []
    tasks = []
    for provider in _providers:
        tasks.extend(provider(user, municipality))
    return sorted(tasks, key=lambda t: (t.deadline or date.max, t.title))


# --- Notices on a body's page ------------------------------------------------------------------
# Short public statements about a body from the apps above (e.g. drafts: "Die
# Digitalisierungsstrategie ist in Kraft"); a provider returns a list of Notice and runs a
# constant number of queries.

_notice_providers = []


@dataclass(frozen=True)
class Notice:
    text: str
    url: str = ""
    link_text: str = ""


def register_notice(provider):
    if provider not in _notice_providers:
        _notice_providers.append(provider)
    return provider


def notices_for(user, municipality):
    notices = []
    for provider in _notice_providers:
        notices.extend(provider(user, municipality))
    return notices


# --- The coordinator's cockpit ("Was auf Sie wartet") -----------------------------------------
# On the district's page the coordinator sees what waits for the Koordinierungsstelle across
# the portal: measures to review, the draft's deadline, the Abstimmung, decisions to record,
# partnership requests nobody answers, open rounds. Each app registers a provider in its
# AppConfig.ready(); a provider returns CockpitItems (also when nothing waits: the item then
# says so) and runs a constant number of queries, whatever the amount of data.


@dataclass(frozen=True)
class CockpitItem:
    title: str
    text: str
    url: str
    link_text: str
    #: Position on the page (review 10, draft 20, Abstimmung 30, decisions 40, requests 50,
    #: rounds 60).
    order: int = 0
    #: Something waits (shown highlighted); False: the empty state, nothing to do.
    waiting: bool = True
    #: Overdue or close to a deadline.
    urgent: bool = False


_cockpit_providers = []


def register_cockpit(provider):
    if provider not in _cockpit_providers:
        _cockpit_providers.append(provider)
    return provider


def cockpit_for(user):
    """The coordinator's items in page order; the caller decides who sees them."""
    items = []
    for provider in _cockpit_providers:
        items.extend(provider(user))
    return sorted(items, key=lambda item: (item.order, item.title))


def days_text(days):
    """ "heute", "morgen", "in 5 Tagen", "seit 3 Tagen überschritten" (for a deadline)."""
    if days == 0:
        return "heute"
    if days == 1:
        return "morgen"
    if days > 1:
        return f"in {days} Tagen"
    if days == -1:
        return "seit 1 Tag überschritten"
    return f"seit {-days} Tagen überschritten"

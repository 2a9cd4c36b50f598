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

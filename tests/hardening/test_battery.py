"""A guard against error 500 on bad input: every form and upload x every bad value x role.

For every entry of ``battery.FORMS`` and every role allowed to use it, bad values (empty,
100,000 characters, NUL bytes, invalid UTF-8, non-numbers, overflowing and negative numbers,
0001-01-01 and 9999-12-31, foreign ids, missing and duplicated fields, including the
management fields of formsets) are sent

* one field at a time, the other fields valid (so a value that passes validation reaches the
  save), each combination of field and value once, the roles taking turns, and
* all fields at once, as a Latin square (request j puts value (i + j) into field i), twice,
  the allowed roles taking turns row by row (a form of one or two roles: the whole square per
  role), so that every field gets every value class from at least two roles.

JSON endpoints also get the values only JSON carries (null, objects, numbers too large,
nesting) and whole bodies that are no JSON object; uploads get every bad file (empty, binary,
another format, invalid UTF-8, NUL bytes, huge lines and headers, over the size limit, NUL
and 10,000 characters in the filename).

Roles that may not use a form, and allowed roles aiming at another body's object, send valid
and bad data and must change nothing. Each case runs in a savepoint that is rolled back.

Asserted: never a status of 500 or above (nor an exception), and when the input is refused
(no success), every row of the portal's tables is as before: nothing partial is stored. When
it is accepted, the page it leads to renders too. A refused request that sent no statement
able to change those tables (``WriteWatch``) leaves them as they were without comparing them.
Run it on PostgreSQL as well: NUL bytes and overflowing integers only fail there, at the
database. CI runs it there only (``ci_postgres_only``); ``make test`` runs it on SQLite.
"""

import json
import re
import urllib.parse
from dataclasses import fields

import pytest
from django.apps import apps
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import Model
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from fields_of_action.models import FieldOfAction
from fields_of_action.seed import ensure_fields_of_action
from tests.conftest import ModuleRows, build_district, build_users

from . import battery
from .battery import FORMS, MISSING, NO_INPUT, ROLES, VALUES

# About a third of the suite's time; where CI runs it, see the module's docstring.
pytestmark = pytest.mark.ci_postgres_only

PORTAL_APPS = {
    "municipalities",
    "fields_of_action",
    "measures",
    "evaluation",
    "drafts",
    "people",
    "pages",
    "api",
    "procedures",
}
VALUE_NAMES = list(VALUES)
MANAGEMENT_FIELDS = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")
# Known 500s that another branch fixes, as (form id, case label). Empty: h7-race fixed the
# partner IntegrityError (crafted INITIAL_FORMS) on main.
KNOWN = set()


def url_names(patterns=None, namespace=""):
    """Every named URL of the project as ``namespace:name``."""
    names = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in battery.EXCLUDED_NAMESPACES:
                continue
            names |= url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def test_every_url_is_in_the_battery_or_declared_free_of_input():
    ids = [form.id for form in FORMS]
    assert len(ids) == len(set(ids)), "a URL is registered twice (give the second a variant)"
    registered = [form.url_name for form in FORMS]
    unknown = url_names() - set(registered) - set(NO_INPUT)
    assert not unknown, (
        "These URLs are neither in battery.FORMS (with roles, valid data and fields) nor in "
        f"battery.NO_INPUT (with a reason): {sorted(unknown)}"
    )
    stale = (set(registered) | set(NO_INPUT)) - url_names()
    assert not stale, f"battery entries for URLs that no longer exist: {sorted(stale)}"


def test_every_value_class_of_the_issue_is_in_the_battery():
    for name in ["empty", "huge", "nul", "invalid-utf8", "not-a-number", "overflow", "negative"]:
        assert name in VALUES
    assert {"year-1", "year-9999", "missing", "duplicated", "foreign-id"} <= set(VALUES)


# --- helpers ---------------------------------------------------------------------------------


def state_models():
    """The models whose tables ``portal_state`` looks at: the portal's and the users."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in PORTAL_APPS or m is get_user_model()
    ]


def portal_state(world):
    """Row counts of every table of the portal and the users, and the rows a form may edit."""
    models = state_models()
    counts = " UNION ALL ".join(
        f"SELECT '{m._meta.label}', COUNT(*) FROM {connection.ops.quote_name(m._meta.db_table)}"  # noqa: S608 - names from the model registry
        for m in models
    )
    with connection.cursor() as cursor:
        cursor.execute(counts)
        state = {"counts": sorted(cursor.fetchall())}
    for label, queryset in world.watched().items():
        state[label] = list(queryset.order_by("pk").values())
    state["users"] = list(
        get_user_model().objects.order_by("pk").values_list("pk", "password", "email", "is_active")
    )
    return state


def state_diff(before, after):
    return [label for label in before if before[label] != after[label]]


# Statements that cannot change a row: reads (also SELECT ... FOR UPDATE) and savepoints.
READ_ONLY = re.compile(r"\s*(?:SELECT|SAVEPOINT|RELEASE|ROLLBACK)\b", re.IGNORECASE)
WRITE_TO = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


class WriteWatch:
    """Notes whether a request sent any statement that may change a table ``portal_state``
    looks at. Conservative: every statement that is not a read, a savepoint or a write to
    another table (the session, django-axes' log) counts. Without such a statement the state
    is as before, and comparing it (a count of every table, the watched rows) can be skipped.
    """

    def __init__(self, tables):
        self.tables = tables
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        if not self.wrote and not READ_ONLY.match(sql):
            target = WRITE_TO.match(sql)
            self.wrote = target is None or target.group(1) in self.tables
        return execute(sql, params, many, context)


@pytest.mark.django_db
def test_the_write_watch_misses_no_write_to_the_compared_tables(world):
    """Skipping the comparison is only sound if every write to a compared table is seen."""
    from django.contrib.sessions.backends.db import SessionStore

    from municipalities.models import Municipality
    from tests.factories import MunicipalityFactory

    tables = {m._meta.db_table for m in state_models()}

    def watched(action):
        watch = WriteWatch(tables)
        with transaction.atomic(), connection.execute_wrapper(watch):
            action()
            transaction.set_rollback(True)
        return watch.wrote

    hitzacker = world.district["hitzacker"]
    assert not watched(lambda: list(Municipality.objects.select_for_update().all()))
    assert not watched(lambda: SessionStore().save())  # not a table of the portal
    assert watched(lambda: Municipality.objects.filter(pk=hitzacker.pk).update(population=1))
    spare = MunicipalityFactory()
    assert watched(lambda: Municipality.objects.filter(pk=spare.pk).delete())
    assert watched(lambda: get_user_model().objects.create(username="neu"))
    assert watched(lambda: hitzacker.save())
    with connection.cursor() as cursor:
        # A statement it cannot place counts as a write.
        assert watched(lambda: cursor.execute("CREATE TEMPORARY TABLE battery_probe (id int)"))


def resolve_value(value, world):
    return value(world) if callable(value) else value


def pairs_with(data, world, overrides):
    """(name, value) pairs of the valid data with ``overrides`` ({field: value}) applied."""
    pairs = []
    for name, valid in [*data.items(), *((k, None) for k in overrides if k not in data)]:
        value = resolve_value(overrides[name], world) if name in overrides else valid
        if value is MISSING or value is None:
            continue
        for single in value if isinstance(value, list) else [value]:
            pairs.append((name, single))
    return pairs


def login(client, world, role):
    user = world.users.get(role)
    if user is not None:
        client.force_login(user)


def send(client, form, world, role, pairs, args=None, files=None, raw=None):
    """One request; raises what the view raises. ``raw``: the whole body of a JSON request."""
    url = (
        form.prepare(client, world)
        if form.prepare
        else reverse(form.url_name, args=args if args is not None else form.args(world))
    )
    headers = form.headers(world, role) if form.headers else {}
    if form.method == "json":
        body = json_body(pairs) if raw is None else raw
        return client.post(url, body, content_type="application/json", **headers)
    body = urllib.parse.urlencode(pairs)
    if form.method == "get":
        return client.get(f"{url}?{body}", **headers)
    if files is not None:
        return client.post(url, {**dict(pairs), **files}, **headers)
    return client.post(url, body, content_type="application/x-www-form-urlencoded", **headers)


def json_body(pairs):
    """A JSON object of the pairs: a duplicated field becomes a list, bytes stay raw (invalid
    UTF-8 in the body), a raw value (``RawJSON``) is put in unquoted."""
    merged, raw = {}, {}
    for name, value in pairs:
        if isinstance(value, bytes | RawJSON):
            marker = f"@@raw{len(raw)}@@"
            raw[marker] = value if isinstance(value, bytes) else value.text.encode()
            value = marker
        if name in merged:
            previous = merged[name]
            merged[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            merged[name] = value
    body = json.dumps(merged).encode()
    for marker, value in raw.items():
        body = body.replace(f'"{marker}"'.encode(), value)
    return body


class RawJSON:
    """A JSON value put into the body as it is: a number too large, null, an object."""

    def __init__(self, text):
        self.text = text


# Value classes only JSON can carry, sent to the fields of the JSON endpoints.
JSON_VALUES = {
    "json-null": RawJSON("null"),
    "json-true": RawJSON("true"),
    "json-number": RawJSON("13.5"),
    "json-huge-number": RawJSON("1" + "0" * 400),
    "json-exponent": RawJSON("1e999"),
    "json-object": RawJSON('{"wert": 1}'),
    "json-list": RawJSON("[1, 2]"),
    "json-nested": RawJSON("[" * 5000 + "]" * 5000),
}
# Whole bodies that are no JSON object of fields.
JSON_BODIES = {
    "empty body": b"",
    "not json": b"period=2026&value=1",
    "broken json": b'{"period": "2026", "value": ',
    "a list": b'[{"period": "2026", "value": "1"}]',
    "a string": b'"2026"',
    "invalid utf-8": b'{"period": "\xff\xfe"}',
    "nul": b'{"period": "2026\\u0000", "value": "1"}',
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "huge": b'{"period": "2026", "value": "1", "note": "' + b"x" * 3_000_000 + b'"}',
}


def accepted(response, form):
    """Did the view take the input? A success message, a page of results, or a redirect
    that neither reports an error nor sends the user to the login page."""
    if form.accepts is not None:
        return form.accepts(response)
    if form.method == "get":
        return response.status_code == 200
    levels = [m.level for m in get_messages(response.wsgi_request)]
    if messages.SUCCESS in levels:
        return True
    return (
        response.status_code == 302
        and messages.ERROR not in levels
        and not response["Location"].startswith(reverse("login"))
    )


class Battery:
    def __init__(self, form, world):
        self.form, self.world = form, world
        self.failures = []
        self.cases = 0
        self.baseline = portal_state(world)
        self.clients = {}
        self.tables = {m._meta.db_table for m in state_models()}

    def case(self, label, role, pairs, args=None, files=None, may_change=True, raw=None):
        """Send one case in a savepoint that is rolled back; True if the input was accepted."""
        self.cases += 1
        result = None
        try:
            # Log in outside the savepoint, or the session would be rolled back with it.
            client = None if self.form.fresh_client else self.client(role)
            with transaction.atomic():
                client = client or self.client(role)
                watch = WriteWatch(self.tables)
                with connection.execute_wrapper(watch):
                    response = send(client, self.form, self.world, role, pairs, args, files, raw)
                result = self.check(label, role, response, client, may_change, watch.wrote)
                transaction.set_rollback(True)
        except Exception as exc:  # noqa: BLE001 - every exception is a failure to report
            self.failures.append(f"{label} as {role}: {type(exc).__name__}: {str(exc)[:200]}")
        return result

    def client(self, role):
        """A logged-in client per role; a fresh one for the forms that log in or out."""
        if self.form.fresh_client or role not in self.clients:
            client = Client(raise_request_exception=True)
            login(client, self.world, role)
            if self.form.fresh_client:
                return client
            self.clients[role] = client
        client = self.clients[role]
        client.cookies.pop("messages", None)  # a message of the previous case
        return client

    def check(self, label, role, response, client, may_change, wrote):
        where = f"{label} as {role}"
        if response.status_code >= 500:
            self.failures.append(f"{where}: status {response.status_code}")
            return False
        if may_change and accepted(response, self.form):
            location = response.get("Location", "")
            if response.status_code == 302 and location.startswith("/"):
                follow = client.get(location)
                if follow.status_code >= 500:
                    self.failures.append(f"{where}: the page after saving answers 500")
            return True
        if not wrote:
            return False  # not one statement that could change the state was sent
        changed = state_diff(self.baseline, portal_state(self.world))
        if changed:
            self.failures.append(f"{where}: refused ({response.status_code}) but changed {changed}")
        return False


def single_field_cases(battery_run, fields, data, roles):
    """Field x value, the other fields valid; the allowed roles take turns.

    Every field gets every value class in the Latin square. Here small forms (up to eight
    fields) and the management fields of formsets get every value class; to keep the run
    short, field i of a larger form gets every k-th class starting at i mod k (k = 2 up to
    twelve fields, else 3), so each value class still reaches the save with a k-th of the
    fields of every form, spread over all of them.
    """
    turn = 0
    stride = 1 if len(fields) <= 8 else 2 if len(fields) <= 12 else 3
    for index, name in enumerate(fields):
        step = 1 if name.endswith(MANAGEMENT_FIELDS) else stride
        for value_name in VALUE_NAMES[index % step :: step]:
            role = roles[turn % len(roles)]
            turn += 1
            pairs = pairs_with(data, battery_run.world, {name: VALUES[value_name]})
            battery_run.case(f"{name}={value_name}", role, pairs)


def latin_square_cases(battery_run, fields, data, roles, may_change=True, rows=None):
    """Request j puts value (i + j) into field i: every field gets every value class.

    The square goes round twice (once for a form of one role), the roles taking turns row by
    row and the second round shifted by one role, so each row is sent by two roles; with two
    roles that is every role sending the whole square. ``rows``: only these rows, per role.
    """
    count = len(VALUE_NAMES)
    if rows is not None:
        plan = [(role, j) for role in roles for j in rows]
    else:
        rounds = 1 if len(roles) == 1 else 2
        plan = [(roles[(j + r) % len(roles)], j) for r in range(rounds) for j in range(count)]
    for role, j in plan:
        overrides = {name: VALUES[VALUE_NAMES[(i + j) % count]] for i, name in enumerate(fields)}
        pairs = pairs_with(data, battery_run.world, overrides)
        battery_run.case(f"latin square {j}", role, pairs, may_change=may_change)


def upload_cases(battery_run, roles):
    """Every bad file as every allowed role, the other fields valid; returns whether the
    valid file was taken. Further file fields get every bad file (one role each, in turn)
    next to the valid main file."""
    form, world = battery_run.form, battery_run.world
    data = pairs_with(form.data(world), world, {})
    variants = (form.upload_variants or battery.upload_variants)(world)
    _, good_name, good = variants[0]

    def upload(filename, content):
        return SimpleUploadedFile(filename, content, content_type="application/octet-stream")

    taken = []
    for i, (label, filename, content) in enumerate(variants):
        for role in roles if label != "too-large" else roles[:1]:
            files = {form.upload: upload(filename, content)}
            result = battery_run.case(f"upload {label}", role, data, files=files)
            if label == "valid":
                taken.append(result)
        text_field = [*data, (form.upload, "x")]
        battery_run.case(f"upload {label} as a text field", roles[i % len(roles)], text_field)
        for extra in form.more_uploads:
            files = {form.upload: upload(good_name, good), extra: upload(filename, content)}
            battery_run.case(f"{extra} {label}", roles[i % len(roles)], data, files=files)
    battery_run.case("upload missing", roles[0], data, files={})
    return taken


def json_cases(battery_run, fields, data, roles):
    """JSON endpoints: the values only JSON carries into every field, whole bodies that are
    no object of fields; every role in turn."""
    turn = 0
    for name in fields:
        for value_name, value in JSON_VALUES.items():
            pairs = pairs_with(data, battery_run.world, {name: value})
            battery_run.case(f"{name}={value_name}", roles[turn % len(roles)], pairs)
            turn += 1
    for label, body in JSON_BODIES.items():
        battery_run.case(f"body: {label}", roles[turn % len(roles)], [], raw=body)
        turn += 1


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The battery's world, built once for the module (``ModuleRows``: one transaction for the
    module, a savepoint per test): building it (district, users, measures through review,
    frozen drafts, the Abstimmung, people, API keys, the register) took a tenth of the
    battery's time when each of its 161 tests did it."""
    media = tmp_path_factory.mktemp("battery-media")

    def build():
        with override_settings(MEDIA_ROOT=media):
            ensure_fields_of_action(FieldOfAction)
            district = build_district()
            return battery.build_world(district, build_users(district))

    with ModuleRows(django_db_blocker) as rows:
        yield rows.run(build)


def fresh(value):
    """``value`` with every model instance in it read again from the database."""
    if isinstance(value, Model):
        return type(value)._base_manager.get(pk=value.pk)
    if isinstance(value, dict):
        return {key: fresh(item) for key, item in value.items()}
    return value


@pytest.fixture
def world(module_world, db, settings, tmp_path, monkeypatch):
    """The module's world, its objects freshly read: what a test changes in memory or in the
    database (rolled back with its savepoint) never reaches the next test."""
    from rest_framework.throttling import SimpleRateThrottle

    settings.MEDIA_ROOT = tmp_path / "media"
    # The API's rate limits (counted in the cache, Redis on CI) would answer most cases with
    # 429 before they reach the view: the battery is about input, not rates.
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)
    settings.PAGES_FEEDBACK_PER_HOUR = 1_000_000  # the battery sends many from one address
    settings.PAGES_VIDEO_MAX_BYTES = 1024 * 1024  # the too-large video stays small
    return battery.World(
        **{item.name: fresh(getattr(module_world, item.name)) for item in fields(battery.World)}
    )


@pytest.mark.parametrize("form", FORMS, ids=[form.id for form in FORMS])
def test_no_bad_input_ends_in_an_error_500_or_stores_anything_partial(
    form, world, unrecorded_templates
):
    run = Battery(form, world)
    data = form.data(world)
    fields = form.fields(world)
    roles = list(form.roles)
    # The valid data is taken, so the bad values below are tried against a working form.
    if form.upload:
        taken = upload_cases(run, roles)
    else:
        taken = [run.case("valid data", role, pairs_with(data, world, {})) for role in roles]
    if form.valid_taken:
        assert any(taken), f"{form.url_name}: no allowed role could send valid data"
    if not form.upload or data:
        single_field_cases(run, fields, data, roles)
        latin_square_cases(run, fields, data, roles)
    if form.method == "json":
        json_cases(run, fields, data, roles)
    # Roles that may not use the form: valid data and two rows of bad data change nothing.
    others = [role for role in ROLES if role not in form.roles]
    for index, role in enumerate(others):
        run.case("valid data", role, pairs_with(data, world, {}), may_change=False)
        latin_square_cases(run, fields, data, [role], False, rows=[index, index + 8])
    # Allowed roles (but the coordinator, who may act for every body) aiming at another body.
    if form.foreign_args:
        foreign = form.foreign_args(world)
        for role in [r for r in form.roles if r != "coordinator"]:
            run.case("foreign object", role, pairs_with(data, world, {}), foreign, None, False)
    failures = [f for f in run.failures if (form.id, f.split(" as ")[0]) not in KNOWN]
    assert run.cases > 0
    assert not failures, f"{form.id}: {len(failures)} of {run.cases} cases failed:\n" + (
        "\n".join(failures[:40])
    )


@pytest.mark.parametrize(
    "form", [f for f in FORMS if f.shows_form], ids=[f.id for f in FORMS if f.shows_form]
)
def test_the_battery_attacks_every_field_the_form_renders(form, world):
    """A field added to a form later must be attacked too: compare with the rendered page."""
    import re

    client = Client()
    role = form.roles[-1] if "coordinator" not in form.roles else "coordinator"
    login(client, world, role)
    url = (
        form.prepare(client, world)
        if form.prepare
        else reverse(form.url_name, args=form.args(world))
    )
    html = client.get(url).content.decode()
    rendered = set(re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', html))
    rendered -= {"csrfmiddlewaretoken", *form.not_attacked}
    rendered = {name for name in rendered if "__prefix__" not in name}  # a formset's template
    # Forms in the page's header and footer (search, logout) are not this form.
    rendered -= {"q"} if form.url_name != "measures:list" else set()
    attacked = set(form.fields(world)) | ({form.upload, *form.more_uploads} - {None})
    assert rendered <= attacked, f"not attacked: {sorted(rendered - attacked)}"


def url_patterns_with_arguments(patterns=None, namespace=""):
    """(name, {argument: converter}) of every named URL with path arguments."""
    found = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in battery.EXCLUDED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += url_patterns_with_arguments(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name and entry.pattern.converters:
            found.append((namespace + entry.name, dict(entry.pattern.converters)))
        elif isinstance(entry, URLPattern) and entry.name and entry.pattern.regex.groupindex:
            # A regular expression (the API's router): every group gets the absurd ids.
            groups = {arg: "regex" for arg in entry.pattern.regex.groupindex if arg != "format"}
            if groups:
                found.append((namespace + entry.name, groups))
    return found


ABSURD_IDS = {
    "int": [10**20, 2**31, 0],
    "slug": ["x" * 300, "0"],
    "string": ["x" * 300],
    "regex": [10**20, 2**31, "x" * 300, 0, -1],
}


@pytest.mark.parametrize("role", ["anonymous", "coordinator"])
def test_absurd_ids_in_the_address_are_a_404_not_a_500(world, role, unrecorded_templates):
    client = Client(raise_request_exception=False)
    login(client, world, role)
    failures = []
    for name, converters in url_patterns_with_arguments():
        kinds = {
            arg: conv if conv == "regex" else type(conv).__name__.replace("Converter", "").lower()
            for arg, conv in converters.items()
        }
        for index in range(5 if "regex" in kinds.values() else 3):
            kwargs = {}
            for arg, kind in kinds.items():
                values = ABSURD_IDS.get(kind, ["x"])
                kwargs[arg] = values[index % len(values)]
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                if "regex" in kinds.values():
                    continue  # the expression refuses this value (``\d+``): it is a 404
                raise
            for method in (client.get, client.post):
                with transaction.atomic():
                    status = method(url).status_code
                    transaction.set_rollback(True)
                if status >= 500:
                    failures.append(f"{method.__name__.upper()} {url[:80]}: {status}")
    assert not failures, failures

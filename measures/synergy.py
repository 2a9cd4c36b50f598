"""The synergy finder: measures of *other* bodies that pursue the same thing.

Text similarity is a character n-gram TF-IDF (3 to 5 characters within word boundaries) over
the normalised title, summary and description: n-grams match across German compounds and
inflection ("Terminbuchung" / "Online-Terminvergabe", "Dorf-App" / "Dorfapp") without a
stemmer. A short list of synonyms and abbreviations covers what n-grams cannot ("E-Akte" /
"elektronische Akte"). Structured signals add to the text score: the same field of action,
the same OZG/LeiKa service, shared goals and, once the register app provides it, the same
procedure (``procedure_keys``). The structured signals alone never make a match.

Scores are computed in Python from the rows, rounded, and ties are sorted by primary key, so
SQLite and PostgreSQL give the same stored matches. Only the top ``TOP_N`` matches per measure
at or above ``THRESHOLD`` are stored (``SimilarMeasure``); pages read these rows.

Entry points: ``recompute_for(pk)`` (the Celery task ``measures.recompute_similarity``, run
after a measure's texts change) and ``recompute_all()`` (``manage.py recompute_similarity``).
"""

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from core import dispatch
from municipalities.models import Municipality

from .models import (
    Measure,
    Partnership,
    PartnershipState,
    ReviewState,
    SimilarMeasure,
    Status,
)

TOP_N = 10
# Tuned on the labelled quality set (tests/measures/synergy_quality.py, bench/README.md).
THRESHOLD = 0.30
MIN_TEXT = 0.18

TITLE_WEIGHT = 0.6
TEXT_WEIGHT = 0.4
BONUS = {"field": 0.06, "leika": 0.15, "goals": 0.06, "procedure": 0.15}

REASONS = {
    "title": "ähnlicher Titel",
    "text": "ähnliche Beschreibung",
    "field": "gleiches Handlungsfeld",
    "leika": "gleiche OZG-Leistung",
    "goals": "gemeinsame Ziele",
    "procedure": "gleiches Verfahren",
}

# Words that mean the same thing in municipal usage. When one occurs, all of its group are
# added to the text, so that n-grams can meet. Short ones (and those marked "=") match whole
# words only; the others also inside compounds ("Online-Terminvergabe").
SYNONYMS = [
    ("eakte", "elektronische akte", "digitale akte", "dokumentenmanagement"),
    ("terminbuchung", "terminvergabe", "terminvereinbarung", "termine online buchen"),
    ("wlan", "hotspot", "freifunk", "drahtloses internet"),
    ("glasfaser", "breitband", "gigabit"),
    ("dorfgemeinschaftshaus", "dgh", "gemeindehaus", "gemeindehaeus"),
    ("dorfapp", "gemeindeapp", "dorfplattform", "dorf app"),
    ("=raumbuchung", "=raumvergabe", "=reservieren", "=reservierung", "=belegungskalender"),
    ("ratsinformationssystem", "ris", "sitzungsdienst"),
    ("videokonferenz", "videosprechstunde", "videoberatung"),
    ("ekommune", "digitale verwaltung"),
    ("erechnung", "elektronische rechnung", "xrechnung"),
]

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e"})


def normalise(text):
    """Lower case, umlauts folded, hyphenated compounds joined ("E-Akte" -> "eakte")."""
    text = (text or "").lower().translate(_FOLD)
    text = re.sub(r"(?<=\w)[-‐‑–](?=\w)", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


# Function words carry no topic; with character n-grams they would only add noise.
_STOPWORDS = (
    "der die das des dem den ein eine einer eines einem einen und oder mit fuer im in am an "
    "auf aus bei beim zum zur von vom zu ueber nach fuer als auch sich sind ist wird werden "
    "alle ihre ihr sein seine statt ohne"
)
STOPWORDS = frozenset(_STOPWORDS.split())
# A measure's title names its object first; what follows such a word says where or for whom
# ("Freies WLAN im Dorfgemeinschaftshaus", "Dorf-App für Hitzacker"). The title signal uses
# the part before it, so that the same place does not make different things look alike.
_TITLE_TAIL = re.compile(r"\s(?:im|in|am|an|fuer|bei|beim|zum|zur|auf|fuers)\s.*$")


def core_title(normalised_title):
    core = _TITLE_TAIL.sub("", normalised_title)
    return core or normalised_title


def without(words, text):
    """The text without stop words and the given words (e.g. the names of the bodies)."""
    return " ".join(w for w in text.split() if w not in STOPWORDS and w not in words)


def _synonym_patterns():
    patterns = []
    for group in SYNONYMS:
        parts = []
        for word in group:
            whole = word.startswith("=") or len(word) <= 4
            word = word.lstrip("=")
            parts.append(rf"\b{re.escape(word)}\b" if whole else re.escape(word))
        patterns.append((re.compile("|".join(parts)), " ".join(w.lstrip("=") for w in group)))
    return patterns


_SYNONYM_PATTERNS = _synonym_patterns()


def expand(normalised):
    extra = [words for pattern, words in _SYNONYM_PATTERNS if pattern.search(normalised)]
    return " ".join([normalised, *extra])


@dataclass
class Doc:
    """What the finder knows of one measure."""

    pk: int
    lead_id: int
    field_id: int
    title: str
    text: str
    leika: str = ""
    goals: frozenset = field(default_factory=frozenset)
    partner_ids: frozenset = field(default_factory=frozenset)
    procedures: frozenset = field(default_factory=frozenset)


def procedure_keys(measure_ids):
    """{measure pk: set of procedure keys} from the procedure register, once it exists.

    Hook for the register app: if an installed app ``procedures`` offers
    ``procedures.synergy.procedure_keys_for_measures(ids)``, the same procedure counts as a
    structured signal. Without it the finder works on texts, fields, LeiKa and goals.
    """
    if not apps.is_installed("procedures"):
        return {}
    try:
        from procedures.synergy import procedure_keys_for_measures
    except ImportError:
        return {}
    return procedure_keys_for_measures(measure_ids)


def candidates():
    """Measures the finder compares: all but withdrawn ones."""
    return Measure.objects.exclude(review_state=ReviewState.WITHDRAWN)


def load_docs(queryset=None):
    """Docs of all candidate measures, ordered by pk, in three queries."""
    queryset = candidates() if queryset is None else queryset
    rows = list(
        queryset.order_by("pk").values_list(
            "pk",
            "lead_municipality_id",
            "field_of_action_id",
            "title",
            "summary",
            "description",
            "leika_key",
        )
    )
    ids = [row[0] for row in rows]
    goals, partners = {}, {}
    through = Measure.goals.through.objects.filter(measure_id__in=ids)
    for measure_id, goal_id in through.values_list("measure_id", "goal_id"):
        goals.setdefault(measure_id, set()).add(goal_id)

    asked = Partnership.objects.filter(measure_id__in=ids).exclude(state=PartnershipState.DECLINED)
    for measure_id, municipality_id in asked.values_list("measure_id", "municipality_id"):
        partners.setdefault(measure_id, set()).add(municipality_id)
    procedures = procedure_keys(ids)
    names = body_name_words()
    return [
        Doc(
            pk=pk,
            lead_id=lead,
            field_id=field_id,
            title=title_text(title, names),
            text=full_text(title, summary, description, names),
            leika=leika or "",
            goals=frozenset(goals.get(pk, ())),
            partner_ids=frozenset(partners.get(pk, ())),
            procedures=frozenset(procedures.get(pk, ())),
        )
        for pk, lead, field_id, title, summary, description, leika in rows
    ]


def body_name_words():
    """Normalised words of all body names: places say where, not what."""
    words = set()
    for name in Municipality.objects.values_list("name", flat=True):
        words.update(w for w in normalise(name).split() if len(w) > 3)
    return frozenset(words)


def title_text(title, names=frozenset()):
    return expand(without(names, core_title(normalise(title))))


def full_text(title, summary, description, names=frozenset()):
    return expand(without(names, normalise(f"{title} {summary} {description}")))


def _vectors(texts):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    return vectorizer.fit_transform(texts)


class Scorer:
    """Text similarities of the docs (fitted on all of them) plus structured signals."""

    def __init__(self, docs):
        self.docs = docs
        self.index = {doc.pk: i for i, doc in enumerate(docs)}
        if docs:
            self.titles = _vectors([d.title for d in docs])
            self.texts = _vectors([d.text for d in docs])

    def rows(self, positions):
        """Dense similarity rows (title, text) for the docs at ``positions``."""
        titles = (self.titles[positions] @ self.titles.T).toarray()
        texts = (self.texts[positions] @ self.texts.T).toarray()
        return titles, texts

    @staticmethod
    def comparable(a, b):
        """Only other bodies' measures that are not already partners of each other."""
        return (
            a.pk != b.pk
            and a.lead_id != b.lead_id
            and b.lead_id not in a.partner_ids
            and a.lead_id not in b.partner_ids
        )

    @staticmethod
    def score(a, b, title_sim, text_sim):
        """(score, reasons) of the pair, or None when it is no match."""
        text = TITLE_WEIGHT * title_sim + TEXT_WEIGHT * text_sim
        if text < MIN_TEXT:
            return None
        signals = []
        if title_sim >= 0.45:
            signals.append("title")
        if text_sim >= 0.35 or not signals:
            signals.append("text")
        bonus = 0.0
        if a.field_id == b.field_id:
            signals.append("field")
            bonus += BONUS["field"]
        if a.leika and a.leika == b.leika:
            signals.append("leika")
            bonus += BONUS["leika"]
        if a.goals & b.goals:
            signals.append("goals")
            bonus += BONUS["goals"]
        if a.procedures & b.procedures:
            signals.append("procedure")
            bonus += BONUS["procedure"]
        total = round(min(text + bonus, 1.0), 4)
        if total < THRESHOLD:
            return None
        return total, [REASONS[s] for s in signals]

    def matches(self, position, title_row, text_row, top_n=TOP_N):
        """The best matches of one doc: [(other pk, score, reasons)], best first."""
        import numpy

        doc = self.docs[position]
        found = []
        # Structured signals alone never make a match: look only where the texts are close.
        close = numpy.flatnonzero(TITLE_WEIGHT * title_row + TEXT_WEIGHT * text_row >= MIN_TEXT)
        for j in close.tolist():
            other = self.docs[j]
            if not self.comparable(doc, other):
                continue
            result = self.score(doc, other, float(title_row[j]), float(text_row[j]))
            if result is not None:
                found.append((other.pk, *result))
        found.sort(key=lambda m: (-m[1], m[0]))
        return found[:top_n]


def _rows_for(pk, matches, now):
    return [
        SimilarMeasure(measure_id=pk, other_id=other, score=score, reasons=reasons, computed_at=now)
        for other, score, reasons in matches
    ]


def compute_all(docs, batch=256):
    """{pk: matches} for every doc."""
    scorer = Scorer(docs)
    result = {}
    for start in range(0, len(docs), batch):
        positions = list(range(start, min(start + batch, len(docs))))
        titles, texts = scorer.rows(positions)
        for k, position in enumerate(positions):
            result[docs[position].pk] = scorer.matches(position, titles[k], texts[k])
    return result


def recompute_all():
    """Replace all stored matches; returns the number of stored rows."""
    docs = load_docs()
    found = compute_all(docs)
    now = timezone.now()
    rows = [row for pk, matches in found.items() for row in _rows_for(pk, matches, now)]
    with transaction.atomic():
        SimilarMeasure.objects.all().delete()
        SimilarMeasure.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def recompute_for(pk):
    """Update the stored matches of one measure and its appearance in others' lists.

    Tolerates a deleted or withdrawn measure: its rows are removed.
    """
    docs = load_docs()
    scorer = Scorer(docs)
    position = scorer.index.get(pk)
    with transaction.atomic():
        SimilarMeasure.objects.filter(measure_id=pk).delete()
        SimilarMeasure.objects.filter(other_id=pk).delete()
        if position is None:
            return 0
        titles, texts = scorer.rows([position])
        matches = scorer.matches(position, titles[0], texts[0])
        now = timezone.now()
        SimilarMeasure.objects.bulk_create(_rows_for(pk, matches, now))
        # The pair is symmetric: pk also enters the lists of the measures it matches.
        doc = docs[position]
        reverse = []
        for j, other in enumerate(docs):
            if TITLE_WEIGHT * titles[0][j] + TEXT_WEIGHT * texts[0][j] < MIN_TEXT:
                continue
            if not scorer.comparable(other, doc):
                continue
            result = scorer.score(other, doc, float(titles[0][j]), float(texts[0][j]))
            if result is not None:
                reverse.append(
                    SimilarMeasure(
                        measure_id=other.pk,
                        other_id=pk,
                        score=result[0],
                        reasons=result[1],
                        computed_at=now,
                    )
                )
        SimilarMeasure.objects.bulk_create(reverse)
        _trim([row.measure_id for row in reverse])
    return len(matches)


def _trim(measure_ids):
    """Keep only the TOP_N best rows of each of these measures."""
    if not measure_ids:
        return
    keep, drop = {}, []
    rows = (
        SimilarMeasure.objects.filter(measure_id__in=measure_ids)
        .order_by("measure_id", "-score", "other_id")
        .values_list("pk", "measure_id")
    )
    for row_pk, measure_id in rows:
        keep[measure_id] = keep.get(measure_id, 0) + 1
        if keep[measure_id] > TOP_N:
            drop.append(row_pk)
    if drop:
        SimilarMeasure.objects.filter(pk__in=drop).delete()


def recompute_on_commit(pk):
    """Dispatch the Celery task once the current transaction has committed."""
    dispatch.on_commit("measures.recompute_similarity", pk)


# Fields whose change changes the matches.
SIMILARITY_FIELDS = {
    "title",
    "summary",
    "description",
    "field_of_action",
    "leika_key",
    "goals",
    "lead_municipality",
}


# --- Reading the stored matches ----------------------------------------------------------------


def similar_to(measure, limit=5):
    """The stored matches of a measure for its page, in one query."""
    return list(
        SimilarMeasure.objects.filter(measure=measure)
        .exclude(other__review_state=ReviewState.WITHDRAWN)
        .select_related("other__lead_municipality")
        .order_by("-score", "other_id")[:limit]
    )


def similar_bodies_count(measure):
    """How many other bodies plan something similar (for the message after saving)."""
    return (
        SimilarMeasure.objects.filter(measure=measure)
        .exclude(other__review_state=ReviewState.WITHDRAWN)
        .values("other__lead_municipality")
        .distinct()
        .count()
    )


@dataclass
class Cluster:
    measures: list
    bodies: int

    @property
    def size(self):
        return len(self.measures)


def clusters():
    """Connected components of the stored pairs across bodies, largest first.

    Only components with measures of at least two bodies; each component's measures are
    ordered by body and pk. Two queries, whatever the number of measures.
    """
    groups = _components(_open_pairs().values_list("measure_id", "other_id"))
    ids = [pk for members in groups.values() for pk in members]
    measures = {
        m.pk: m
        for m in Measure.objects.filter(pk__in=ids).select_related(
            "lead_municipality", "field_of_action"
        )
    }
    result = []
    for members in groups.values():
        shown = sorted(
            (measures[pk] for pk in members if pk in measures),
            key=lambda m: (m.lead_municipality.tree_path, m.pk),
        )
        bodies = len({m.lead_municipality_id for m in shown})
        if bodies >= 2:
            result.append(Cluster(measures=shown, bodies=bodies))
    result.sort(key=lambda c: (-c.size, min(m.pk for m in c.measures)))
    return result


def joint_share():
    """(joint, total): measures (not withdrawn) with at least one confirmed partner; 1 query."""
    from django.db.models import Count, Q

    counts = candidates().aggregate(
        total=Count("pk", distinct=True),
        joint=Count("pk", filter=Q(partnerships__state=PartnershipState.CONFIRMED), distinct=True),
    )
    return counts["joint"], counts["total"]


def _components(pairs):
    """Union-find over (a, b) pairs: {root: [members]}."""
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups = {}
    for node in list(parent):
        groups.setdefault(find(node), []).append(node)
    return groups


def _open_pairs():
    """Pairs for the groups: without withdrawn measures and without dropped ("verworfen")
    ones, which nobody will carry out, jointly or alone."""
    return (
        SimilarMeasure.objects.exclude(measure__review_state=ReviewState.WITHDRAWN)
        .exclude(other__review_state=ReviewState.WITHDRAWN)
        .exclude(measure__status=Status.DROPPED)
        .exclude(other__status=Status.DROPPED)
    )


def cluster_count():
    """How many clusters ``clusters()`` shows, in one query (for the district dashboard)."""
    rows = list(
        _open_pairs().values_list(
            "measure_id", "other_id", "measure__lead_municipality_id", "other__lead_municipality_id"
        )
    )
    lead = {}
    for a, b, lead_a, lead_b in rows:
        lead[a], lead[b] = lead_a, lead_b
    groups = _components((a, b) for a, b, _la, _lb in rows)
    return sum(1 for members in groups.values() if len({lead[m] for m in members}) >= 2)

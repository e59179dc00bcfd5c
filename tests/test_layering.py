"""Within ``claims/``, models are written in services and read in selectors.

Every module's syntax tree is walked (``ast``, no import), and a call is a
breach where it stands outside its layer:

- a **write** — ``.save(``, ``.delete(``, ``.create(``, ``bulk_create``,
  ``bulk_update``, ``get_or_create``, ``update_or_create``, a queryset's
  ``.update(`` (keyword arguments only: ``Counter.update`` and tqdm's
  ``update`` take a positional one; a dict merges with ``|=``), and ``add``/``remove``/
  ``clear``/``set`` on a model relation (``claim.tags.add(``; the relation
  names are read from the models) — anywhere but ``claims/services/`` and
  migrations;
- a **query** — a manager (``Model.objects``, ``._default_manager``,
  ``._base_manager``), a method that gives a query its shape (``filter``,
  ``exclude``, ``annotate``, ``alias``, ``aggregate``, ``values`` with
  arguments, ``values_list``, ``order_by``, ``distinct``, ``only``,
  ``defer``, ``select_related``, ``prefetch_related``, ``select_for_update``,
  ``using``, ``in_bulk``), raw SQL (``raw``, ``extra``, ``RawSQL``,
  ``connection.cursor``) or ``prefetch_related_objects`` — anywhere but
  ``claims/selectors.py``, ``claims/services/`` and migrations.

Not breaches, by rule rather than exception: evaluating a queryset that a
selector returned (iterating it, ``.get(pk=…)``, ``.count()``, ``.exists()``,
``.first()``, ``.iterator()``, a paginator's slice) and ``.all()`` on a
relation, which reads what the selector prefetched; a query's rows, joins and
order cannot be written with them. ModelAdmin hooks whose queryset must come
from ``super()`` (an inline's, which the admin filters by the parent) hand it
to a selector function (``selectors.mentions_on_claim_page``).

The one allowed exception is ``SEARCH_BACKEND``, below.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db.models import ForeignObjectRel

import claims

ROOT = Path(claims.__file__).parent.parent

WRITES = {
    "save", "delete", "create", "bulk_create", "bulk_update", "get_or_create",
    "update_or_create",
}  # fmt: skip
RELATION_WRITES = {"add", "remove", "clear", "set"}
QUERIES = {
    "filter", "exclude", "annotate", "alias", "aggregate", "values_list",
    "order_by", "distinct", "only", "defer", "select_related",
    "prefetch_related", "select_for_update", "using", "in_bulk", "raw", "extra",
}  # fmt: skip
MANAGERS = {"objects", "_default_manager", "_base_manager"}
QUERY_FUNCTIONS = {"RawSQL", "prefetch_related_objects"}

# Where each is allowed, by path under the repository.
SERVICES = "claims/services/"
SELECTORS = "claims/selectors.py"
MIGRATIONS = "claims/migrations/"

# The one exception: the search backend. Its SQL is the search itself —
# SQLite FTS5 and PostgreSQL trigram ranking through connection.cursor
# (search.py), the stored embedding matrix read in chunks (semantic.py) — and
# the claims it found, read back with their verdicts, are its answer. It is
# tuned as one piece (BENCHMARKS.md, Claim retrieval); moving its queries into
# selectors would split that piece from its measurements. It may read; it may
# not write (embeddings are stored by services.embeddings).
SEARCH_BACKEND = {"claims/search.py", "claims/semantic.py"}


def relation_names() -> frozenset[str]:
    """Every name through which a model's related rows are reached
    (``tags``, ``aliases``, ``statements``, ``groups``, ...)."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not (field.many_to_many or field.one_to_many):
                continue
            if isinstance(field, ForeignObjectRel):
                names.add(field.get_accessor_name())
            else:
                names.add(field.name)
    return frozenset(name for name in names if name)


def _may_write(path: str) -> bool:
    return path.startswith((SERVICES, MIGRATIONS))


def _may_query(path: str) -> bool:
    return (
        path == SELECTORS
        or path.startswith((SERVICES, MIGRATIONS))
        or path in SEARCH_BACKEND
    )


def _breach(node: ast.AST, relations: frozenset[str]) -> tuple[str, str] | None:
    """("write" or "query", what) if the node is one, else None."""
    if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
        return "query", f"manager .{node.attr}"
    if not isinstance(node, ast.Call):
        return None
    function = node.func
    if isinstance(function, ast.Name) and function.id in QUERY_FUNCTIONS:
        return "query", function.id
    if not isinstance(function, ast.Attribute):
        return None
    name, receiver = function.attr, function.value
    if name in WRITES:
        return "write", f".{name}("
    if name == "update" and node.keywords and not node.args:
        return "write", "queryset .update("
    if (
        name in RELATION_WRITES
        and isinstance(receiver, ast.Attribute)
        and receiver.attr in relations
    ):
        return "write", f".{receiver.attr}.{name}("
    if name in QUERIES or (name == "values" and (node.args or node.keywords)):
        return "query", f".{name}("
    if name == "cursor" and "connection" in ast.unparse(receiver):
        return "query", "connection.cursor("
    return None


def violations(source: str, *, path: str, relations: frozenset[str]) -> list[str]:
    """``path:line: reason`` for each write or query outside its layer."""
    found = []
    for node in ast.walk(ast.parse(source, filename=path)):
        breach = _breach(node, relations)
        if breach is None or not isinstance(node, ast.expr):
            continue
        kind, what = breach
        if kind == "write" and not _may_write(path):
            found.append(f"{path}:{node.lineno}: model write {what} outside services")
        elif kind == "query" and not _may_query(path):
            found.append(
                f"{path}:{node.lineno}: ORM query {what} outside selectors and services"
            )
    return sorted(found)


def _modules() -> list[Path]:
    return sorted((ROOT / "claims").rglob("*.py"))


def test_no_model_write_outside_services_nor_query_outside_selectors():
    """Every module of claims/ keeps writes in services and reads in
    selectors (or services), the search backend's reads aside."""
    relations = relation_names()
    found = []
    for module in _modules():
        path = module.relative_to(ROOT).as_posix()
        found += violations(module.read_text(), path=path, relations=relations)
    assert found == []


def test_the_walk_covers_the_layers_it_guards():
    """The admin, the API, the commands, the formats and the services are all
    walked (a wrong root would pass vacuously)."""
    walked = {module.relative_to(ROOT).as_posix() for module in _modules()}
    assert {
        "claims/admin/claims.py",
        "claims/api/filters.py",
        "claims/api/views/claims.py",
        "claims/api/serializers/statements.py",
        "claims/management/commands/import_documents.py",
        "claims/formats/w3c.py",
        "claims/views.py",
        "claims/services/imports.py",
        SELECTORS,
    } <= walked
    assert walked >= SEARCH_BACKEND
    assert {"tags", "aliases", "statements", "groups"} <= relation_names()


BREACHES = [
    ("claim.save()", "model write .save("),
    ("claim.delete()", "model write .delete("),
    ("Tag.tags_made.create(name='x')", "model write .create("),
    ("Claim.objects.bulk_create(rows)", "model write .bulk_create("),
    ("Source.objects.get_or_create(name='x')", "model write .get_or_create("),
    ("reviews.update(status='published')", "model write queryset .update("),
    ("claim.tags.add(tag)", "model write .tags.add("),
    ("source.aliases.clear()", "model write .aliases.clear("),
    ("Claim.objects.all()", "ORM query manager .objects"),
    ("type(obj)._default_manager.all()", "ORM query manager ._default_manager"),
    ("queryset.filter(proposed=True)", "ORM query .filter("),
    ("queryset.exclude(status='rejected')", "ORM query .exclude("),
    ("rows.values('pk')", "ORM query .values("),
    ("claim.tags.values_list('name', flat=True)", "ORM query .values_list("),
    ("queryset.select_related('reviewer')", "ORM query .select_related("),
    ("queryset.aggregate(n=Count('pk'))", "ORM query .aggregate("),
    ("queryset.order_by('pk')", "ORM query .order_by("),
    ("with connection.cursor() as cursor: pass", "ORM query connection.cursor("),
    ("Document.objects.raw('SELECT 1')", "ORM query .raw("),
]


@pytest.mark.parametrize(("source", "reason"), BREACHES, ids=[s for s, _ in BREACHES])
def test_the_checker_finds_each_breach(source, reason):
    """Each kind of write or query, written in an API view, is reported with
    its line."""
    found = violations(
        f"\n{source}\n", path="claims/api/views/example.py", relations=relation_names()
    )
    assert any(f"claims/api/views/example.py:2: {reason}" in v for v in found), found


NOT_ORM = [
    "counts.update(other)",
    "progress.update(1)",
    "seen.add(key)",
    "statement.attributions.all()",
    "data.get('source')",
    "row.values()",
    "selectors.claims_listed().get(pk=pk)",
    "documents.count()",
    "selectors.sources_proposed(queryset)",
    "selectors.mentions_on_claim_page(super().get_queryset(request))",
]


@pytest.mark.parametrize("source", NOT_ORM)
def test_the_checker_lets_through_what_is_no_query_shape(source):
    """Dictionaries, progress bars, sets, prefetched relations and evaluating a
    selector's queryset are not breaches."""
    assert (
        violations(source, path="claims/admin/x.py", relations=relation_names()) == []
    )


@pytest.mark.parametrize(
    ("path", "source", "allowed"),
    [
        ("claims/services/claims.py", "claim.save()", True),
        ("claims/services/claims.py", "Claim.objects.filter(pk=1)", True),
        ("claims/migrations/0001_initial.py", "Claim.objects.update(x=1)", True),
        (SELECTORS, "Claim.objects.filter(pk=1)", True),
        (SELECTORS, "claim.save()", False),
        ("claims/search.py", "Claim.objects.filter(pk__in=ids)", True),
        ("claims/search.py", "claim.save()", False),
        ("claims/semantic.py", "embedding.delete()", False),
        ("claims/models.py", "Claim.objects.filter(pk=1)", False),
        ("claims/formats/w3c.py", "statement.annotations.order_by('id')", False),
    ],
)
def test_each_layer_may_do_what_it_owns_and_no_more(path, source, allowed):
    """Services write and read; selectors read only; the search backend reads
    only; the rest does neither."""
    found = violations(source, path=path, relations=relation_names())
    assert (found == []) is allowed, found

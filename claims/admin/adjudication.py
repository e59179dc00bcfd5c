"""The editor's Adjudication page of a document in independent annotation:
each statement where the annotators differ, their attributions side by side,
a button to take one, a form for the final one, and one to accept all that
they agree on. It hangs off the document (``DocumentAdmin.get_urls``) and
writes through ``claims.services.adjudication``, as the API does."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from claims import roles, selectors, services
from claims.models import Attribution, AttributionKind, Document

SPANS = (("source", "source span"), ("cue", "cue"), ("content", "content"))


def _number(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def _shown(attribution: Attribution, text: str) -> dict[str, Any]:
    """What a column shows of one attribution: its spans as the words."""
    spans = []
    for prefix, label in SPANS:
        start = getattr(attribution, f"{prefix}_start")
        if start is not None:
            end = getattr(attribution, f"{prefix}_end")
            spans.append({"label": label, "words": text[start:end], "at": start})
    return {"row": attribution, "spans": spans}


def _edit_from_post(post) -> dict[str, Any]:
    """The final attribution's fields from the edit form; a span whose start
    or end is not a number is refused, naming it."""
    edit: dict[str, Any] = {"kind": post.get("kind", "")}
    for name in ("source_name", "via_name"):
        if post.get(name, "").strip():
            edit[name] = post[name].strip()
    if post.get("primary_source_url", "").strip():
        edit["primary_source_url"] = post["primary_source_url"].strip()
    for prefix, label in SPANS:
        raw = [post.get(f"{prefix}_start", ""), post.get(f"{prefix}_end", "")]
        if not any(r.strip() for r in raw):
            continue
        start, end = (_number(r) for r in raw)
        if start is None or end is None:
            raise ValidationError(
                {f"{prefix}_span": f"The {label} needs a start and an end (numbers)."}
            )
        edit["source_span" if prefix == "source" else prefix] = (start, end)
    return edit


def _decide(request, document: Document) -> None:
    post = request.POST
    if post.get("accept_agreeing"):
        outcome = services.document_accept_agreeing(
            document=document, adjudicated_by=request.user
        )
        accepted = len(outcome.accepted)
        return _say(request, f"{accepted} agreeing rows accepted.")
    statement, attribution, claim = selectors.adjudication_targets(
        document.pk,
        _number(post.get("statement")) or 0,
        _number(post.get("attribution")),
        _number(post.get("claim")),
    )
    if statement is None:
        raise ValidationError("That statement is not one of this document's.")
    if post.get("claim"):
        if claim is None:
            raise ValidationError("There is no such claim.")
        services.statement_claim_adjudicate(
            statement=statement,
            claim=claim,
            linked=post.get("linked") == "yes",
            adjudicated_by=request.user,
        )
        return _say(request, f"Statement {statement.index + 1}: “{claim}” decided.")
    if post.get("attribution"):
        if attribution is None:
            raise ValidationError("That attribution is not one of this statement's.")
        services.statement_adjudicate(
            statement=statement, chosen=attribution, adjudicated_by=request.user
        )
        whose = attribution.created_by
        return _say(request, f"Statement {statement.index + 1}: {whose}’s taken.")
    services.statement_adjudicate(
        statement=statement, edit=_edit_from_post(post), adjudicated_by=request.user
    )
    return _say(request, f"Statement {statement.index + 1}: your attribution saved.")


def _say(request, text: str) -> None:
    messages.success(request, text)


def adjudication_view(model_admin, request, object_id):
    """The page (GET) and its buttons (POST), for editors only."""
    if not roles.is_editor(request.user):
        raise PermissionDenied
    try:
        document = selectors.documents_unjoined().get(pk=int(object_id))
    except (ValueError, Document.DoesNotExist):
        raise Http404("No such document.") from None
    here = reverse("admin:claims_document_adjudication", args=[document.pk])
    if request.method == "POST":
        try:
            _decide(request, document)
        except (ValidationError, PermissionDenied) as error:
            model_admin.refuse(request, error)
        return HttpResponseRedirect(here)
    rows = selectors.adjudication_rows(document)
    statements = [
        {
            "statement": differing.statement,
            "agree": differing.attributions_agree,
            "work": [
                {
                    "annotator": work.annotator,
                    "attributions": [
                        _shown(a, document.text) for a in work.attributions
                    ],
                }
                for work in differing.work
            ],
            "first": next(
                (w.attributions[0] for w in differing.work if w.attributions), None
            ),
            "claims": differing.claims,
        }
        for differing in rows.differing
    ]
    return TemplateResponse(
        request,
        "admin/claims/document/adjudication.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "title": f"Adjudication: {document.title}",
            "document": document,
            "rows": rows,
            "statements": statements,
            "agreeing": len(rows.agreeing_attributions) + len(rows.agreeing_mentions),
            "kinds": AttributionKind.choices,
            "has_view_permission": True,
        },
    )

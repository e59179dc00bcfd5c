"""The domain model: documents, their statements, and the provenance of each.

Offsets (statement, cue, content and source spans) are code-point indices into
``Document.text``, 0-based and end-exclusive, counted from the start of the
document: ``document.text[start:end]``.

Per-row rules are database constraints here. Rules across rows (a statement's
text equals its slice of the document, statements do not overlap, a document's
text is frozen once it has statements) are checked in ``claims.services`` and,
on PostgreSQL, also by the database (see migration ``0002``).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import Exact
from django.utils.text import Truncator
from simple_history.models import HistoricalRecords

from claims.validators import validate_evidence_links, validate_wikidata_id

# The value sets the Django-free code shares are declared there; the rest
# (claim and review statuses, ratings, motivations) only the models need.
from claims.vocabulary import AttributionKind, Origin, ReviewStatus, SourceKind

User = settings.AUTH_USER_MODEL


def _span_constraints(prefix: str, model: str) -> list[models.CheckConstraint]:
    """Both ends of an optional span are set or neither; a set span is non-empty."""
    start, end = f"{prefix}_start", f"{prefix}_end"
    return [
        models.CheckConstraint(
            condition=Q(**{f"{start}__isnull": True, f"{end}__isnull": True})
            # NULL > x is unknown, which a CHECK lets pass: say "not null".
            | Q(
                **{
                    f"{start}__isnull": False,
                    f"{end}__isnull": False,
                    f"{start}__gte": 0,
                    f"{end}__gt": F(start),
                }
            ),
            name=f"{model}_{prefix}_span_valid",
            violation_error_message=f"The {prefix} span must have 0 <= start < end.",
        )
    ]


class VersionedModel(models.Model):
    """A row the services write as numbered versions.

    Each write through a service saves the next version
    (``services.common.save_new_version``); a caller that read version n
    passes it back, and a write on top of someone else's is refused
    (``lock_for_update``; the API's ETag and If-Match).
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def differs_from_stored(self) -> bool:
        """Whether a field has a value other than the one remembered as
        stored (``remember_stored``; always, when none was); the version and
        the time of the last change aside, which each write sets."""
        stored = getattr(self, "_stored_values", None)
        if stored is None:
            return True
        for field in self._meta.concrete_fields:
            if field.name in {"version", "updated_at"}:
                continue
            if field.attname not in stored:
                # Deferred when read: changed if something has set it since.
                if field.attname in self.__dict__:
                    return True
            elif getattr(self, field.attname) != stored[field.attname]:
                return True
        return False

    def remember_stored(self) -> None:
        """Take the fields as they are now as the stored row: as it was
        locked for an update (``services.common.lock_for_update``), or saved.
        Only then, so that reading rows costs no copy of each."""
        self._stored_values = {
            field.attname: getattr(self, field.attname)
            for field in self._meta.concrete_fields
            if field.attname in self.__dict__
        }


class EditedModel(VersionedModel):
    """A versioned row that also records when it last changed.

    (A claim mention has no ``updated_at``: its review time is
    ``reviewed_at``.)
    """

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Tag(models.Model):
    """A free label on documents, claims and annotations."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""),
                name="tag_name_not_empty",
                violation_error_message="A tag has a name.",
            )
        ]

    def __str__(self):
        return self.name


class Source(EditedModel):
    """Who a statement can be attributed to: a person, an organisation, a text."""

    Kind = SourceKind

    name = models.CharField(max_length=300)
    # normalize_name(name): unique, so "Hashd al-Sha’abi" and "hashd al shaabi"
    # cannot become two sources.
    normalized_name = models.CharField(max_length=300, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True)
    wikidata_id = models.CharField(
        max_length=20, blank=True, validators=[validate_wikidata_id]
    )
    # True while only a suggestion has named it; a reviewer confirms or merges.
    proposed = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Every change kept, to be seen and reverted in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        permissions = [("merge_source", "Can merge sources")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(normalized_name=""),
                name="source_name_not_empty",
                violation_error_message=(
                    "A source has a name with letters or digits in it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values),
                name="source_kind_valid",
                violation_error_message=(
                    "A source's kind is one of person, organization, group, "
                    "government, publication, document, anonymous, other."
                ),
            ),
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__startswith="Q"),
                name="source_wikidata_id_valid",
                violation_error_message="A Wikidata id is Q followed by digits (Q42).",
            ),
        ]

    def __str__(self):
        return self.name


class SourceAlias(models.Model):
    """Another name a source goes by ("Qasem Suleimani" for "Qassem Soleimani").

    Reference words within one document ("she", "the statement") are source
    spans on attributions, never aliases.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    normalized_name = models.CharField(max_length=300, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "source aliases"
        constraints = [
            models.CheckConstraint(
                condition=~Q(normalized_name=""),
                name="source_alias_not_empty",
                violation_error_message="An alias has letters or digits in it.",
            )
        ]

    def __str__(self):
        return self.name


class Document(VersionedModel):
    """One published text; its ``text`` is frozen once it has statements.
    Its details (title, date, publisher...) are corrected as versions."""

    title = models.CharField(max_length=500)
    text = models.TextField()
    # sha256 of the NFC text, hex: a text is stored once.
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    url = models.URLField(max_length=2000, blank=True)
    publisher = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_documents",
    )
    authors = models.ManyToManyField(
        Source, blank=True, related_name="authored_documents"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=35, blank=True, help_text="BCP 47 tag")
    tags = models.ManyToManyField(Tag, blank=True, related_name="documents")
    metadata = models.JSONField(default=dict, blank=True)
    # Independent double annotation: each assigned reviewer annotates their
    # own copy, unseen by the others until all are done (editors set it:
    # services.document_independent_annotation_set).
    # A default in the database too, for bulk loads (COPY) that name only
    # the columns they fill.
    independent_annotation = models.BooleanField(default=False, db_default=False)
    created_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="document_text_not_empty",
                violation_error_message="A document has a text.",
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="document_title_not_empty",
                violation_error_message="A document has a title.",
            ),
            models.CheckConstraint(
                condition=Exact(Length("content_hash"), 64),
                name="document_content_hash_sha256",
                violation_error_message=(
                    "A document's content hash is the SHA-256 of its text."
                ),
            ),
        ]
        indexes = [
            # By date, and the date range of the corpus-wide statement filter
            # read from the index alone (BENCHMARKS.md, Scale).
            models.Index(fields=["published_at", "id"], name="document_published_id"),
        ]

    def __str__(self):
        return self.title


class Statement(models.Model):
    """A span of a document, normally one sentence: ``document.text[start:end]``."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="statements", db_index=False
    )
    index = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["document", "index"]
        # A document's statement ids from the index alone: the corpus-wide
        # filter joins them to the matching attributions (BENCHMARKS.md,
        # Scale). It serves the foreign key too, which has no index of its own.
        indexes = [
            models.Index(fields=["document", "id"], name="statement_document_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "index"],
                name="statement_index_unique",
                violation_error_message=(
                    "Two statements of a document have the same index."
                ),
            ),
            models.UniqueConstraint(
                fields=["document", "start"],
                name="statement_start_unique",
                violation_error_message=(
                    "Two statements of a document start at the same offset."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="statement_not_empty",
                violation_error_message="A statement ends after it starts.",
            ),
            models.CheckConstraint(
                condition=Exact(Length("text"), F("end") - F("start")),
                name="statement_text_length_matches_span",
                violation_error_message=(
                    "The statement's text is not as long as its span."
                ),
            ),
        ]

    def __str__(self):
        # Cut where labels must be short, and say so with an ellipsis.
        return Truncator(self.text).chars(80)


class ClaimStatus(models.TextChoices):
    NEW = "new", "New"
    IN_REVIEW = "in_review", "In review"
    REVIEWED = "reviewed", "Reviewed"
    PUBLISHED = "published", "Published"


class Claim(EditedModel):
    """A check-worthy assertion in canonical wording, tracked across documents."""

    Status = ClaimStatus

    text = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    # True while only suggestions name it: lists leave it out until a reviewer
    # accepts one of its mentions (or it is rejected everywhere, and stays so).
    proposed = models.BooleanField(default=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="claims")
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Every change kept, to be seen and reverted in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                Lower("text"),
                name="claim_text_unique",
                violation_error_message=(
                    "A claim with this wording (case aside) is already stored."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="claim_text_not_empty",
                violation_error_message="A claim has a wording.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values),
                name="claim_status_valid",
                violation_error_message=(
                    "A claim's status is one of new, in review, reviewed, published."
                ),
            ),
        ]

    def __str__(self):
        # Cut where labels must be short, and say so with an ellipsis.
        return Truncator(self.text).chars(80)


class ClaimEmbedding(models.Model):
    """A claim's sentence embedding, for semantic similar-claim ranking.

    Optional (requirements-semantic.txt): written by ``claim_embeddings_store``
    when the claim is written and by ``manage.py embed_claims``. The vector is
    ``dimensions`` float32 values, little-endian; ``text_sha256`` is the digest
    of the text it was computed from, so a reworded claim's vector is stale.
    """

    claim = models.OneToOneField(
        Claim, on_delete=models.CASCADE, primary_key=True, related_name="embedding"
    )
    model = models.CharField(max_length=200)
    dimensions = models.PositiveIntegerField()
    vector = models.BinaryField()
    text_sha256 = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(model=""),
                name="claim_embedding_model_not_empty",
                violation_error_message="An embedding names its model.",
            ),
            models.CheckConstraint(
                condition=Q(dimensions__gt=0),
                name="claim_embedding_dimensions_valid",
                violation_error_message="An embedding has at least one dimension.",
            ),
            models.CheckConstraint(
                condition=Exact(Length("vector"), F("dimensions") * 4),
                name="claim_embedding_vector_length",
                violation_error_message="The vector must be dimensions float32 values.",
            ),
        ]
        indexes = [models.Index(fields=["model", "updated_at"])]

    def __str__(self):
        return f"{self.model} embedding of claim {self.claim_id}"


class Attribution(EditedModel):
    """The provenance of one statement: who said it, how, and through whom."""

    Kind = AttributionKind

    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="attributions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attributions",
    )
    # Document offsets of the words naming the source here ("it", "the bank"),
    # of the reporting cue ("said") and of the attributed content.
    source_start = models.PositiveIntegerField(null=True, blank=True)
    source_end = models.PositiveIntegerField(null=True, blank=True)
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    content_start = models.PositiveIntegerField(null=True, blank=True)
    content_end = models.PositiveIntegerField(null=True, blank=True)
    via = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conveyed_attributions",
        help_text="The conduit the words came through (“told public radio”).",
    )
    primary_source_url = models.URLField(max_length=2000, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices)
    status = models.CharField(max_length=10, choices=ReviewStatus.choices)
    confidence = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Who last accepted or rejected it, and when (accept, reject, adjudicate).
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # One annotator's work in independent double annotation (its
    # ``created_by``): kept ``suggested`` until adjudicated, hidden from the
    # document's other annotators until all are done (selectors.work_visible_to).
    independent = models.BooleanField(default=False, db_default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # Every change kept, to be seen and reverted in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["statement", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AttributionKind.values),
                name="attribution_kind_valid",
                violation_error_message=(
                    "An attribution's kind is one of direct, indirect, mixed, author."
                ),
            ),
            models.CheckConstraint(
                condition=Q(origin__in=Origin.values),
                name="attribution_origin_valid",
                violation_error_message=(
                    "An attribution's origin is one of manual, suggested, imported."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReviewStatus.values),
                name="attribution_status_valid",
                violation_error_message=(
                    "An attribution's status is one of suggested, accepted, rejected."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="author") | Q(source__isnull=False),
                name="attribution_source_required",
                violation_error_message=(
                    "Only an author attribution may have no source."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(origin="manual", status="suggested") | Q(independent=True),
                name="attribution_manual_not_suggested",
                violation_error_message=(
                    "A reviewer's own attribution is accepted or rejected, "
                    "not suggested (unless it is independent annotation)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(independent=False) | Q(created_by__isnull=False),
                name="attribution_independent_has_annotator",
                violation_error_message=(
                    "An independent annotation names its annotator (created_by)."
                ),
            ),
            # Annotators' attributions wait side by side; adjudication
            # accepts one of them.
            models.UniqueConstraint(
                fields=["statement"],
                condition=Q(independent=True, status="accepted"),
                name="attribution_independent_one_accepted",
                violation_error_message=(
                    "In independent annotation a statement has at most one "
                    "accepted attribution."
                ),
            ),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True)
                | Q(confidence__gte=0, confidence__lte=1),
                name="attribution_confidence_range",
                violation_error_message=(
                    "An attribution's confidence is between 0 and 1."
                ),
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | Q(reviewed_at__isnull=False),
                name="attribution_reviewed_has_date",
                violation_error_message="A reviewed attribution has a review date.",
            ),
            *_span_constraints("source", "attribution"),
            *_span_constraints("cue", "attribution"),
            *_span_constraints("content", "attribution"),
        ]
        indexes = [
            models.Index(fields=["status"]),
            # Attributions by source and kind; for "statements by source and
            # kind", their ids (and the status the filter excludes rejected
            # ones by) from the index alone.
            models.Index(
                fields=["source", "kind", "statement", "status"],
                name="attribution_source_statement",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.source or 'the document'}"


class ClaimMention(VersionedModel):
    """One appearance of a claim in a statement, reviewed as attributions are.

    A rejected mention is kept: it tells the next suggestion run not to
    propose the claim on that statement again.
    """

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="mentions")
    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="claim_mentions"
    )
    origin = models.CharField(max_length=10, choices=Origin.choices)
    status = models.CharField(max_length=10, choices=ReviewStatus.choices)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # One annotator's link in independent double annotation, as
    # ``Attribution.independent``.
    independent = models.BooleanField(default=False, db_default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # Every change kept, to be seen and reverted in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "statement"],
                condition=Q(independent=False),
                name="claim_mention_unique",
                violation_error_message=(
                    "This statement is already linked to this claim."
                ),
            ),
            # Two annotators may each link the same pair, once each.
            models.UniqueConstraint(
                fields=["claim", "statement", "created_by"],
                condition=Q(independent=True),
                name="claim_mention_unique_per_annotator",
                violation_error_message=(
                    "This annotator already linked this statement to this claim."
                ),
            ),
            models.CheckConstraint(
                condition=Q(independent=False) | Q(created_by__isnull=False),
                name="claim_mention_independent_has_annotator",
                violation_error_message=(
                    "An independent annotation names its annotator (created_by)."
                ),
            ),
            models.UniqueConstraint(
                fields=["claim", "statement"],
                condition=Q(independent=True, status="accepted"),
                name="claim_mention_independent_one_accepted",
                violation_error_message=(
                    "In independent annotation a statement's link to a claim is "
                    "accepted at most once."
                ),
            ),
            models.CheckConstraint(
                condition=Q(origin__in=Origin.values),
                name="claim_mention_origin_valid",
                violation_error_message=(
                    "A claim mention's origin is one of manual, suggested, imported."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReviewStatus.values),
                name="claim_mention_status_valid",
                violation_error_message=(
                    "A claim mention's status is one of suggested, accepted, rejected."
                ),
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | Q(reviewed_at__isnull=False),
                name="claim_mention_reviewed_has_date",
                violation_error_message="A reviewed mention has a review date.",
            ),
        ]

    def __str__(self):
        return f"{self.claim} in {self.statement.document}"


class Rating(models.IntegerChoices):
    # 1..5 is the ordinal truth scale; the two others sit outside it.
    FALSE = 1, "False"
    MOSTLY_FALSE = 2, "Mostly false"
    MIXED = 3, "Mixed"
    MOSTLY_TRUE = 4, "Mostly true"
    TRUE = 5, "True"
    UNVERIFIABLE = 0, "Unverifiable"
    NOT_A_CLAIM = -1, "Not a factual claim"


class ClaimReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class ClaimReview(EditedModel):
    """A reviewer's verdict on a claim; published ones are public."""

    Rating = Rating

    Status = ClaimReviewStatus

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    rating = models.SmallIntegerField(choices=Rating.choices)
    # The verdict's own wording where it is not the scale's ("Pants on
    # Fire" for False, "Unproven" for unverifiable): empty = the scale's.
    label = models.CharField(max_length=200, blank=True)
    summary = models.TextField()
    # [{"url": ..., "title": ...}, ...]: records that settle the claim.
    evidence = models.JSONField(
        default=list, blank=True, validators=[validate_evidence_links]
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # An imported review keeps who published it and where (import_claims),
    # and is credited to them; empty = this service and the claim's page.
    publisher_name = models.CharField(max_length=300, blank=True)
    publisher_url = models.URLField(max_length=2000, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Every change kept, to be seen and reverted in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("publish_claimreview", "Can publish claim reviews")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__in=Rating.values),
                name="claim_review_rating_valid",
                violation_error_message=(
                    "A rating is 1 (false) to 5 (true), 0 (unverifiable) or -1 (not a"
                    " factual claim)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClaimReviewStatus.values),
                name="claim_review_status_valid",
                violation_error_message=(
                    "A claim review's status is draft or published."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(summary=""),
                name="claim_review_summary_not_empty",
                violation_error_message="A claim review has a summary.",
            ),
            models.CheckConstraint(
                condition=Q(publisher_url="") | ~Q(publisher_name=""),
                name="claim_review_publisher_named",
                violation_error_message="A publisher's URL needs its name.",
            ),
            # One review of a claim at one address: what makes importing an
            # archive again add nothing.
            models.UniqueConstraint(
                fields=["claim", "url"],
                condition=~Q(url=""),
                name="claim_review_url_unique",
                violation_error_message="This claim already has a review at this URL.",
            ),
            models.CheckConstraint(
                condition=Q(status="published", published_at__isnull=False)
                | Q(status="draft", published_at__isnull=True),
                name="claim_review_published_has_date",
                violation_error_message=(
                    "A published review has a publication date; a draft has none."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.rating_label}: {self.claim}"

    @property
    def rating_label(self) -> str:
        """The verdict as its publisher worded it, else the scale's name."""
        return self.label or self.get_rating_display()


class Motivation(models.TextChoices):
    # The W3C Web Annotation motivations.
    ASSESSING = "assessing", "Assessing"
    BOOKMARKING = "bookmarking", "Bookmarking"
    CLASSIFYING = "classifying", "Classifying"
    COMMENTING = "commenting", "Commenting"
    DESCRIBING = "describing", "Describing"
    EDITING = "editing", "Editing"
    HIGHLIGHTING = "highlighting", "Highlighting"
    IDENTIFYING = "identifying", "Identifying"
    LINKING = "linking", "Linking"
    MODERATING = "moderating", "Moderating"
    QUESTIONING = "questioning", "Questioning"
    REPLYING = "replying", "Replying"
    TAGGING = "tagging", "Tagging"


# The one rule of an annotation's target, in the database's words; the
# services say it the same way (services.annotations.annotation_target).
ANNOTATION_ONE_TARGET = "An annotation targets exactly one statement or one claim."


class Annotation(EditedModel):
    """A reviewer's note on a statement or on a claim (a W3C Web Annotation)."""

    Motivation = Motivation

    statement = models.ForeignKey(
        Statement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annotations",
    )
    claim = models.ForeignKey(
        Claim,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annotations",
    )
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    motivation = models.CharField(
        max_length=20, choices=Motivation.choices, default=Motivation.COMMENTING
    )
    body = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="annotations")
    created_at = models.DateTimeField(auto_now_add=True)

    # Every change kept, to be seen and reverted in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(statement__isnull=False, claim__isnull=True)
                | Q(statement__isnull=True, claim__isnull=False),
                name="annotation_one_target",
                violation_error_message=ANNOTATION_ONE_TARGET,
            ),
            models.CheckConstraint(
                condition=Q(motivation__in=Motivation.values),
                name="annotation_motivation_valid",
                violation_error_message=(
                    "An annotation's motivation is one of the W3C motivations offered."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_motivation_display()} on {self.statement or self.claim}"

    @property
    def target(self):
        return self.statement or self.claim


class JobKind(models.TextChoices):
    IMPORT = "import", "Import"
    SUGGEST = "suggest", "Suggest provenance"
    EXPORT = "export", "Export"
    CLAIMS_IMPORT = "claims_import", "Import checked claims"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


JOB_FINISHED = [JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED]


def _no_progress():
    return {"done": 0, "total": None}


class Job(models.Model):
    """Long work run by a worker (``claims.services.jobs``): an import of an
    uploaded file, suggestions for many documents, or an export to a file.

    ``input`` and ``output`` are kept through Django's storage API, so that a
    worker on another machine reads the upload and the web servers serve the
    export; both go after ``JOB_RETENTION_DAYS`` (``purge_jobs``).
    """

    Kind = JobKind
    Status = JobStatus

    kind = models.CharField(max_length=20, choices=JobKind.choices)
    status = models.CharField(
        max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.JSONField(default=_no_progress)
    options = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    # Asked while it runs; the worker stops between batches and says so.
    cancel_requested = models.BooleanField(default=False)
    input = models.FileField(upload_to="jobs/input/", max_length=300, blank=True)
    output = models.FileField(upload_to="jobs/output/", max_length=300, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The lease of a job run whole (claims.services.leases): the times a
    # worker took it, the worker holding it, and when that worker last said
    # it was still at it; a stale heartbeat lets another take the job over.
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "finished_at"], name="job_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=JobKind.values),
                name="job_kind_valid",
                violation_error_message=(
                    "A job's kind is one of import, export, suggest, claims import."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=JobStatus.values),
                name="job_status_valid",
                violation_error_message=(
                    "A job's status is one of queued, running, done, failed, cancelled."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=JOB_FINISHED, finished_at__isnull=False)
                | (~Q(status__in=JOB_FINISHED) & Q(finished_at__isnull=True)),
                name="job_finished_when_done",
                violation_error_message="A job has an end time once it is over.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in JOB_FINISHED


class ApiToken(models.Model):
    """A key for ``Authorization: Token …``, stored only as its SHA-256.

    The key is 160 random bits, so a fast hash is as good as a slow one and
    the look-up stays one indexed query; a copy of the table signs nobody
    in. ``password_seal`` ties it to the password it was issued under (as
    Django ties a session), so a changed password ends it on every path.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    password_seal = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"API token {self.digest[:8]}… of user #{self.user_id}"


class ReviewState(models.TextChoices):
    TO_DO = "to_do", "To do"
    IN_REVIEW = "in_review", "In review"
    DONE = "done", "Done"


def review_state_of(states: list[str]) -> str | None:
    """A document's review state from its assignments' states: none without
    assignments; done once every reviewer is done; in review once any has
    started; to do otherwise."""
    if not states:
        return None
    if all(state == ReviewState.DONE for state in states):
        return ReviewState.DONE
    if any(state != ReviewState.TO_DO for state in states):
        return ReviewState.IN_REVIEW
    return ReviewState.TO_DO


class Assignment(VersionedModel):
    """A document given to a reviewer to review, and how far they have got.

    Editors assign (``services.documents_assign``); the reviewer moves their
    own assignment from to do to in review to done. A document's review state
    is its assignments' (``selectors.review_state_of``).
    """

    State = ReviewState

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        max_length=10, choices=ReviewState.choices, default=ReviewState.TO_DO
    )
    assigned_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    # Who assigned whom, and each change of state, kept.
    history = HistoricalRecords()

    class Meta:
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "reviewer"],
                name="assignment_unique",
                violation_error_message=(
                    "This reviewer is already assigned this document."
                ),
            ),
            models.CheckConstraint(
                condition=Q(state__in=ReviewState.values),
                name="assignment_state_valid",
                violation_error_message=("A review state is to do, in review or done."),
            ),
        ]
        indexes = [
            # A reviewer's queue, oldest first.
            models.Index(fields=["reviewer", "assigned_at"], name="assignment_queue"),
        ]

    def __str__(self):
        return f"{self.document} for {self.reviewer}"


class JobChunkStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class JobChunk(models.Model):
    """A part of a job that any idle worker takes (``claims.services.chunks``):
    the lines between two byte offsets of an import's upload, or positions
    ``[start, stop)`` of a suggest job's documents.

    A chunk is worked in one transaction that holds its row locked and ends by
    marking it done: it commits whole, with its counts, or not at all, and a
    worker that dies mid-chunk leaves it queued (and unlocked) for another.
    ``attempts`` counts the times it was taken, committed apart from the work,
    so that a chunk that keeps failing ends ``failed`` rather than looping.
    """

    Status = JobChunkStatus

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    start = models.BigIntegerField()
    stop = models.BigIntegerField()
    # The line number at ``start`` (imports), for FILE:LINE messages.
    first_line = models.PositiveIntegerField(default=1)
    size = models.PositiveIntegerField()  # records (documents) it holds
    status = models.CharField(
        max_length=10, choices=JobChunkStatus.choices, default=JobChunkStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # host:pid of the worker that took it last; who to blame for a stuck one.
    worker = models.CharField(max_length=200, blank=True)
    # When it was taken last: between its attempt committing and its worker
    # locking it again to work it, the row is unlocked (claims.services.chunks).
    taken_at = models.DateTimeField(null=True, blank=True)
    # Its counts and error lines once it ends (the last error while retried).
    summary = models.JSONField(default=dict, blank=True)
    documents = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "number"],
                name="job_chunk_number",
                violation_error_message="A job has one chunk of each number.",
            ),
            models.CheckConstraint(
                condition=Q(stop__gte=F("start")),
                name="job_chunk_range",
                violation_error_message="A chunk ends where it starts or after.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=JobChunkStatus.values),
                name="job_chunk_status_valid",
                violation_error_message=(
                    "A chunk is queued, done, failed or cancelled."
                ),
            ),
        ]

    def __str__(self):
        return f"chunk {self.number} of job {self.job_id} ({self.status})"

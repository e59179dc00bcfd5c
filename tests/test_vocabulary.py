"""The value sets shared by the pure code and the models."""

from claims.models import Attribution, ClaimMention, Source
from claims.vocabulary import AttributionKind, Origin, ReviewStatus, SourceKind


def test_a_term_is_its_value_and_carries_a_label():
    """Members compare and serialise as their value, as TextChoices do."""
    assert AttributionKind.DIRECT == "direct"
    assert f"{AttributionKind.DIRECT}" == "direct"
    assert AttributionKind("mixed") is AttributionKind.MIXED
    assert AttributionKind.INDIRECT.label == "Indirect (paraphrase)"
    assert ReviewStatus.values == ["suggested", "accepted", "rejected"]
    assert Origin.choices == [
        ("manual", "Manual"),
        ("suggested", "Suggested"),
        ("imported", "Imported"),
    ]


def test_the_models_take_their_choices_from_the_vocabulary():
    """A value added to the vocabulary is a choice of every field using it."""
    assert Attribution._meta.get_field("kind").choices == AttributionKind.choices
    assert Attribution._meta.get_field("origin").choices == Origin.choices
    assert ClaimMention._meta.get_field("status").choices == ReviewStatus.choices
    assert Source._meta.get_field("kind").choices == SourceKind.choices
    assert Source.Kind is SourceKind

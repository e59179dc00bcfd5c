import pytest

from claims.name_normalization import normalize_name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hashd al-Sha’abi", "hashd al shaabi"),
        ("Tomasz Wójcik", "TOMASZ WOJCIK"),
        ("  The   Daily  ", "the daily"),
        ("Ministry of Health (Iraq)", "ministry of health iraq"),
    ],
)
def test_spellings_that_differ_in_form_only_normalise_alike(a, b):
    """Case, accents, apostrophes, punctuation and spacing are ignored."""
    assert normalize_name(a) == normalize_name(b)


def test_transliteration_variants_stay_distinct():
    """Qasem Suleimani and Qassem Soleimani are told apart: they are aliases."""
    assert normalize_name("Qasem Suleimani") != normalize_name("Qassem Soleimani")


def test_a_name_of_punctuation_only_normalises_to_nothing():
    """So the service can refuse it as empty."""
    assert normalize_name(" — ") == ""

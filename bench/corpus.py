"""A generator of news-like documents in the interchange format.

Each document is about 1.3 KB and 15 statements: a headline, quotes straight
and curly, reporting cues before and after the content, named and anonymous
sources with titles, numbers, dates and abbreviations. Deterministic for a
given seed, so runs compare like with like.
"""

import datetime
import json
import random
from collections.abc import Iterator

PEOPLE = [
    ("Interior Ministry spokeswoman Maj. Lena Brandt", "she"),
    ("Finance Minister Dr. Aurelio Costa", "he"),
    ("Sen. Maria Okafor", "she"),
    ("Tomasz Wójcik, a bus driver", "he"),
    ("Gen. Farid al-Hashimi", "he"),
    ("Prof. Ingrid Solberg of the U.K. Climate Institute", "she"),
    ("an aide to the minister, who spoke on condition of anonymity", "he"),
    ("three officials briefed on the talks", "they"),
]
ORGANISATIONS = [
    ("the central bank", "the bank"),
    ("Nordia Energy Corp.", "the company"),
    ("the U.N. refugee agency", "the agency"),
    ("an internal audit", "the audit"),
    ("the opposition alliance", "the alliance"),
]
TOPICS = [
    ("fuel prices", "subsidy"),
    ("the port strike", "wage offer"),
    ("flood defences", "levee programme"),
    ("the rail merger", "takeover bid"),
    ("hospital waiting lists", "funding plan"),
]
CUES = ["said", "told reporters", "warned", "added", "insisted", "noted", "confirmed"]
NUMBERS = ["12,800", "3.14", "€2.5m", "0.4%", "$1.2bn", "17", "2,031", "48.6%"]
MONTHS = ["Jan.", "Feb.", "March", "April", "Aug.", "Sept.", "Oct.", "Dec."]


def _sentences(rng: random.Random) -> tuple[str, list[str]]:
    topic, plan = rng.choice(TOPICS)
    person, pronoun = rng.choice(PEOPLE)
    organisation, reference = rng.choice(ORGANISATIONS)
    number, other = rng.sample(NUMBERS, 2)
    month = rng.choice(MONTHS)
    day = rng.randint(1, 28)
    cue = rng.choice(CUES)
    speaker = person + ("," if "," in person else "")
    name = person.split(",")[0]
    headline = f"{name[0].upper()}{name[1:]} defends {plan} as row over {topic} grows"
    body = [
        f"The government unveiled a {plan} on {month} {day} that it said would "
        f"cost {number} over three years.",
        f"“We have no other choice. The {plan} is the only serious option,” "
        f"{speaker} {cue}.",
        "“Nothing was lost.”",
        f"According to {organisation}, the measure affects {other} households, "
        f"most of them outside the capital.",
        f"{reference.capitalize()} {rng.choice(['estimated', 'reported'])} that "
        f"costs rose by {rng.choice(NUMBERS)} in the year to the end of "
        f"{rng.choice(['June', 'September', 'December'])}.",
        f"Critics accused the minister of acting too late, and Mr. Reyes, a "
        f"former adviser, called the {plan} “a gamble … with other people’s "
        f"money.”",
        f"The {plan} must still pass a vote in parliament at 10 a.m. on "
        f"{rng.choice(['Monday', 'Tuesday', 'Friday'])}.",
        f"{pronoun.capitalize()} denied that U.S. advisers had changed the figures.",
        f"In an interview with public radio, {speaker} urged patience: “Give "
        f"it until spring.”",
        f"The opposition said the {plan} was drafted in haste and pledged to "
        f"table {rng.randint(3, 40)} amendments, including a cap on fees.",
        f"Dr. Amira Saleh, an economist at the Institute for Fiscal Studies, "
        f"said the estimate of {other} was “plausible, if optimistic.”",
        "Protesters gathered on St. Mark’s Square, e.g. outside the ministry.",
    ]
    tail = body[6:]
    rng.shuffle(tail)
    body[6:] = tail
    return headline, body


def generate_documents(count: int, seed: int = 0) -> Iterator[dict]:
    """Yield ``count`` distinct interchange records without statements."""
    rng = random.Random(seed)
    start = datetime.date(2023, 1, 1)
    for number in range(count):
        headline, body = _sentences(rng)
        paragraphs = [" ".join(body[i : i + 2]) for i in range(0, len(body), 2)]
        # A serial number keeps every text distinct, as real articles are.
        paragraphs.append(f"(Report no. {number + 1}.)")
        yield {
            "title": headline,
            "text": "\n\n".join([headline, *paragraphs]),
            "published_at": (start + datetime.timedelta(days=number % 700)).isoformat(),
            "language": "en",
            "tags": [rng.choice(TOPICS)[0]],
        }


def write_corpus(path, count: int, seed: int = 0) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for record in generate_documents(count, seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    import sys

    for record in generate_documents(int(sys.argv[1]) if len(sys.argv) > 1 else 1):
        print(json.dumps(record, ensure_ascii=False))

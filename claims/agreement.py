"""Agreement between annotators: Krippendorff's α (nominal) and percent agreement.

Plain functions over units, knowing no Django. A unit is what the annotators
each gave one value to (a statement's kind, its source, ...); ``units`` maps
each unit to ``{annotator: value}``, and an annotator who gave the unit no
value is absent from it (a missing value, which α allows). Only units with
values from two or more annotators can show agreement: they are the ones
counted (``units``).

- ``percent``: the share of those units on which every annotator who coded
  it gave the same value (0 to 1);
- ``alpha``: Krippendorff's α at the nominal level (the ``krippendorff``
  package), or ``None`` where it is undefined, with the reason: fewer than
  two annotators, no unit coded twice, or one category only (then the
  disagreement expected by chance is nil and α is 0/0).
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np

Units = Mapping[Hashable, Mapping[str, Hashable]]


@dataclass(frozen=True)
class Agreement:
    alpha: float | None
    percent: float | None
    units: int
    reason: str | None = None

    def as_dict(self) -> dict[str, float | int | str | None]:
        answer: dict[str, float | int | str | None] = {
            "alpha": self.alpha,
            "percent": self.percent,
            "units": self.units,
        }
        if self.reason is not None:
            answer["reason"] = self.reason
        return answer


def agreement(units: Units, annotators: Sequence[str]) -> Agreement:
    """α and percent agreement of ``annotators`` over ``units``."""
    pairable = {unit: values for unit, values in units.items() if len(values) >= 2}
    if not annotators:
        return Agreement(
            None, None, 0, "no annotators: the documents are assigned to nobody"
        )
    if len(annotators) < 2:
        return Agreement(
            None, None, 0, "one annotator: agreement needs two or more annotators"
        )
    if not pairable:
        return Agreement(None, None, 0, "no unit was coded by two annotators")
    agreeing = sum(len(set(values.values())) == 1 for values in pairable.values())
    percent = agreeing / len(pairable)
    categories = sorted(
        {value for values in pairable.values() for value in values.values()}, key=str
    )
    if len(categories) == 1:
        return Agreement(
            None,
            percent,
            len(pairable),
            "one category only: every value is the same, so no disagreement is "
            "expected by chance and α is undefined",
        )
    code = {category: number for number, category in enumerate(categories)}
    rows = {name: position for position, name in enumerate(annotators)}
    data = np.full((len(annotators), len(pairable)), np.nan)
    for column, values in enumerate(pairable.values()):
        for annotator, value in values.items():
            data[rows[annotator], column] = code[value]
    alpha = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    return Agreement(float(alpha), percent, len(pairable))

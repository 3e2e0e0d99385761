"""Fuzzy matching of indicator, program and activity names, and tolerant comparison of codes.

Used by the alignment and inspiration analyses. rapidfuzz does the string work; this module only
decides how names are folded and how two scores are combined, so both analyses judge "similar" alike.
"""

from __future__ import annotations

import math
import re

from rapidfuzz import fuzz, process, utils

# Function words carry no meaning in an indicator name; left in, they make unrelated names look alike.
_STOPWORDS = frozenset("yang dan di ke dari pada dalam untuk serta oleh bagi atau dengan the of and".split())


def text(value: object) -> str:
    """A cell as clean text: '' for None/NaN/pd.NA, otherwise the stripped string."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    try:
        if value != value:  # pd.NA and NaT compare unequal to themselves (or raise)
            return ""
    except (TypeError, ValueError):
        return ""
    return str(value).strip()


def fold_name(value: object) -> str:
    """Lower-case, accents and punctuation removed, function words dropped."""
    words = utils.default_process(text(value)).split()
    return " ".join(w for w in words if w not in _STOPWORDS)


def fold_code(value: object) -> str:
    """A code compared by its letters and digits only: 'IKU 2.1', 'iku-2.1' and 'IKU.2.1' agree."""
    return re.sub(r"[^0-9A-Z]", "", text(value).upper())


def name_score(a: object, b: object) -> float:
    """Similarity 0–100 of two names.

    The mean of token-sort and token-set ratios: token-set alone gives 100 whenever one name is a
    subset of the other ("Indeks" vs "Indeks Kerukunan Umat Beragama"), token-sort alone punishes a
    short form of the same indicator too hard.
    """
    fa, fb = fold_name(a), fold_name(b)
    if not fa or not fb:
        return 0.0
    return (fuzz.token_sort_ratio(fa, fb) + fuzz.token_set_ratio(fa, fb)) / 2


def _scorer(a: str, b: str, **_: object) -> float:
    if not a or not b:
        return 0.0
    return (fuzz.token_sort_ratio(a, b) + fuzz.token_set_ratio(a, b)) / 2


def best_match(name: object, choices: dict[object, object], min_score: float) -> tuple[object, float] | None:
    """The key of `choices` (key -> name) whose name is most similar to `name`, with its score."""
    if not choices:
        return None
    folded = {k: fold_name(v) for k, v in choices.items()}
    hit = process.extractOne(fold_name(name), folded, scorer=_scorer, score_cutoff=min_score)
    if hit is None:
        return None
    _, score, key = hit
    return key, float(score)

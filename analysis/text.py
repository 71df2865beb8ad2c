"""Number formatting for titles and summaries: one place, so tests can
check that each number quoted matches the data to the shown precision."""
from __future__ import annotations

import math

import numpy as np

from .stats import CI

GROUP_LABELS = {
    "citizen_non_immigrant": "citizens not of immigrant origin",
    "citizen_immigrant_origin": "citizens in immigrant-origin households",
    "lawful_noncitizen": "lawful non-citizens",
    "undocumented": "undocumented residents",
    "mixed_status": "members of mixed-status households",
    "mixed_status_citizen": "citizens in mixed-status households",
    "all": "all residents",
}


def clean(text) -> str:
    """Text from a file made safe to print and write as UTF-8.

    h5py hands over bytes that are not UTF-8 (a scenario name typed in Latin-1) as lone
    surrogates, which no UTF-8 writer accepts; those bytes are read as Windows-1252
    (Latin-1 with its printable extras), the likeliest encoding of such a name.
    """
    text = str(text)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogateescape")
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            return raw.decode("latin-1")


def group_label(g: str) -> str:
    return GROUP_LABELS.get(str(g), str(g).replace("_", " "))


def pct(x, digits: int = 1) -> str:
    """A share as a percentage, e.g. 0.3125 -> '31.2%'."""
    return "n/a" if _bad(x) else f"{100 * float(x):.{digits}f}%"


def signed(x, digits: int = 1) -> str:
    """A signed number, '+0.0' rather than '-0.0' when it rounds to zero."""
    if _bad(x):
        return "n/a"
    text = f"{float(x):+,.{digits}f}"
    return f"{0.0:+.{digits}f}" if float(text.replace(",", "")) == 0 else text


def pp(x, digits: int = 1) -> str:
    """A difference of two shares as signed percentage points, without the unit."""
    return "n/a" if _bad(x) else signed(100 * float(x), digits)


def sgn3(x) -> str:
    """A signed difference on a 0-1 scale (trust, fear), three decimals."""
    return signed(x, 3)


def pts(x, digits: int = 1) -> str:
    """A difference of shares in percentage points, signed, with the unit."""
    return f"{pp(x, digits)} points"


def plural(n: int, word: str) -> str:
    """'1 replicate', '2 replicates'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def num(x, digits: int = 1) -> str:
    return "n/a" if _bad(x) else f"{float(x):,.{digits}f}"


def ci_text(ci: CI, fmt=pct) -> str:
    """'31.2% (95% CI 29.8% to 32.6%)', or a plain statement that there is no band."""
    return f"{fmt(ci.mean)} {ci_bounds(ci, fmt)}"


def ci_bounds(ci: CI, fmt=pct) -> str:
    """Only the bracket, for sentences that already state the value (fmt's own digits)."""
    n = int(np.asarray(ci.n))  # replicates with a value, which can be fewer than run
    if n == 0:
        return "(no replicate has data)"
    if n == 1:
        return "(one replicate with data: no confidence interval)"
    return f"(95% CI {fmt(ci.lo)} to {fmt(ci.hi)})"


def excludes_zero(ci: CI) -> bool:
    """True when the interval lies on one side of zero (no band: never)."""
    return bool(np.asarray(ci.n) >= 2 and (ci.lo > 0 or ci.hi < 0))


def replicates_note(n: int, lead: str = "Values are means", tail: str = "") -> str:
    """One closing sentence on how uncertainty is shown (tail: more of that sentence)."""
    if n < 2:
        return f"{lead} from a single replicate, so there is no confidence interval{tail}."
    return f"{lead} across {n} replicates with 95% confidence intervals (t-based){tail}."


def _bad(x) -> bool:
    return x is None or (isinstance(x, (float, np.floating)) and math.isnan(x)) or \
        (isinstance(x, np.ndarray) and np.isnan(x).any())

"""Reading JSON text as the local server's ASP.NET counterpart does.

System.Text.Json refuses a document nested deeper than its maximum depth (64 by default)
instead of recursing until the stack gives out. The local server applies the same explicit
rule to every request body and every JSON query parameter, so its answer to deeply nested
data is a 400 naming the limit on every Python, never whatever depth ``json.loads`` happens to
reach before a RecursionError (about 1,000 on 3.11, far more on 3.13).
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

# JsonSerializerOptions.MaxDepth's default (0 means 64).
MAX_DEPTH = 64

# A JSON string, escapes included: brackets inside strings do not nest.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class TooDeep(ValueError):
    """The text nests arrays and objects deeper than ``MAX_DEPTH``."""

    def __init__(self) -> None:
        super().__init__(
            f"The maximum configured depth of {MAX_DEPTH} has been exceeded. "
            "Cannot read next JSON object or array."
        )


def depth(text: str) -> int:
    """How deeply the arrays and objects of ``text`` nest (0 for a scalar), without parsing it.

    Linear in the length of ``text``; unbalanced text is measured as written and left to
    ``json.loads`` to refuse.
    """
    steps = (_STEP[b] for b in _BRACKETS.findall(_STRING.sub("", text)))
    return max(itertools.accumulate(steps, initial=0))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def loads(text: str | bytes) -> Any:
    """Parse JSON text; ``NaN``/``Infinity`` and nesting past ``MAX_DEPTH`` are errors."""
    # Bytes are decoded as json.loads decodes them (UTF-8, a BOM, or UTF-16/32 by sniffing).
    as_text = (
        text.decode(json.detect_encoding(text), "surrogatepass")
        if isinstance(text, bytes)
        else text
    )
    if depth(as_text) > MAX_DEPTH:
        raise TooDeep
    return json.loads(as_text, parse_constant=_reject_constant)

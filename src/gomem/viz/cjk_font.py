"""The CJK glyphs of the scenario page, shipped in the page itself.

The article's scenario titles carry their Chinese names (``三色标记法``,
``插入屏障`` …).  Where no CJK font is installed a browser draws them as
boxes, so the page embeds a subset of **Noto Sans CJK SC** (Regular and
Bold) holding only the characters the built-in scenarios use
(:data:`CHARS`): two WOFF files of about 5 KiB each, as ``data:`` URLs in an
``@font-face`` whose ``unicode-range`` is those characters, so the font is
used for them only and every other character keeps the page's fonts.

Licence: Noto Sans CJK is © 2014-2021 Adobe, under the SIL Open Font
License 1.1, which allows embedding the font, subset, in documents; the
subset keeps the font's name table (copyright, licence description and
URL) and the licence text is :data:`OFL_TEXT`.  The font's Reserved Font
Name is "Source"; the subset's name is Noto's, which is not reserved.

The subset is generated data (``_cjk_font_data.py``), made from Debian's
``fonts-noto-cjk`` package with fontTools (neither is needed to run gomem)::

    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb noto
    pip install fonttools
    python -m gomem.viz.gen_cjk_font noto/usr/share/fonts/opentype/noto noto/usr/share/doc/fonts-noto-cjk/copyright

which takes the characters from the built-in scenarios' page.  A
scenario file of one's own whose text uses other CJK characters shows
them in whatever font the system has (:func:`missing` names them).
"""

from __future__ import annotations

import re
from typing import Iterable

from ._cjk_font_data import CHARS, OFL_TEXT, SOURCE, WOFF

__all__ = ["CHARS", "FAMILY", "OFL_TEXT", "SOURCE", "cjk_chars", "font_face_css", "missing"]

#: the family name the page's CSS uses for the subset (not a system font's name, so it cannot be confused with one)
FAMILY = "gomem Noto Sans CJK SC"

#: the ranges counted as CJK: radicals … unified ideographs, compatibility ideographs, full-width forms
_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


def cjk_chars(text: str) -> str:
    """The distinct CJK characters of *text*, sorted."""
    return "".join(sorted(set(_CJK.findall(text))))


def missing(texts: Iterable[str]) -> str:
    """The CJK characters of *texts* that the shipped subset does not have."""
    have = set(CHARS)
    return "".join(c for c in cjk_chars("".join(texts)) if c not in have)


def font_face_css() -> str:
    """Two ``@font-face`` rules (400 and 700) with the subset as ``data:`` URLs."""
    rng = ",".join(f"U+{ord(c):04X}" for c in CHARS)
    head = f"/* {FAMILY}: a subset of Noto Sans CJK SC, \u00a9 2014-2021 Adobe, SIL Open Font License 1.1 (gomem.viz.cjk_font.OFL_TEXT) */\n"
    return head + "".join(
        f'@font-face {{ font-family:"{FAMILY}"; font-style:normal; font-weight:{weight}; font-display:block; '
        f'src:url(data:font/woff;base64,{data}) format("woff"); unicode-range:{rng}; }}\n'
        for weight, data in sorted(WOFF.items())
    )


# -- regenerating the subset ------------------------------------------------------------------------

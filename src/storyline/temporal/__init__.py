"""Time: temporal expressions (TIMEX3), publication dates from HTML/URLs and from text.

* :mod:`storyline.temporal.tagger`: rule-based recognition and normalisation.
* :mod:`storyline.temporal.pubdate`: publication date inferred from the text, with bounds.
* :mod:`storyline.temporal.html`: publication date from HTML metadata, URLs and htmldate.
"""

from storyline.temporal.tagger import Timex, find, resolve, split_sentences, tag

__all__ = ["Timex", "find", "resolve", "split_sentences", "tag"]

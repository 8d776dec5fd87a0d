"""Local web UI, HTTP API and self-contained report (``storyline serve`` / ``storyline report``)."""

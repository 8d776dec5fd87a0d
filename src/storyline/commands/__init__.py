"""CLI command groups contributed by each area; ``storyline.cli`` registers them.

Each module listed in ``MODULES`` defines ``commands: list[click.Command]``.
"""

MODULES = ["quotes", "entities", "timeline", "events", "web"]

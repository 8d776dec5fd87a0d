"""The Ray executor runs the same article stages and gives the same articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import storyline
from storyline.export import export_story


@pytest.mark.slow
def test_ray_executor_matches_local(tmp_path: Path) -> None:
    pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'storyline[ray]'")
    d = tmp_path / "in"
    d.mkdir()
    for i, name in enumerate(["Mara Velt", "Ilse Varga"]):
        (d / f"{i}.txt").write_text(f"{name} said on Monday that the port would reopen.", encoding="utf-8")
    outs = []
    for executor in ("local", "ray"):
        db = tmp_path / f"{executor}.db"
        report = storyline.build([d], db=db, settings=storyline.Settings(workers=2, executor=executor, progress=False))
        assert report.ok, report.errors
        outs.append(json.dumps(export_story(storyline.open_store(db), timeline=False)["articles"], sort_keys=True))
    assert outs[0] == outs[1]

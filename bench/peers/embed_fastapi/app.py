"""Text embeddings with FastAPI, pydantic and fastText: the service a Python team would write for
examples/embeddings/contract.yaml, as a peer for benchmarks against `modelgate serve`.

POST /v1/embed takes {"texts": [1 to 32 strings], "normalize": true} with at most 32,000
characters in all, and returns {"vectors": one 768-float vector per text, "dim": 768,
"model_version": ...}. A text's vector is fastText's sentence vector, scaled to unit length
when normalize is true. Invalid input gets FastAPI's 422 with pydantic's error list.

Run with Debian's interpreter, which has the packages, from the repository root:
    PYTHONPATH=bench/peers /usr/bin/python3 -m embed_fastapi.app \
        --model examples/embeddings/model/embeddings.bin
"""

import argparse
import os
from typing import List

import fasttext
import numpy as np
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel, Extra, StrictBool, StrictStr, conlist, validator

EMBEDDING_DIM = 768
MAX_TEXTS = 32
MAX_TOTAL_CHARS = 32000


class EmbedRequest(BaseModel):
    texts: conlist(StrictStr, min_items=1, max_items=MAX_TEXTS)
    normalize: StrictBool = True

    class Config:
        extra = Extra.forbid

    @validator("texts")
    def total_length_within_limit(cls, texts):
        total = sum(len(text) for text in texts)
        if total > MAX_TOTAL_CHARS:
            raise ValueError(f"texts have {total} characters in all, more than the "
                             f"{MAX_TOTAL_CHARS} allowed; send fewer or shorter texts")
        return texts


class EmbedResponse(BaseModel):
    vectors: List[conlist(float, min_items=EMBEDDING_DIM, max_items=EMBEDDING_DIM)]
    dim: int
    model_version: str


def embed(model, texts: List[str], normalize: bool) -> np.ndarray:
    """Return one fastText sentence vector per text, as rows of a float32 matrix.

    fastText reads one line at a time, so line breaks become spaces.
    """
    # NOTE: not yet compared with modelgate's fastText backend, which may build a text's vector
    # or treat line breaks differently.
    vectors = np.stack([model.get_sentence_vector(" ".join(text.splitlines()))
                        for text in texts])
    if normalize:
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return vectors


def create_app(model_path: str, model_version: str) -> FastAPI:
    model = fasttext.load_model(model_path)
    if model.get_dimension() != EMBEDDING_DIM:
        raise SystemExit(f"{model_path}: the model has {model.get_dimension()} dimensions, "
                         f"expected {EMBEDDING_DIM}; train it with -dim {EMBEDDING_DIM}")

    app = FastAPI(title="embeddings")

    # A plain def, as FastAPI advises for blocking work: it runs in the thread pool.
    @app.post("/v1/embed", response_model=EmbedResponse)
    # It returns a dict, which FastAPI validates against response_model once. FastAPI 0.92
    # would validate a returned EmbedResponse twice: once on construction, once on the way out.
    def embed_texts(request: EmbedRequest) -> dict:
        vectors = embed(model, request.texts, request.normalize)
        return {"vectors": vectors.tolist(), "dim": EMBEDDING_DIM, "model_version": model_version}

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="fastText model file (.bin)")
    parser.add_argument("--model-version", help="model_version in each response (default: the "
                        "model file's name without its extension)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="TCP port")
    args = parser.parse_args()
    version = args.model_version or os.path.splitext(os.path.basename(args.model))[0]
    uvicorn.run(create_app(args.model, version), host=args.host, port=args.port, workers=1,
                access_log=False, log_level="warning")


if __name__ == "__main__":
    main()

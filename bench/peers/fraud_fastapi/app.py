"""Fraud scoring with FastAPI, pydantic and XGBoost: the service a Python team would write for
examples/fraud/contract.yaml, as a peer for benchmarks against `modelgate serve`.

It applies the contract's request rules, maps the request to the model's features as the
contract's `model.features` binding does, and returns the score with the top 3 reason codes
from XGBoost's approximate contributions. Errors are FastAPI's own: 422 with pydantic's error
list for invalid input and invalid JSON, 413 for a body over the contract's 16,384 bytes.
Unlike modelgate it keeps no idempotency records and writes no metrics.

Run with Debian's interpreter, which has the packages, from the repository root:
    PYTHONPATH=bench/peers /usr/bin/python3 -m fraud_fastapi.app \
        --model examples/fraud/model/fraud.json
"""

import argparse
from typing import List, Literal, Optional

import numpy as np
import pycountry
import uvicorn
import xgboost as xgb
from fastapi import FastAPI
from pydantic import (BaseModel, Extra, StrictBool, StrictStr, conint, confloat, conlist, constr,
                      validator)

from body_limit import BodySizeLimit

MODEL_VERSION = "fraud-xgb-2026.12"
MAX_BODY_BYTES = 16384
TOP_K = 3

# NOTE: pycountry 22.3.5 (Debian 12) lists CUC, HRK and SLL, which modelgate's ISO 4217 table
# no longer has. It lacks ZWG, which modelgate has. Every other code agrees.
ISO_4217_CODES = frozenset(currency.alpha_3 for currency in pycountry.currencies)

MERCHANT_CATEGORIES = ("grocery", "fuel", "restaurants", "travel", "electronics",
                       "digital_goods", "gaming", "jewelry", "gift_cards", "other")
MerchantCategory = Literal[MERCHANT_CATEGORIES]  # type: ignore[valid-type]

# The model's features in its order, with the vocabularies of the categorical ones: a value's
# feature is its index in the list, and a value outside the list is missing.
FEATURE_NAMES = ["amount", "currency", "merchant_category", "country_mismatch", "card_age_days",
                 "txn_count_1h", "txn_count_24h", "hour_of_day"]
CURRENCY_INDEX = {code: float(i) for i, code in enumerate(
    ["USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "BRL", "NGN", "RUB"])}
MERCHANT_INDEX = {category: float(i) for i, category in enumerate(MERCHANT_CATEGORIES)}
REASON_CODES = {"amount": "HIGH_AMOUNT", "card_age_days": "NEW_CARD", "txn_count_1h": "VELOCITY",
                "txn_count_24h": "VELOCITY", "country_mismatch": "COUNTRY_MISMATCH",
                "merchant_category": "RISKY_MERCHANT", "hour_of_day": "NIGHT_HOURS",
                "currency": "CURRENCY"}
ReasonCode = Literal[tuple(sorted(set(REASON_CODES.values())))]  # type: ignore[valid-type]


class StrictModel(BaseModel):
    """A request object that rejects unknown members and explicit nulls, as the contract does."""

    class Config:
        extra = Extra.forbid

    # A pre validator also runs on None, which pydantic would otherwise accept for an Optional.
    @validator("*", pre=True)
    def reject_null(cls, value):
        if value is None:
            raise ValueError("none is not an allowed value")
        return value


def json_number(value, integer: bool = False):
    """Return a JSON number unchanged; raise TypeError for other types.

    pydantic's int and float accept "12" and true, and its int truncates 1.5 to 1. JSON Schema
    counts 3.0 as an integer, as modelgate does, so an integer may also be an integral float.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("value is not a number")
    if integer and isinstance(value, float) and not value.is_integer():
        raise TypeError("value is not a valid integer")
    return value


class Features(StrictModel):
    merchant_category: Optional[MerchantCategory] = None
    country_mismatch: Optional[StrictBool] = None
    card_age_days: Optional[conint(ge=0, le=36500)] = None
    txn_count_1h: Optional[conint(ge=0, le=10000)] = None
    txn_count_24h: Optional[conint(ge=0, le=100000)] = None
    hour_of_day: Optional[conint(ge=0, le=23)] = None

    @validator("card_age_days", "txn_count_1h", "txn_count_24h", "hour_of_day", pre=True)
    def integer_is_json_integer(cls, value):
        return json_number(value, integer=True)


class ScoreRequest(StrictModel):
    # \Z, because Python's $ also matches before a final newline, which the contract rejects.
    transaction_id: constr(strict=True, min_length=1, max_length=64, regex=r"^[A-Za-z0-9_-]+\Z")
    amount: confloat(ge=0, le=100000)
    currency: StrictStr
    features: Optional[Features] = None
    idempotency_key: constr(strict=True, min_length=1, max_length=255)

    @validator("amount", pre=True)
    def amount_is_json_number(cls, value):
        return json_number(value)

    @validator("currency")
    def currency_is_iso_4217(cls, value):
        if value not in ISO_4217_CODES:
            raise ValueError("must be an ISO 4217 currency code in capitals, such as USD or EUR")
        return value


class ScoreResponse(BaseModel):
    risk_score: confloat(ge=0, le=1)
    reasons: conlist(ReasonCode, max_items=5)
    model_version: constr(max_length=64)


def feature_row(request: ScoreRequest) -> np.ndarray:
    """Return the request as one float32 row in model order; absent members are NaN."""
    features = request.features or Features()
    flag = features.country_mismatch
    values = [
        request.amount,
        CURRENCY_INDEX.get(request.currency),
        MERCHANT_INDEX.get(features.merchant_category),
        None if flag is None else float(flag),
        features.card_age_days,
        features.txn_count_1h,
        features.txn_count_24h,
        features.hour_of_day,
    ]
    return np.array([[np.nan if v is None else v for v in values]], dtype=np.float32)


def top_reasons(row: np.ndarray, contributions: np.ndarray) -> List[str]:
    """Return the codes of the sent features that raised the score most, strongest first.

    A missing feature only follows each tree's default branch, so it gives no reason. The sort
    is stable, so ties keep the feature order, and a code repeated by a weaker feature is
    skipped.
    """
    ranked = sorted((i for i, name in enumerate(FEATURE_NAMES)
                     if contributions[i] > 0 and not np.isnan(row[i]) and name in REASON_CODES),
                    key=lambda i: -contributions[i])
    reasons: List[str] = []
    for i in ranked:
        code = REASON_CODES[FEATURE_NAMES[i]]
        if code not in reasons:
            reasons.append(code)
        if len(reasons) == TOP_K:
            break
    return reasons


def create_app(model_path: str) -> FastAPI:
    booster = xgb.Booster(model_file=model_path)
    # modelgate also predicts each request on one thread; the server gives the parallelism.
    booster.set_param({"nthread": 1})
    if booster.feature_names != FEATURE_NAMES:
        raise SystemExit(f"{model_path}: feature names {booster.feature_names} differ from "
                         f"{FEATURE_NAMES}; load the model trained for the fraud contract")

    app = FastAPI(title="fraud-score")
    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES)

    # A plain def, as FastAPI advises for blocking work: it runs in the thread pool.
    @app.post("/v1/score", response_model=ScoreResponse)
    # It returns a dict, which FastAPI validates against response_model once. FastAPI 0.92
    # would validate a returned ScoreResponse twice: once on construction, once on the way out.
    def score(request: ScoreRequest) -> dict:
        row = feature_row(request)
        matrix = xgb.DMatrix(row, feature_names=FEATURE_NAMES)
        risk_score = float(booster.predict(matrix)[0])
        contributions = booster.predict(matrix, pred_contribs=True, approx_contribs=True)[0]
        return {"risk_score": risk_score, "reasons": top_reasons(row[0], contributions),
                "model_version": MODEL_VERSION}

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="XGBoost model file (fraud.json)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="TCP port")
    args = parser.parse_args()
    uvicorn.run(create_app(args.model), host=args.host, port=args.port, workers=1,
                access_log=False, log_level="warning")


if __name__ == "__main__":
    main()

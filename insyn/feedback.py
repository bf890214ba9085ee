"""The page-feedback contract: what the form sends, how a receiver answers, and a receiver.

The form sends either `application/json` (with JavaScript) or
`application/x-www-form-urlencoded` (without). Both carry the same fields, described by
`FeedbackSubmission`; `docs/feedback.schema.json` is generated from it. `receive()` is the
reference receiver used by `serve` and by the tests: any real receiver should answer the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Literal
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

COMMENT_LIMIT = 1000
"""Characters in the comment: room for a real explanation, not for pasted documents."""
MINIMUM_MILLISECONDS = 1500
"""A submission sent sooner than this after the page loaded is taken for a bot."""
LOCAL_ENDPOINT_PATH = "/_insyn/feedback"
"""Where `serve` answers the form during local work."""

Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$", max_length=2000)]


class FeedbackSubmission(BaseModel):
    """One answer to the page-feedback form."""

    # Built when first used (a submission, the schema), not when a site build imports the limits.
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True,
                              title="Page feedback submission", defer_build=True)

    helpful: Literal["ja", "nej"] | None = None
    """Answer to "Hjälpte informationen på den här sidan dig?"."""
    rating: int | None = Field(default=None, ge=1, le=5)
    """Satisfaction with the page's content, 1 (very dissatisfied) to 5 (very satisfied)."""
    comment: str = Field(default="", max_length=COMMENT_LIMIT)
    """Free text. It becomes a public record (allmän handling)."""
    email: Annotated[str, StringConstraints(
        pattern=r"^[^\s@]+@[^\s@]+\.[^\s@]+$", max_length=254)] | None = None
    """Optional address for follow-up questions; the only field meant for personal data."""
    page_url: Url
    """The address of the page the feedback is about."""
    page_title: str = Field(max_length=300)
    page_id: str = Field(max_length=300)
    """The page's stable id: its path on the site, for example medborgarloften/2021/."""
    page_owner: str = Field(default="", max_length=300)
    """The unit responsible for the page, so the receiver can route the feedback."""
    language: Literal["sv", "en"] = "sv"
    page_version: str = Field(max_length=100)
    """Which version of the page was read: the start of a SHA-256 of its HTML (with this
    field empty). It changes only when the page does."""
    return_url: Url | None = None
    """Where a receiver redirects after a form sent without JavaScript: the thank-you page."""
    website: str = Field(default="", max_length=300)
    """A honeypot: hidden from people, so it must stay empty."""
    elapsed_ms: int | None = Field(default=None, ge=0)
    """Milliseconds between loading the page and sending; sent by the script only."""

    @model_validator(mode="after")
    def _something_answered(self) -> FeedbackSubmission:
        if self.helpful is None and self.rating is None and not self.comment.strip():
            raise ValueError("answer at least one question: helpful, rating or comment")
        return self

    @property
    def looks_automated(self) -> bool:
        too_fast = self.elapsed_ms is not None and self.elapsed_ms < MINIMUM_MILLISECONDS
        return bool(self.website) or too_fast


def json_schema() -> dict:
    schema = FeedbackSubmission.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "feedback.schema.json"
    # The rule "answer at least one question" (checked by _something_answered), for other tools.
    schema["anyOf"] = [{"required": ["helpful"]}, {"required": ["rating"]},
                       {"required": ["comment"], "properties": {"comment": {"minLength": 1}}}]
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@dataclass
class Reply:
    """What a receiver answers, and what it received."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    submission: FeedbackSubmission | None = None
    discarded: bool = False
    """True when the submission looked automated: answered as a success, not kept."""


def parse_body(content_type: str, body: bytes) -> dict:
    """The submitted fields, from either encoding; empty optional fields are left out."""
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json":
        data = json.loads(body.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("the JSON body must be an object")
        return {k: v for k, v in data.items() if v not in ("", None) or k == "website"}
    if kind == "application/x-www-form-urlencoded":
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        return {k: v[-1] for k, v in fields.items() if v[-1] != "" or k == "website"}
    raise ValueError(f"unsupported content type '{kind}'")


def _same_origin(a: str, b: str) -> bool:
    first, second = urlsplit(a), urlsplit(b)
    return (first.scheme, first.netloc) == (second.scheme, second.netloc)


def _json(status: int, payload: dict, headers: dict[str, str]) -> Reply:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return Reply(status, {**headers, "Content-Type": "application/json; charset=utf-8"}, body)


def cors_headers(origin: str | None) -> dict[str, str]:
    """The form is served from the site's origin and posts to the receiver's: allow that."""
    if not origin:
        return {}
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin",
            "Access-Control-Allow-Methods": "POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Max-Age": "600"}


def receive(method: str, content_type: str, body: bytes, origin: str | None = None) -> Reply:
    """Answer one request as the contract says a receiver should."""
    headers = cors_headers(origin)
    if method == "OPTIONS":
        return Reply(204, headers)
    if method != "POST":
        return Reply(405, {**headers, "Allow": "POST, OPTIONS"})
    wants_json = content_type.startswith("application/json")
    try:
        fields = parse_body(content_type, body)
        submission = FeedbackSubmission.model_validate(fields)
    except (ValueError, UnicodeDecodeError) as exc:
        errors = _field_errors(exc)
        if wants_json:
            return _json(400, {"ok": False, "errors": errors}, headers)
        text = "\n".join(f"{e['field']}: {e['message']}" for e in errors)
        return Reply(400, {**headers, "Content-Type": "text/plain; charset=utf-8"},
                     f"The feedback could not be received:\n{text}\n".encode())
    if submission.return_url and not _same_origin(submission.return_url, submission.page_url):
        return _json(400, {"ok": False, "errors": [
            {"field": "return_url", "message": "must be on the same site as page_url"}]}, headers)
    discarded = submission.looks_automated
    if wants_json:
        reply = _json(200, {"ok": True}, headers)
    elif submission.return_url:
        reply = Reply(303, {**headers, "Location": submission.return_url})
    else:
        reply = Reply(200, {**headers, "Content-Type": "text/plain; charset=utf-8"},
                      b"Thank you for your feedback.\n")
    reply.submission, reply.discarded = submission, discarded
    return reply


def _field_errors(exc: Exception) -> list[dict[str, str]]:
    if isinstance(exc, ValidationError):
        return [{"field": ".".join(str(p) for p in e["loc"]) or "body",
                 "message": e["msg"]} for e in exc.errors(include_url=False)]
    return [{"field": "body", "message": str(exc)}]

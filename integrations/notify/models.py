"""What a ``notify.<name>`` call takes and what it answers.

Each platform takes the fields it can carry, so the rule checker refuses at load what a target
would drop (``channel`` for an e-mail, ``attachments`` for Slack). Every call has ``message``
and an optional ``title``; ``data`` is free-form: logged by a log target, sent inside the body
of a ``json`` http target, and read by a target's own templates.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from integrations.notify.config import Email

LogLevel = Literal["debug", "info", "warning", "error"]


class _Params(BaseModel):
    # A rule's template that is one expression yields its value: {{ count }} is a number.
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class NotifyParams(_Params):
    message: str = Field(min_length=1, description="the notification's text")
    title: str | None = Field(default=None, description="a heading, or an e-mail's subject")


class DataParams(NotifyParams):
    data: dict[str, Any] = Field(
        default_factory=dict, description="more values, for the target's body or templates"
    )


class LogParams(DataParams):
    level: LogLevel | None = Field(default=None, description="instead of the target's level")


class ChatParams(NotifyParams):
    """Slack and Mattermost incoming webhooks: where a webhook allows overriding them."""

    channel: str | None = Field(default=None, min_length=1, description="post to this channel")
    username: str | None = Field(default=None, min_length=1, description="post as this name")
    icon_url: str | None = Field(default=None, min_length=1, description="the poster's picture")


def _filename(value: str) -> str:
    if value in {".", ".."} or any(c in value for c in '/\\"') or not value.isprintable():
        raise ValueError("a file name, without a path, quotes or control characters")
    return value


class Attachment(_Params):
    """A text file attached to an e-mail: ``content`` as it is, or ``rows`` (records, such as
    a report's ``records``) written as CSV with a header line."""

    filename: Annotated[str, AfterValidator(_filename)] = Field(min_length=1, max_length=255)
    content: str | None = Field(default=None, description="the file's text")
    rows: tuple[dict[str, Any], ...] | None = Field(
        default=None, description="records: one CSV line each, the keys as the header"
    )
    columns: tuple[str, ...] | None = Field(
        default=None, min_length=1, description="the CSV's columns and their order"
    )
    content_type: str | None = Field(
        default=None,
        pattern=r"^text/[a-z0-9.+-]+$",
        description="text/csv for rows; else guessed from the file name, text/plain",
    )

    @model_validator(mode="after")
    def _one_source(self) -> Attachment:
        if (self.content is None) == (self.rows is None):
            raise ValueError("give the attachment's content or its rows, one of them")
        if self.columns is not None and self.rows is None:
            raise ValueError("columns choose among rows; this attachment has content")
        return self


class EmailParams(DataParams):
    subject: str | None = Field(
        default=None, min_length=1, description="instead of the target's subject template"
    )
    to: tuple[Email, ...] | None = Field(
        default=None, min_length=1, description="instead of the target's recipients"
    )
    attachments: tuple[Attachment, ...] = Field(default=(), max_length=20)


class NotifyResult(BaseModel):
    """What was sent: to which target, how, in how many attempts."""

    model_config = ConfigDict(frozen=True)

    target: str
    platform: Literal["log", "http", "smtp"]
    attempts: int = 1


class LogResult(NotifyResult):
    platform: Literal["log"] = "log"
    level: LogLevel


class HttpResult(NotifyResult):
    platform: Literal["http"] = "http"
    status: int  # the receiver's HTTP status, 2xx


class SmtpResult(NotifyResult):
    platform: Literal["smtp"] = "smtp"
    message_id: str  # the e-mail's Message-ID header, to find it in the server's log
    recipients: tuple[str, ...]  # accepted by the server
    refused: tuple[str, ...] = ()  # refused by the server while others were accepted

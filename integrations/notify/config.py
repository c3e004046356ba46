"""The ``notify:`` section: named notification targets, each the service ``notify.<name>``.

::

    notify:
      - {name: supervisors, platform: http, url: !secret supervisors_hook, format: slack}
      - name: nightly
        platform: smtp
        host: mail.example.com
        username: vicibus
        password: !secret smtp_password
        sender: vicibus@example.com
        to: [ops@example.com]

``notify.log`` always exists. A target's ``url`` and headers are secrets: an incoming-webhook
URL is its own credential, so neither is ever printed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, SecretStr, model_validator

from engine.config import ConfigModel, ConfigPath, ConfigSection, located
from integrations.notify.templates import syntax_problem

# notify.<name> must be a service name an action can write.
_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
BUILTIN_TARGETS = frozenset({"log"})
_EMAIL = re.compile(r"[^@\s<>,]+@[^@\s<>,]+")
# The port each kind of SMTP security listens on by default.
SMTP_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


def _name(value: str) -> str:
    if not _NAME.fullmatch(value):
        raise located(
            "a target's name makes the service notify.<name>: lower-case letters, digits and _, "
            "starting with a letter"
        )
    if value in BUILTIN_TARGETS:
        raise located(f"notify.{value} is built in: give this target another name")
    return value


def _url(value: Any) -> Any:
    # Checked before it becomes a SecretStr; the message never quotes it.
    if isinstance(value, str) and not re.match(r"https?://[^/\s?#]+", value):
        raise located("should be an http:// or https:// URL")
    return value


def _email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise located("should be an e-mail address (name@example.com)")
    return value


def _template(value: str) -> str:
    problem = syntax_problem(value)
    if problem is not None:
        raise located(problem)
    return value


def _file(value: Path) -> Path:
    if not value.is_file():
        raise located("no such file")
    return value


TargetName = Annotated[str, AfterValidator(_name)]
Email = Annotated[str, AfterValidator(_email)]
# A Jinja2 template of the target's own, checked at load (see integrations.notify.templates).
TemplateText = Annotated[str, AfterValidator(_template)]
# A PEM file of the certificate authorities to trust instead of the system's (a private CA).
CaFile = Annotated[ConfigPath, AfterValidator(_file)]


class LogTarget(ConfigModel):
    name: TargetName
    platform: Literal["log"]
    level: Literal["debug", "info", "warning", "error"] = "info"


class HttpTarget(ConfigModel):
    name: TargetName
    platform: Literal["http"]
    url: Annotated[SecretStr, BeforeValidator(_url)]
    method: Literal["POST", "PUT"] = "POST"
    headers: dict[str, SecretStr] = {}
    # The body's shape: a JSON object, or the incoming-webhook message of a chat service.
    format: Literal["json", "slack", "mattermost", "teams"] = "json"
    body: TemplateText | None = Field(default=None, min_length=1)  # instead of a format
    timeout: float = Field(default=10.0, gt=0, allow_inf_nan=False)  # seconds per attempt
    # Further attempts, with backoff, after a connection error or a 5xx answer only.
    retries: int = Field(default=3, ge=0, le=10)
    ca_file: CaFile | None = None

    @model_validator(mode="after")
    def _format_or_body(self) -> HttpTarget:
        if self.body is not None and "format" in self.model_fields_set:
            raise located("set format or body (a template), not both", ("body",), key=True)
        return self


class SmtpTarget(ConfigModel):
    name: TargetName
    platform: Literal["smtp"]
    host: str = Field(min_length=1)
    port: int = Field(ge=1, le=65535)  # default: 587 for starttls, 465 for ssl, 25 for none
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = Field(default=None, min_length=1)
    password: SecretStr | None = None
    sender: Email
    to: tuple[Email, ...] = Field(min_length=1)
    subject: TemplateText = Field(default="vicibus: {{ title }}", min_length=1)
    body: TemplateText | None = Field(default=None, min_length=1)  # else the call's message
    timeout: float = Field(default=30.0, gt=0, allow_inf_nan=False)  # per network operation
    ca_file: CaFile | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_port(cls, data: Any) -> Any:
        if isinstance(data, dict) and "port" not in data:
            security = data.get("security", "starttls")
            if security in SMTP_PORTS:
                return {**data, "port": SMTP_PORTS[security]}
        return data

    @model_validator(mode="after")
    def _credentials(self) -> SmtpTarget:
        if (self.username is None) != (self.password is None):
            given = "username" if self.password is None else "password"
            other = "password" if given == "username" else "username"
            raise located(f"{given} needs {other} beside it", (given,), key=True)
        return self


Target = Annotated[LogTarget | HttpTarget | SmtpTarget, Field(discriminator="platform")]


def _unique_names(targets: tuple[Target, ...]) -> tuple[Target, ...]:
    first: dict[str, int] = {}
    for index, target in enumerate(targets):
        if target.name in first:
            earlier = first[target.name]
            raise located(
                f"a second target named {target.name!r} (the first is notify[{earlier}])",
                (index, "name"),
            )
        first[target.name] = index
    return targets


NotifyTargets = Annotated[tuple[Target, ...], AfterValidator(_unique_names)]

NOTIFY: ConfigSection[tuple[Target, ...]] = ConfigSection(
    ("notify",), NotifyTargets, default=(), description="notification targets"
)
CONFIG_SECTIONS: tuple[ConfigSection[Any], ...] = (NOTIFY,)

"""smtp targets against a real SMTP server (aiosmtpd) on loopback: STARTTLS with a throwaway
self-signed certificate trusted through ``ca_file``, SSL, login, plain; the message as the
server received it; refusals as typed errors that never hold the password."""

from __future__ import annotations

import asyncio
import csv
import email
import email.policy
import io
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from engine.core import Core
from engine.jsonable import to_jsonable
from integrations.notify import (
    NotifyError,
    NotifyRejectedError,
    NotifyTemplateError,
    NotifyTlsError,
    NotifyUnavailableError,
)
from integrations.notify.models import SmtpResult
from integrations.vicidial.admin import ViciAdmin
from tests.integrations.notify.conftest import Cert, Notify, call
from tests.integrations.vicidial.admin.conftest import admin_fixture
from tests.integrations.vicidial.replay import PASSWORD as DIALER_PASSWORD
from tests.integrations.vicidial.replay import ServerFactory, serve

USER = "vicibus"
PASSWORD = "smtp-Pa55w0rd-x7"
SENDER = "vicibus@center.example"


@dataclass
class Mailbox:
    """What the server took: each message with its envelope."""

    received: list[tuple[Envelope, EmailMessage]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    refuse: frozenset[str] = frozenset()  # recipients answered 550
    busy: frozenset[str] = frozenset()  # recipients answered 450

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        if address in self.busy:
            return "450 4.2.1 mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        # As a mail reader sees it: the wire's CRLF line ends as the platform's.
        content = (envelope.original_content or b"").replace(b"\r\n", b"\n")
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append((envelope, message))
        return "250 2.0.0 queued"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        login, password = data.login.decode(), data.password.decode()
        self.logins.append((mechanism, login))
        return AuthResult(success=(login, password) == (USER, PASSWORD), handled=False)


@dataclass
class MailServer:
    mailbox: Mailbox
    port: int


@pytest.fixture
async def mail_server(cert: Cert) -> AsyncIterator[Callable[[str], Any]]:
    """``await mail_server(security)``: an SMTP server on loopback for starttls, ssl or none,
    asking a login over TLS."""
    servers: list[asyncio.Server] = []

    async def start(security: str) -> MailServer:
        mailbox = Mailbox()
        context = cert.server_context()

        def protocol() -> SMTP:
            return SMTP(
                mailbox,
                hostname="mail.test",
                tls_context=context if security == "starttls" else None,
                require_starttls=security == "starttls",
                authenticator=mailbox.authenticate,
                # aiosmtpd counts only STARTTLS as TLS; an ssl server's every byte is TLS.
                auth_require_tls=security != "ssl",
            )

        server = await asyncio.get_running_loop().create_server(
            protocol, "127.0.0.1", 0, ssl=context if security == "ssl" else None
        )
        servers.append(server)
        port = server.sockets[0].getsockname()[1]
        return MailServer(mailbox, port)

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()


def smtp_target(port: int, security: str, extra: str = "", *, login: bool = True) -> str:
    credentials = f"    username: {USER}\n    password: '{PASSWORD}'\n" if login else ""
    return (
        "notify:\n"
        "  - name: mail\n"
        "    platform: smtp\n"
        "    host: 127.0.0.1\n"
        f"    port: {port}\n"
        f"    security: {security}\n"
        f"{credentials}"
        f"    sender: {SENDER}\n"
        "    to: [ops@center.example, lead@center.example]\n"
        "    timeout: 10\n"
        f"{extra}"
    )


def trusted(cert: Cert) -> str:
    return f"    ca_file: {cert.cert}\n"


def assert_no_password(error: NotifyError, caplog: pytest.LogCaptureFixture) -> None:
    assert error.target == "mail"
    for text in (str(error), repr(error), error.reason, caplog.text):
        assert PASSWORD not in text


async def test_starttls_with_login(
    core: Core, notify: Notify, mail_server: Any, cert: Cert
) -> None:
    server: MailServer = await mail_server("starttls")
    await notify(smtp_target(server.port, "starttls", trusted(cert)))
    result = await call(
        core, "notify.mail", {"message": "Agent 1001 has been READY for 12 minutes."}
    )
    assert isinstance(result, SmtpResult)
    assert result.recipients == ("ops@center.example", "lead@center.example")
    assert (result.target, result.attempts, result.refused) == ("mail", 1, ())
    ((envelope, message),) = server.mailbox.received
    assert server.mailbox.logins[0][1] == USER
    assert envelope.mail_from == SENDER
    assert envelope.rcpt_tos == ["ops@center.example", "lead@center.example"]
    assert message["From"] == SENDER
    assert message["To"] == "ops@center.example, lead@center.example"
    # The default subject template, with the message's first line for a title.
    assert message["Subject"] == "vicibus: Agent 1001 has been READY for 12 minutes."
    assert message["Message-ID"] == result.message_id
    assert result.message_id.endswith("@center.example>")
    # The engine's clock dates the mail (a manual clock here).
    assert message["Date"].datetime.timestamp() == core.clock.time()
    assert message.get_content() == "Agent 1001 has been READY for 12 minutes.\n"


async def test_ssl_with_login_subject_and_body_templates(
    core: Core, notify: Notify, mail_server: Any, cert: Cert
) -> None:
    server: MailServer = await mail_server("ssl")
    templates = (
        "    subject: '[{{ data.campaign }}] {{ title }}'\n"
        "    body: |\n"
        "      {{ message }}\n"
        "      Campaign: {{ data.campaign }}\n"
        "      -- {{ target }}\n"
    )
    await notify(smtp_target(server.port, "ssl", trusted(cert) + templates))
    await call(
        core,
        "notify.mail",
        {"message": "Drops above 3%", "title": "Drop alert", "data": {"campaign": "TESTCAMP"}},
    )
    ((_, message),) = server.mailbox.received
    assert message["Subject"] == "[TESTCAMP] Drop alert"
    assert message.get_content() == "Drops above 3%\nCampaign: TESTCAMP\n-- mail\n"


async def test_the_calls_subject_and_recipients_win(
    core: Core, notify: Notify, mail_server: Any, cert: Cert
) -> None:
    server: MailServer = await mail_server("starttls")
    await notify(smtp_target(server.port, "starttls", trusted(cert)))
    result = await call(
        core,
        "notify.mail",
        {"message": "m", "subject": "Line one\r\nBcc: evil@example.com", "to": ["sup@x.example"]},
    )
    ((envelope, message),) = server.mailbox.received
    assert envelope.rcpt_tos == ["sup@x.example"]
    assert result.recipients == ("sup@x.example",)
    # A line break cannot start another header.
    assert message["Subject"] == "Line one Bcc: evil@example.com"
    assert message["Bcc"] is None


@pytest.fixture
async def stats_records(aiohttp_server: ServerFactory) -> list[dict[str, Any]]:
    """A real agent_stats_export answer's records, as a rule's response variable holds them."""
    item = admin_fixture("agent_stats_export/csv_header_seconds")
    admin = ViciAdmin(
        await serve(aiohttp_server, item),
        "6666",
        DIALER_PASSWORD,
        source="test",
        method="GET",
        retries=0,
    )
    try:
        report = await admin.reporting.agent_stats_export(
            "2026-11-27 00:00:00", "2026-11-27 23:59:59", time_format="S", stage="csv", header=True
        )
    finally:
        await admin.close()
    records: list[dict[str, Any]] = to_jsonable(report)["records"]
    return records


async def test_attachments_text_and_csv_from_a_report(
    core: Core, notify: Notify, mail_server: Any, cert: Cert, stats_records: list[dict[str, Any]]
) -> None:
    """The nightly export: agent_stats_export's records attached as CSV."""
    records = stats_records
    server: MailServer = await mail_server("starttls")
    await notify(smtp_target(server.port, "starttls", trusted(cert)))
    await call(
        core,
        "notify.mail",
        {
            "message": "Yesterday's agent statistics are attached.",
            "title": "Agent stats 2026-11-27",
            "attachments": [
                {"filename": "agent_stats.csv", "rows": records},
                {"filename": "short.csv", "rows": records, "columns": ["user", "calls"]},
                {"filename": "notes.txt", "content": "Generated by vicibus.\n"},
            ],
        },
    )
    ((_, message),) = server.mailbox.received
    assert message["Subject"] == "vicibus: Agent stats 2026-11-27"
    body = message.get_body(("plain",))
    assert body is not None
    assert body.get_content() == "Yesterday's agent statistics are attached.\n"
    parts = list(message.iter_attachments())
    assert [(p.get_filename(), p.get_content_type()) for p in parts] == [
        ("agent_stats.csv", "text/csv"),
        ("short.csv", "text/csv"),
        ("notes.txt", "text/plain"),
    ]
    full = list(csv.DictReader(io.StringIO(parts[0].get_content())))
    assert [row["user"] for row in full] == ["1001", "1002", "1003"]
    assert full[0]["full_name"] == "Alice Agent"
    assert (full[0]["calls"], full[0]["login_time"], full[0]["pct_of_queue"]) == (
        "1",
        "845",
        "33.3",
    )
    assert full[0]["campaign_id"] == ""
    assert parts[1].get_content().splitlines()[:2] == ["user,calls", "1001,1"]
    assert parts[2].get_content() == "Generated by vicibus.\n"


async def test_plain_smtp_without_login(core: Core, notify: Notify, mail_server: Any) -> None:
    server: MailServer = await mail_server("none")
    await notify(smtp_target(server.port, "none", login=False))
    await call(core, "notify.mail", {"message": "plain"})
    assert len(server.mailbox.received) == 1
    assert server.mailbox.logins == []


async def test_a_wrong_password_is_rejected_without_quoting_it(
    core: Core, notify: Notify, mail_server: Any, cert: Cert, caplog: pytest.LogCaptureFixture
) -> None:
    server: MailServer = await mail_server("starttls")
    config = smtp_target(server.port, "starttls", trusted(cert)).replace(PASSWORD, "wrong-Pass-123")
    await notify(config)
    with caplog.at_level(logging.DEBUG), pytest.raises(NotifyRejectedError) as caught:
        await call(core, "notify.mail", {"message": "m"})
    assert caught.value.status == 535
    assert str(caught.value).startswith("notify.mail: the server refused the login: 535")
    assert "wrong-Pass-123" not in str(caught.value) + caplog.text
    assert_no_password(caught.value, caplog)
    assert server.mailbox.received == []


async def test_an_untrusted_certificate_is_a_tls_error(
    core: Core, notify: Notify, mail_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    server: MailServer = await mail_server("starttls")
    await notify(smtp_target(server.port, "starttls"))  # no ca_file: the system's CAs
    with caplog.at_level(logging.DEBUG), pytest.raises(NotifyTlsError) as caught:
        await call(core, "notify.mail", {"message": "m"})
    assert str(caught.value) == (
        "notify.mail: TLS failed: self-signed certificate (a private CA goes in ca_file)"
    )
    assert_no_password(caught.value, caplog)
    assert server.mailbox.logins == []


async def test_starttls_not_offered(
    core: Core, notify: Notify, mail_server: Any, cert: Cert
) -> None:
    server: MailServer = await mail_server("none")
    await notify(smtp_target(server.port, "starttls", trusted(cert)))
    with pytest.raises(NotifyTlsError, match="offers no STARTTLS"):
        await call(core, "notify.mail", {"message": "m"})


async def test_recipients_refused(core: Core, notify: Notify, mail_server: Any, cert: Cert) -> None:
    server: MailServer = await mail_server("starttls")
    await notify(smtp_target(server.port, "starttls", trusted(cert)))
    server.mailbox.refuse = frozenset({"lead@center.example"})
    result = await call(core, "notify.mail", {"message": "m"})
    assert (result.recipients, result.refused) == (
        ("ops@center.example",),
        ("lead@center.example",),
    )
    server.mailbox.refuse = frozenset({"ops@center.example", "lead@center.example"})
    with pytest.raises(NotifyRejectedError, match="every recipient was refused") as refused:
        await call(core, "notify.mail", {"message": "m"})
    assert refused.value.status == 550
    server.mailbox.refuse = frozenset({"ops@center.example"})
    server.mailbox.busy = frozenset({"lead@center.example"})
    with pytest.raises(NotifyUnavailableError, match=r"lead@center.example \(450\)"):
        await call(core, "notify.mail", {"message": "m"})
    assert len(server.mailbox.received) == 1


async def test_no_server_is_unavailable(core: Core, notify: Notify) -> None:
    from tests.integrations.notify.test_http import closed_port

    await notify(smtp_target(closed_port(), "ssl"))
    with pytest.raises(NotifyUnavailableError, match="cannot connect"):
        await call(core, "notify.mail", {"message": "m"})


async def test_a_template_error_sends_nothing(
    core: Core, notify: Notify, mail_server: Any, cert: Cert
) -> None:
    server: MailServer = await mail_server("starttls")
    await notify(
        smtp_target(server.port, "starttls", trusted(cert) + "    subject: '{{ data.x }}'\n")
    )
    with pytest.raises(NotifyTemplateError, match="subject template") as caught:
        await call(core, "notify.mail", {"message": "m"})
    assert caught.value.template == "subject"
    assert server.mailbox.received == []

"""The ``smtp`` platform: a notification as an e-mail, through the configured server.

The subject is the target's template (or the call's ``subject``), rendered with the call's
``title``, or its message's first line when it has none; the body is the target's ``body``
template, or the call's message. Attachments are text files (``integrations.notify.
attachments``).

Sending uses the standard library's smtplib in a small thread pool of the integration's own,
never on the event loop: it is the reference SMTP client (STARTTLS, SSL, every AUTH
mechanism), it needs no dependency, and a pool of our own keeps slow mail servers from
taking the threads the rest of the daemon uses for files and SQLite. A send whose caller is
cancelled finishes in its thread within the target's timeout (per network operation).
A failed send is not tried again: a 4xx reply is an NotifyUnavailableError to retry later.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from engine.clock import Clock
from engine.services import ServiceCall
from integrations.notify.attachments import text_of
from integrations.notify.config import SmtpTarget
from integrations.notify.errors import (
    NotifyError,
    NotifyNotStartedError,
    NotifyRejectedError,
    NotifyTimeoutError,
    NotifyTlsError,
    NotifyUnavailableError,
    quoted_reply,
    secret_pieces,
)
from integrations.notify.models import Attachment, EmailParams, SmtpResult
from integrations.notify.templates import TargetTemplate, variables

Executors = Callable[[], Executor | None]
# A subject made of a message's first line stops here (RFC 5322's advice for a line).
MAX_TITLE = 78


def first_line(text: str) -> str:
    line = text.strip().partition("\n")[0].strip()
    return line if len(line) <= MAX_TITLE else line[: MAX_TITLE - 3] + "..."


def one_line(text: str) -> str:
    """A header's value: line breaks would end the header (and start a forged one)."""
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Draft:
    """An e-mail as the loop prepared it, for the pool's thread to build and send."""

    subject: str
    text: str = field(repr=False)
    recipients: Sequence[str]
    attachments: Sequence[Attachment] = field(repr=False)
    date: datetime


class SmtpNotifier:
    platform = "smtp"
    params = EmailParams
    result = SmtpResult

    def __init__(self, target: SmtpTarget, clock: Clock, executors: Executors) -> None:
        self.target = target
        self.name = target.name
        self._clock = clock
        self._executors = executors
        self._subject = TargetTemplate(target.name, "subject", target.subject)
        self._body = (
            TargetTemplate(target.name, "body", target.body) if target.body is not None else None
        )
        password = target.password.get_secret_value() if target.password else None
        self._pieces = secret_pieces([password] if password else [])

    def __repr__(self) -> str:
        return f"SmtpNotifier({self.name!r}, {self.target.host}:{self.target.port})"

    @property
    def description(self) -> str:
        return f"send a notification by e-mail through {self.target.host}"

    async def send(self, params: EmailParams, call: ServiceCall) -> SmtpResult:
        title = params.title or first_line(params.message)
        values = variables(self.name, params.message, title, params.data)
        subject = one_line(params.subject or self._subject.render(values))
        text = self._body.render(values) if self._body is not None else params.message
        recipients = params.to or self.target.to
        executor = self._executors()
        if executor is None:
            raise NotifyNotStartedError(self.name, "the notify integration is not started")
        draft = Draft(subject, text, recipients, params.attachments, self._clock.now())
        return await asyncio.get_running_loop().run_in_executor(executor, self.deliver, draft)

    # -- in the pool's thread ------------------------------------------------------------------

    def message(self, draft: Draft) -> EmailMessage:
        sender = self.target.sender
        message = EmailMessage()
        message["From"] = sender
        message["To"] = ", ".join(draft.recipients)
        message["Subject"] = draft.subject
        message["Date"] = format_datetime(draft.date)
        # The sender's domain, so make_msgid never asks DNS for this host's name.
        message["Message-ID"] = make_msgid("vicibus", domain=sender.rpartition("@")[2])
        message.set_content(draft.text)
        for attachment in draft.attachments:
            content, subtype = text_of(attachment)
            message.add_attachment(content, subtype=subtype, filename=attachment.filename)
        return message

    def deliver(self, draft: Draft) -> SmtpResult:
        message = self.message(draft)
        recipients = draft.recipients
        try:
            refused = self._transmit(message, recipients)
        except smtplib.SMTPRecipientsRefused as exc:
            raise self._refused(exc.recipients) from None
        except smtplib.SMTPAuthenticationError as exc:
            raise self._answer("the server refused the login", exc) from None
        except smtplib.SMTPResponseException as exc:
            raise self._answer("the server refused the message", exc) from None
        except smtplib.SMTPServerDisconnected:
            raise NotifyUnavailableError(self.name, "the server closed the connection") from None
        except smtplib.SMTPException as exc:
            raise NotifyRejectedError(self.name, f"SMTP failed ({type(exc).__name__})") from None
        except TimeoutError:
            raise NotifyTimeoutError(self.name, self.target.timeout) from None
        except ssl.SSLCertVerificationError as exc:
            raise NotifyTlsError.untrusted(self.name, exc.verify_message) from None
        except ssl.SSLError as exc:
            raise NotifyTlsError(self.name, f"TLS failed: {exc.reason or 'SSLError'}") from None
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            raise NotifyUnavailableError(self.name, f"cannot connect ({why})") from None
        accepted = tuple(r for r in recipients if r not in refused)
        return SmtpResult(
            target=self.name,
            message_id=str(message["Message-ID"]),
            recipients=accepted,
            refused=tuple(refused),
        )

    def _transmit(self, message: EmailMessage, recipients: Sequence[str]) -> Mapping[str, object]:
        target = self.target
        context = None
        if target.security != "none":
            cafile = str(target.ca_file) if target.ca_file is not None else None
            context = ssl.create_default_context(cafile=cafile)
        smtp: smtplib.SMTP
        if target.security == "ssl":
            smtp = smtplib.SMTP_SSL(
                target.host, target.port, timeout=target.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(target.host, target.port, timeout=target.timeout)
        with smtp:
            if target.security == "starttls":
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    raise NotifyTlsError(self.name, "the server offers no STARTTLS")
                smtp.starttls(context=context)
            if target.username is not None and target.password is not None:
                smtp.ehlo_or_helo_if_needed()
                if not smtp.has_extn("auth"):
                    raise NotifyRejectedError(self.name, "the server offers no login (AUTH)")
                smtp.login(target.username, target.password.get_secret_value())
            return smtp.send_message(message, to_addrs=list(recipients))

    def _refused(self, recipients: Mapping[str, tuple[int, bytes]]) -> NotifyError:
        codes = [code for code, _ in recipients.values()]
        who = ", ".join(f"{address} ({code})" for address, (code, _) in recipients.items())
        reason = f"every recipient was refused: {who}"
        if any(400 <= code < 500 for code in codes):
            return NotifyUnavailableError(self.name, reason, status=min(codes))
        return NotifyRejectedError(self.name, reason, status=min(codes))

    def _answer(self, what: str, exc: smtplib.SMTPResponseException) -> NotifyError:
        error = exc.smtp_error
        text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
        quoted = quoted_reply(text, self._pieces)
        reason = f"{what}: {exc.smtp_code}" + (f" {quoted}" if quoted else "")
        if 400 <= exc.smtp_code < 500:
            return NotifyUnavailableError(self.name, reason, status=exc.smtp_code)
        return NotifyRejectedError(self.name, reason, status=exc.smtp_code)

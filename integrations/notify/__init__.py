"""Notification targets (log, HTTP and chat incoming webhooks, SMTP), each the service
``notify.<name>``; ``notify.log`` always exists. See docs/notify.md."""

from integrations.notify.config import CONFIG_SECTIONS, NOTIFY
from integrations.notify.errors import (
    NotifyError,
    NotifyNotStartedError,
    NotifyRejectedError,
    NotifyTemplateError,
    NotifyTimeoutError,
    NotifyTlsError,
    NotifyUnavailableError,
)
from integrations.notify.setup import NotifyIntegration, setup

__all__ = [
    "CONFIG_SECTIONS",
    "NOTIFY",
    "NotifyError",
    "NotifyIntegration",
    "NotifyNotStartedError",
    "NotifyRejectedError",
    "NotifyTemplateError",
    "NotifyTimeoutError",
    "NotifyTlsError",
    "NotifyUnavailableError",
    "setup",
]

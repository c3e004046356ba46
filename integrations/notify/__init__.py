"""Notification targets (log, HTTP and chat incoming webhooks, SMTP), each the service
``notify.<name>``; ``notify.log`` always exists."""

from integrations.notify.config import CONFIG_SECTIONS, NOTIFY

__all__ = ["CONFIG_SECTIONS", "NOTIFY"]

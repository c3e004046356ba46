"""The ViciDial integration's engine glue: the only code that imports both the engine and the
ViciDial client, webhooks and simulator. Its setup function registers event sources, services
and entities with the engine core, the way a Home Assistant integration registers itself."""

from integrations.vicidial.glue.config import CONFIG_SECTIONS, VICIDIAL, WEBHOOKS

__all__ = ["CONFIG_SECTIONS", "VICIDIAL", "WEBHOOKS"]

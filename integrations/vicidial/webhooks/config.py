"""The receiver's settings."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_address

from pydantic import BaseModel, ConfigDict, Field, SecretStr

DEFAULT_BODY_LIMIT = 64 * 1024


class ReceiverConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    # Several tokens are accepted at once so one can be rotated without losing events.
    tokens: tuple[SecretStr, ...] = Field(min_length=1)
    # None accepts any source; behind a reverse proxy this sees the proxy's address.
    allowed_networks: tuple[IPv4Network | IPv6Network, ...] | None = None
    body_limit: int = Field(default=DEFAULT_BODY_LIMIT, gt=0)
    did_filter_timeout: float = Field(default=2.0, gt=0)  # seconds before the fallback
    did_filter_fallback: bool = False  # the answer when the decider is late or fails

    def allows(self, remote: str | None) -> bool:
        if self.allowed_networks is None:
            return True
        try:
            address = ip_address(remote or "")
        except ValueError:  # a unix socket or no peer address at all
            return False
        return any(address in network for network in self.allowed_networks)

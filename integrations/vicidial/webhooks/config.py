"""The receiver's settings: what it accepts, and how it holds out against hostile clients.

Every setting is a plain field, so a daemon's configuration section maps onto it one to one.
"""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_address

from pydantic import BaseModel, ConfigDict, Field, SecretStr

DEFAULT_BODY_LIMIT = 64 * 1024
# Parameters whose values are secrets wherever they appear: the receiver's token, and the
# agent's password, which a URL carrying --A--pass--B-- holds.
SECRET_PARAMETERS = frozenset({"pass", "password", "token"})


class ReceiverConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    # Several tokens are accepted at once so one can be rotated without losing events.
    tokens: tuple[SecretStr, ...] = Field(min_length=1)
    # None accepts any source; behind a reverse proxy this sees the proxy's address.
    allowed_networks: tuple[IPv4Network | IPv6Network, ...] | None = None
    body_limit: int = Field(default=DEFAULT_BODY_LIMIT, gt=0)
    # seconds before the fallback answer
    did_filter_timeout: float = Field(default=2.0, gt=0, allow_inf_nan=False)
    did_filter_fallback: bool = False  # the answer when the decider is late or fails
    # More parameters masked in every log line, besides pass, password and token (any case).
    secret_parameters: tuple[str, ...] = ()
    # Seconds a request head may take, from the connection's opening or the request's first
    # byte; a slow head gets 408 and the connection closes.
    head_timeout: float = Field(default=10.0, gt=0, allow_inf_nan=False)
    # Seconds a request body may take once its head is in; a slow body gets 408.
    body_timeout: float = Field(default=10.0, gt=0, allow_inf_nan=False)
    # Seconds a kept-alive connection may wait for its next request before it is closed.
    keepalive_timeout: float = Field(default=5.0, gt=0, allow_inf_nan=False)
    # Open connections at most. A new connection past it closes the longest idle one, or is
    # refused with 503 when every connection is busy. Keep it plus the listen backlog (128)
    # well under the process's descriptor limit (systemd's default soft limit is 1024).
    max_connections: int = Field(default=256, gt=0)
    # Log lines that outside requests may cause a minute (refusals, malformed requests,
    # timeouts, the connection limit); the lines left out are counted in the next one.
    log_lines_per_minute: int = Field(default=60, gt=0)

    @property
    def secret_names(self) -> frozenset[str]:
        """Every parameter name whose value is masked in logs, lower-cased."""
        return SECRET_PARAMETERS | {name.lower() for name in self.secret_parameters}

    def allows(self, remote: str | None) -> bool:
        if self.allowed_networks is None:
            return True
        try:
            address = ip_address(remote or "")
        except ValueError:  # a unix socket or no peer address at all
            return False
        return any(address in network for network in self.allowed_networks)

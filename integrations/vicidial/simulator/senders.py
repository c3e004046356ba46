"""ViciDial's three callback senders and the agent screen's push, down to the request bytes.

Each sender substitutes values its own way (see the webhooks kinds' ``Sender``):

- PHP ``file()`` (dispo, start call from the agent screen, dead call, pause max, API new
  lead): ``urlencode()`` for most values, some inserted raw, a few encoded twice; a control
  character becomes ``_`` and anything after ``#`` is lost; GET over HTTP/1.1 with only Host
  and Connection headers.
- ``AST_send_URL.pl`` through ``wget`` and a shell (no agent, enter in-group, waiting call,
  add lead): raw values with spaces as ``+``; the shell ends the URL at a newline, ``;`` or
  ``|`` and refuses one holding a backtick or ``(``; wget percent-encodes bytes that are not
  ASCII.
- AGI scripts through ``curl`` (NVA call, DID filter): like wget, but a ``'`` stops the
  request and UTF-8 goes out as raw bytes.
- The agent screen (agent push): its JavaScript substitutes case-sensitively and raw, deletes
  some punctuation from the whole URL and POSTs the text after ``?`` to a script in the
  dialer's /agc/ folder; extras/get2post.php relays it as a new POST.

A sender either yields a ``Prepared`` request or a ``Refused`` reason (what ViciDial would
have failed to send); nothing here touches the network.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote_plus, unquote_plus

from integrations.vicidial.simulator.rawhttp import Target, TransportError, split_url
from integrations.vicidial.simulator.substitution import substitute
from integrations.vicidial.webhooks.kinds import KINDS, Kind, Sender

# Values PHP's file() sender inserts without urlencode().
PHP_RAW = frozenset(
    {"lead_id", "user", "campaign", "dispo", "term_reason", "talk_time", "epoch"}
    | {"recording_filename", "recording_id"}
    | {f"camp_custom_{n}" for n in ("one", "two", "three", "four", "five")}
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# In the shell line AST_send_URL.pl and the AGI scripts build, these end the command...
_SHELL_END = re.compile(r"[\n;|]")
# ... and these make it a syntax error, so nothing is sent.
_SHELL_BREAK = re.compile(r"[`(]")
# Characters the agent screen deletes from its whole push URL before sending.
_PUSH_DELETED = re.compile(r"[`:;#\"{}^$\r\n\t]")
_GET2POST_STRIPPED = re.compile(r"['\"\\]")
GET2POST = "get2post.php"
GET2POST_AGENT = "VICIdial get2post.php"
WGET_AGENT = "Wget/1.21.3"
CURL_AGENT = "curl/7.88.1"


@dataclass(frozen=True, slots=True)
class Prepared:
    """A request ready for the wire. ``request`` holds the token: never log it, only
    ``target.origin``."""

    sender: Sender
    url: str = field(repr=False)
    target: Target
    request: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class Refused:
    """What ViciDial would not have sent, and why (a shell error, a quote for curl...)."""

    sender: Sender
    reason: str


def php_urlencode(value: str) -> str:
    """PHP's urlencode(): every byte but letters, digits and ``-_.`` escaped, space as ``+``."""
    return quote_plus(value, safe="").replace("~", "%7E")


def _php_value(kind: Kind, name: str, value: str) -> str:
    if name in KINDS[kind].double_encoded:
        return php_urlencode(php_urlencode(value))
    if name in PHP_RAW:
        return value
    return php_urlencode(value)


def _escape_high(raw: bytes) -> bytes:
    return b"".join(
        b"%%%02X" % b if b >= 0x80 or b < 0x20 or b == 0x7F else bytes((b,)) for b in raw
    )


def _shell(sender: Sender, url: str) -> str | Refused:
    """The URL as the shell passes it on to wget or curl, or why nothing is sent."""
    url = _SHELL_END.split(url, maxsplit=1)[0]
    if _SHELL_BREAK.search(url):
        return Refused(sender, "the shell refused the command line (backtick or parenthesis)")
    if sender is Sender.CURL and "'" in url:
        return Refused(sender, "a quote in a value ended curl's quoted URL")
    return url.partition("#")[0]  # a fragment is never sent


Headers = Callable[[str], list[str]]


def _php_headers(authority: str) -> list[str]:
    return [f"Host: {authority}", "Connection: close"]


def _wget_headers(authority: str) -> list[str]:
    return [
        f"User-Agent: {WGET_AGENT}",
        "Accept: */*",
        "Accept-Encoding: identity",
        f"Host: {authority}",
        "Connection: Keep-Alive",
    ]


def _curl_headers(authority: str) -> list[str]:
    return [f"Host: {authority}", f"User-Agent: {CURL_AGENT}", "Accept: */*"]


def _prepare(
    sender: Sender, method: str, url: str, headers: Headers, body: bytes = b""
) -> Prepared | Refused:
    try:
        target = split_url(url)
    except TransportError as exc:
        return Refused(sender, str(exc))
    path = target.path.encode("utf-8")
    if sender is Sender.WGET:
        path = _escape_high(path)
    lines = "".join(f"{line}\r\n" for line in headers(target.authority))
    head = method.encode() + b" " + path + b" HTTP/1.1\r\n" + lines.encode("utf-8") + b"\r\n"
    return Prepared(sender, url, target, head + body)


def prepare_get(
    kind: Kind, sender: Sender, template: str, values: Mapping[str, str]
) -> Prepared | Refused:
    """The GET request ``sender`` makes for ``kind`` from a configured URL and its values."""
    needs_var = KINDS[kind].needs_var_prefix
    if sender is Sender.PHP:
        url = substitute(template, values, lambda n, v: _php_value(kind, n, v), needs_var=needs_var)
        url = _CONTROL.sub("_", url.partition("#")[0])
        return _prepare(sender, "GET", url, _php_headers)
    if sender not in (Sender.WGET, Sender.CURL):
        raise ValueError(f"{sender.value} does not send GET callbacks")
    url = substitute(template, values, lambda n, v: v.replace(" ", "+"), needs_var=needs_var)
    shelled = _shell(sender, url)
    if isinstance(shelled, Refused):
        return shelled
    headers = _wget_headers if sender is Sender.WGET else _curl_headers
    return _prepare(sender, "GET", shelled, headers)


@dataclass(frozen=True, slots=True)
class ScreenPost:
    """The agent screen's XHR: the script under /agc/ it posts to, and the form body."""

    page: str
    body: str = field(repr=False)


def agent_screen_post(push_url: str, values: Mapping[str, str]) -> ScreenPost:
    url = substitute(push_url, values, case_sensitive=True)
    url = _PUSH_DELETED.sub("", url)
    page, _, query = url.partition("?")
    return ScreenPost(page.lstrip("/"), query.replace(" ", "+"))


def get2post(body: str) -> Prepared | Refused:
    """What extras/get2post.php makes of the form the agent screen posted to it."""
    # PHP's form parsing: a later value of a key replaces the earlier one in its place.
    form: dict[str, str] = {}
    for piece in body.split("&"):
        if piece:
            name, _, value = piece.partition("=")
            form[unquote_plus(name)] = unquote_plus(value)
    joined = _GET2POST_STRIPPED.sub("", "&".join(f"{k}={v}" for k, v in form.items()))
    scheme = "https" if "HTTPSURLTOPOST=" in joined else "http"
    if "URLTOPOST=" not in joined:
        return Refused(Sender.BROWSER, "get2post.php got no HTTPURLTOPOST or HTTPSURLTOPOST")
    target = joined.split("URLTOPOST=", 1)[1]
    page, _, rest = target.partition("?")
    post_body = rest.partition("?")[0].encode("utf-8")
    extra = []
    for pair in form.get("headers", "").split("-----"):
        name, sep, value = pair.partition("---")
        if sep and name:
            extra.append(f"{name}: {value}")

    def headers(authority: str) -> list[str]:
        return [
            f"Host: {authority}",
            f"User-Agent: {GET2POST_AGENT}",
            "Accept: */*",
            *extra,
            "Content-Type: application/x-www-form-urlencoded",
            f"Content-Length: {len(post_body)}",
        ]

    return _prepare(Sender.BROWSER, "POST", f"{scheme}://{page}", headers, post_body)

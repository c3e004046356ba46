"""Every parser over arbitrary bytes: it answers with a payload or a WebhookError, nothing else."""

from __future__ import annotations

from urllib.parse import quote_plus

from hypothesis import given
from hypothesis import strategies as st

from integrations.vicidial.webhooks.decoding import decode_query
from integrations.vicidial.webhooks.errors import WebhookError
from integrations.vicidial.webhooks.kinds import Kind
from integrations.vicidial.webhooks.parser import parse_form, parse_query, parse_url

_KINDS = st.sampled_from(list(Kind))
# Bytes weighted towards the characters that matter to the decoder.
_QUERY_BYTES = st.lists(
    st.one_of(
        st.binary(max_size=6),
        st.sampled_from([b"&", b"=", b"%", b"+", b"%2", b"%C3%A9", b"\xe9", b"--A--x--B--"]),
        st.sampled_from([b"token=", b"lead_id=", b"kind=", b"epoch=", b"dispo=", b"event="]),
    ),
    max_size=30,
).map(b"".join)


@given(_QUERY_BYTES)
def test_decode_query_never_fails(raw: bytes) -> None:
    decoded = decode_query(raw)
    for name, value in decoded.pairs:
        assert isinstance(name, str)
        assert isinstance(value, str)


@given(_KINDS, _QUERY_BYTES)
def test_parse_query_and_form_always_give_a_payload(kind: Kind, raw: bytes) -> None:
    for parse in (parse_query, parse_form):
        payload = parse(kind, raw)
        assert payload.kind is kind
        assert payload.dedupe_key.startswith(kind.value)
        assert "token" not in payload.values
        assert "token" not in payload.extra


@given(st.binary(max_size=80), _QUERY_BYTES)
def test_parse_url_gives_a_payload_or_a_typed_error(path: bytes, query: bytes) -> None:
    for url in (path + b"?" + query, b"/webhooks/no_agent?" + query, b"https://h/x?" + query):
        try:
            payload = parse_url(url)
        except WebhookError:
            continue
        assert payload.kind in set(Kind)


_NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True).filter(
    lambda n: n not in {"token", "kind"}
)


@given(st.dictionaries(_NAMES, st.text(max_size=20), max_size=6))
def test_properly_encoded_values_come_back_exactly(fields: dict[str, str]) -> None:
    fields = {n: v for n, v in fields.items() if "--A--" not in v}
    query = "&".join(f"{n}={quote_plus(v)}" for n, v in fields.items())
    payload = parse_query(Kind.NO_AGENT, query)
    assert {**payload.values, **payload.extra} == fields
    assert not payload.latin1

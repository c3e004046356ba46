from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrations.vicidial.webhooks.decoding import decode_escaped, decode_query, unquote_bytes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"a=b+c", "b c"),
        (b"a=b%20c", "b c"),
        (b"a=b c", "b c"),  # a raw space that reached us
        (b"a=100%", "100%"),  # a % that starts no escape stays
        (b"a=%zz%4", "%zz%4"),
        (b"a=%2B15145550199", "+15145550199"),
        (b"a=caf%C3%A9", "café"),
        (b"a=O'Brien", "O'Brien"),
        (b"a=", ""),
    ],
)
def test_values(raw: bytes, expected: str) -> None:
    assert decode_query(raw).pairs == (("a", expected),)


def test_a_raw_ampersand_rejoins_the_value_it_cut() -> None:
    decoded = decode_query(b"comments=Tom+&+Jerry&company=AT&T&lead_id=5")
    assert decoded.pairs == (("comments", "Tom & Jerry"), ("company", "AT&T"), ("lead_id", "5"))


def test_a_raw_ampersand_before_a_name_and_equals_splits_as_the_sender_did() -> None:
    # Documented best effort: "x&y=z" cannot be told apart from two parameters.
    assert decode_query(b"comments=x&y=z").pairs == (("comments", "x"), ("y", "z"))


def test_latin1_bytes_are_read_and_flagged() -> None:
    decoded = decode_query(b"first_name=Ren\xe9&city=Montr%E9al")
    assert decoded.pairs == (("first_name", "René"), ("city", "Montréal"))
    assert decoded.latin1


def test_utf8_is_not_flagged() -> None:
    decoded = decode_query(b"first_name=Ren\xc3\xa9")
    assert decoded.pairs == (("first_name", "René"),)
    assert not decoded.latin1


def test_empty_pieces_and_names_without_values() -> None:
    assert decode_query(b"&&a=1&&").pairs == (("a", "1"),)
    assert decode_query(b"flag").pairs == ((("flag", ""),))
    assert decode_query(b"").pairs == ()


def test_unquote_bytes_plus_is_space() -> None:
    assert unquote_bytes(b"a+b%2Bc") == b"a b+c"


PLAIN = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126, blacklist_characters="%+"),
    max_size=200,
).map(str.encode)


@given(st.one_of(st.binary(max_size=200), PLAIN))
def test_the_fast_path_decodes_as_the_general_one(raw: bytes) -> None:
    # Only plain ASCII without escapes takes the fast path; any input must read the same.
    assert decode_query(raw) == decode_escaped(raw)


@given(st.one_of(st.binary(max_size=200), PLAIN))
def test_a_raw_path_as_text_decodes_as_its_bytes(raw: bytes) -> None:
    # aiohttp hands the raw path over as text: UTF-8, with surrogate escapes for other bytes.
    assert decode_query(raw.decode("utf-8", "surrogateescape")) == decode_query(raw)


def test_only_the_pieces_that_need_it_are_decoded() -> None:
    decoded = decode_query(b"a=plain&b=x+y&c=%C3%A9&d=\xe9&e=%zz")
    assert decoded.pairs == (("a", "plain"), ("b", "x y"), ("c", "é"), ("d", "é"), ("e", "%zz"))
    assert decoded.latin1


_FORMS = st.lists(
    st.tuples(
        st.from_regex(r"[A-Za-z_%1][A-Za-z0-9_.\-\[\]%]{0,5}", fullmatch=True),
        st.text(alphabet="ab=&%+ é", max_size=5),
    ),
    max_size=6,
).map(lambda pairs: "&".join(f"{n}={v}" for n, v in pairs).encode())


@given(_FORMS)
def test_well_formed_queries_split_in_one_pass_as_piece_by_piece(raw: bytes) -> None:
    # name=value pairs, mostly: the one-regex split must agree with the general one.
    assert decode_query(raw) == decode_escaped(raw)

"""What a receiver answers is outside input: quoted in an error only when safe."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from integrations.notify.errors import MAX_QUOTED, quoted_reply, secret_pieces

URL = "https://hooks.example.com/services/T0AAA/B0BBB/XyZ0123456789tokenAbc?key=q5ecretKey9"
PIECES = secret_pieces(["Bearer hdr-5ecret-8d2f6a"], url=URL)


def test_the_pieces_of_a_url() -> None:
    assert {"XyZ0123456789tokenAbc", "q5ecretKey9", URL, "services"} <= PIECES
    assert "key" not in PIECES  # too short to look for


def test_a_short_answer_is_quoted() -> None:
    assert quoted_reply("invalid_payload", PIECES) == "invalid_payload"
    assert quoted_reply("  no_text\n<html>...</html>", PIECES) == "no_text"
    assert quoted_reply("<html><body>502 Bad Gateway</body></html>", PIECES) == ""
    assert quoted_reply("", PIECES) == ""


def test_an_answer_holding_any_piece_is_not_quoted() -> None:
    assert quoted_reply("bad token XyZ0123456789tokenAbc", PIECES) == ""
    # Anywhere in the answer, not only on the line that would be quoted.
    assert quoted_reply("error\nyou sent Bearer hdr-5ecret-8d2f6a", PIECES) == ""


@given(
    prefix=st.text(max_size=300),
    piece=st.sampled_from(sorted(PIECES)),
    suffix=st.text(max_size=300),
)
def test_no_piece_is_ever_quoted(prefix: str, piece: str, suffix: str) -> None:
    quoted = quoted_reply(prefix + piece + suffix, PIECES)
    assert quoted == ""


@given(st.text(max_size=2000))
def test_a_quote_is_one_short_printable_line(text: str) -> None:
    quoted = quoted_reply(text, PIECES)
    assert len(quoted) <= MAX_QUOTED
    assert quoted.isprintable()
    for piece in PIECES:
        assert piece not in quoted

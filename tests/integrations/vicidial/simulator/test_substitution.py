from __future__ import annotations

from integrations.vicidial.simulator.substitution import strip_var, substitute


def test_replacement_ignores_case_and_keeps_unknown_names() -> None:
    url = "http://h/x?a=--A--LEAD_id--B--&b=--a--user--b--&c=--A--nosuch--B--&d=--A--city--B--"
    values = {"lead_id": "10", "user": "1001", "city": ""}
    assert substitute(url, values) == "http://h/x?a=10&b=1001&c=--A--nosuch--B--&d="


def test_var_is_stripped_and_required_where_vicidial_requires_it() -> None:
    assert strip_var("VARhttp://h/?a=1") == ("http://h/?a=1", True)
    assert substitute("VARhttp://h/?a=--A--x--B--", {"x": "1"}, needs_var=True) == "http://h/?a=1"
    plain = "http://h/?a=--A--x--B--"
    assert substitute(plain, {"x": "1"}, needs_var=True) == plain
    assert substitute(plain, {"x": "1"}) == "http://h/?a=1"


def test_agent_screen_replacement_is_case_sensitive() -> None:
    url = "p.php?u=--A--user--B--&v=--A--User--B--"
    assert substitute(url, {"user": "1001"}, case_sensitive=True) == "p.php?u=1001&v=--A--User--B--"


def test_one_pass_never_substitutes_inserted_text() -> None:
    url = "http://h/?a=--A--comments--B--&b=--A--user--B--"
    values = {"comments": "--A--user--B--", "user": "1001"}
    assert substitute(url, values) == "http://h/?a=--A--user--B--&b=1001"


def test_encoder_sees_the_canonical_name() -> None:
    seen: list[str] = []

    def encode(name: str, value: str) -> str:
        seen.append(name)
        return value.upper()

    assert substitute("http://h/?a=--A--FIRST_NAME--B--", {"first_name": "ann"}, encode) == (
        "http://h/?a=ANN"
    )
    assert seen == ["first_name"]

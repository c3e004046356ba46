from __future__ import annotations

import pytest

from integrations.vicidial.webhooks.cli import add_urls
from integrations.vicidial.webhooks.errors import UrlBuildError
from integrations.vicidial.webhooks.kinds import Kind
from integrations.vicidial.webhooks.urls import build_all_urls, build_url

TOKEN = "abcdefghijklmnop-1"


def test_pause_max_url_exactly() -> None:
    assert build_url("pause_max", "https://vb.example.com/", TOKEN) == (
        "https://vb.example.com/webhooks/pause_max?token=abcdefghijklmnop-1"
        "&user=--A--user--B--&fullname=--A--fullname--B--&campaign=--A--campaign--B--"
        "&user_group=--A--user_group--B--&epoch=--A--epoch--B--"
    )


def test_var_prefix_where_vicidial_needs_it() -> None:
    assert build_url(Kind.DID_FILTER, "http://h:8080", TOKEN, variables=["phone_number"]) == (
        "VARhttp://h:8080/webhooks/did_filter?token=abcdefghijklmnop-1"
        "&phone_number=--A--phone_number--B--"
    )


def test_agent_push_is_wrapped_for_get2post() -> None:
    url = build_url(Kind.AGENT_EVENT, "http://vb.example.com/hooks", TOKEN, variables=["event"])
    assert url == (
        "get2post.php?uniqueid=--A--epoch--B--.--A--agent_log_id--B--&type=event"
        "&HTTPURLTOPOST=vb.example.com/hooks/webhooks/agent_event?token=abcdefghijklmnop-1"
        "&event=--A--event--B--"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "agent_event", "base": "https://h:8443"}, "deletes ':'"),
        ({"kind": "no_agent", "base": "ftp://h"}, "base must look like"),
        ({"kind": "no_agent", "token": "short"}, "at least 16 characters"),
        ({"kind": "no_agent", "token": "has space in it!!"}, "at least 16 characters"),
        ({"kind": "waiting_call_on"}, "needs group="),
        ({"kind": "no_agent", "variables": ["colour"]}, "not a ViciDial callback variable"),
        ({"kind": "no_agent", "headers": {"A": "b"}}, "only be set on the agent_event"),
        ({"kind": "agent_event", "headers": {"A": "b:c"}}, "headers may use only"),
    ],
)
def test_build_errors(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"base": "https://h", "token": TOKEN} | kwargs
    with pytest.raises(UrlBuildError, match=message):
        build_url(**arguments)  # type: ignore[arg-type]


def test_constants_are_encoded() -> None:
    url = build_url("no_agent", "https://h", TOKEN, variables=[], constants={"src": "a b&c"})
    assert url == "https://h/webhooks/no_agent?token=abcdefghijklmnop-1&src=a%20b%26c"


def test_all_urls_and_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    urls = build_all_urls("https://h", TOKEN, group="SALES")
    assert set(urls) == set(Kind)
    parser = argparse.ArgumentParser()
    add_urls(parser.add_subparsers())
    args = parser.parse_args(["urls", "--base", "https://h", "--token", TOKEN, "--group", "SALES"])
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    for url in urls.values():
        assert url in out.splitlines()
    bad = parser.parse_args(["urls", "--base", "nope", "--token", TOKEN])
    assert bad.handler(bad) == 2
    assert "base must look like" in capsys.readouterr().err

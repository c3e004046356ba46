"""Secrets never reach what runs record."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from engine.jsonable import SECRET_MASK
from rules.masking import is_secret_name, mask, scrub, secret_fields, secret_values
from tests.rules.conftest import Harness, PauseCodeParams


@pytest.mark.parametrize(
    "name",
    [
        "pass",
        "password",
        "PASS",
        "api_key",
        "apikey",
        "token",
        "api_token",
        "secret",
        "user_pass",
        "Authorization",
        "credentials",
        "pwd",
    ],
)
def test_secret_names(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize("name", ["passage", "user", "campaign", "tokens_used_today", "bypass"])
def test_ordinary_names(name: str) -> None:
    assert not is_secret_name(name)


def test_declared_secret_fields_and_names_are_masked_everywhere_inside() -> None:
    secret = secret_fields(PauseCodeParams)
    assert secret == frozenset({"password", "pass"})
    data = {
        "agent_user": "1001",
        "pass": "Sup3rS3cret",
        "nested": [{"token": "abc123", "keep": "me"}],
        "s": SecretStr("hidden"),
        "password": None,
    }
    assert mask(data, secret) == {
        "agent_user": "1001",
        "pass": SECRET_MASK,
        "nested": [{"token": SECRET_MASK, "keep": "me"}],
        "s": SECRET_MASK,
        "password": None,
    }
    values = secret_values(data, secret)
    assert sorted(values) == ["Sup3rS3cret", "abc123"]
    assert (
        scrub("refused Sup3rS3cret and abc123", values)
        == f"refused {SECRET_MASK} and {SECRET_MASK}"
    )


async def test_a_run_records_no_secret_anywhere(harness: Harness) -> None:
    await harness.start(
        """
        - id: secretive
          variables: {note: ok}
          triggers: {trigger: webhook, kind: pause_max}
          actions:
            - action: notify.log
              data: {message: "{{ note }}", api_token: "T0k3n-v4lue"}
            - action: vicidial.agent.pause_code
              data: {agent_user: "1001", value: BREAK, pass: "Sup3rS3cret"}
        """
    )
    harness.calls.refuse.add("1001")
    harness.webhook("pause_max", user="1001")
    await harness.settle()
    (run,) = harness.runs("secretive")
    text = repr(run) + repr(run.as_dict()) + repr(run.state.to_dict())
    finished = harness.of_type("rule_finished")
    text += repr([event.data for event in finished])
    assert "Sup3rS3cret" not in text
    assert "T0k3n-v4lue" not in text
    assert run.steps[0].data == {"message": "ok", "api_token": SECRET_MASK}

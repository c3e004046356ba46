"""``vicibus traces``: the journal of a config's state directory, readable and as JSON."""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path

import pytest

from engine.cli import main
from engine.clock import Clock, ClockMode
from engine.storage.traces import JournalSettings, TraceJournal
from tests.engine.daemon_harness import write_config
from tests.engine.storage.rows import START, end, not_run, record, start, step


@pytest.fixture
async def config(tmp_path: Path) -> Path:
    """A config whose state directory holds a journal: a finished run with a nested step, a
    failed one, a non-run, and an agent's run of another rule."""
    path = write_config(tmp_path, 8123, 8124)
    clock = Clock(ClockMode.MANUAL, tz=UTC, start=START)
    journal = TraceJournal(tmp_path / "state", JournalSettings(), clock)
    await journal.start()
    ok = start("pause_max_break", at=START, agent="1001", campaign="TESTCAMP")
    record(
        journal,
        ok,
        step(ok, 0, service="vicidial.agent.send_notification", data={"recipient": "1001"}),
        step(
            ok,
            1,
            path="actions/1/sequence/0",
            kind="delay",
            service=None,
            data=None,
            result=None,
            ended=START + 60,
        ),
        end(ok, after=61.5),
    )
    failed = start("pause_max_break", at=START + 100, agent="1002", lead="77")
    record(
        journal,
        failed,
        step(
            failed,
            0,
            at=START + 100,
            service="vicidial.agent.pause_code",
            outcome="error",
            error={"type": "ViciStateError", "message": "agent 1002 is not paused"},
        ),
        end(
            failed,
            "error",
            reason="a step failed",
            error={"type": "ViciStateError", "message": "agent 1002 is not paused"},
        ),
    )
    for n in range(3):
        journal.count_not_run("pause_max_break", "cooldown", START + 200 + n)
    journal.not_run(not_run("pause_max_break", at=START + 200, reason="cooldown", agent="1001"))
    other = start("hopper_low", at=START + 300, campaign="SALES")
    record(journal, other, end(other))
    await journal.stop()
    (tmp_path / "ids.json").write_text(json.dumps([ok.run_id, failed.run_id, other.run_id]))
    return path


def traces(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["traces", *args])
    out, err = capsys.readouterr()
    return code, out, err


def ids(config: Path) -> list[str]:
    return list(json.loads((config.parent / "ids.json").read_text()))


def test_runs_print_as_a_tree_with_timings_and_results(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok, failed, _ = ids(config)
    code, out, _ = traces(capsys, "--config", str(config), "pause_max_break")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"2026-03-02 08:00:00.000  pause_max_break  {ok}  finished in 61.5 s"
    assert "    for: agent 1001, campaign TESTCAMP" in lines
    assert "    - actions/0 vicidial.agent.send_notification: ok, 250 ms" in lines
    assert '        data: {"recipient": "1001"}' in lines
    assert "      - actions/1/sequence/0 delay: ok, 60.0 s" in lines  # one level deeper
    assert (
        f"2026-03-02 08:01:40.000  pause_max_break  {failed}  error in 500 ms (a step failed)"
        in lines
    )
    assert (
        "    - actions/0 vicidial.agent.pause_code: error ViciStateError: agent 1002 is not "
        "paused, 250 ms" in lines
    )
    assert "2026-03-02 08:03:20.000  pause_max_break  not run: cooldown" in lines
    assert lines[-1] == ("pause_max_break: 3 non-runs since 2026-03-02 08:00:00.000 (cooldown 3)")
    assert "hopper_low" not in out
    # Oldest first, the newest last, as a log reads.
    assert out.index(ok) < out.index(failed) < out.index("not run: cooldown")


def test_filters_and_last(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok, failed, other = ids(config)
    base = ["--config", str(config)]
    _, out, _ = traces(capsys, *base, "--errors")
    assert failed in out
    assert ok not in out
    _, out, _ = traces(capsys, *base, "--agent", "1001")
    assert ok in out
    assert "not run: cooldown" in out
    assert failed not in out
    _, out, _ = traces(capsys, *base, "--lead", "77")
    assert failed in out
    assert ok not in out
    _, out, _ = traces(capsys, *base, "--campaign", "SALES")
    assert other in out
    _, out, _ = traces(capsys, *base, "--last", "1")
    assert other in out
    assert failed not in out
    _, out, _ = traces(capsys, *base, "--before", "2026-03-02T08:01")
    assert ok in out
    assert failed not in out
    _, out, _ = traces(capsys, *base, "--before", "2026-03-02T07:00")
    assert out == "no traces match\n"
    # A rule the journal never saw is most likely a typo: the rules it knows are named.
    code, out, _ = traces(capsys, *base, "pause_max_brake")
    assert code == 0
    assert out == (
        "no traces match\n"
        "the journal holds no trace of rule 'pause_max_brake'; it has traces of: "
        "hopper_low, pause_max_break\n"
    )
    _, out, _ = traces(capsys, *base, "pause_max_break", "--agent", "9999")
    assert out == "no traces match\n"


def test_json_is_what_the_api_gives(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok, failed, other = ids(config)
    code, out, _ = traces(capsys, "--config", str(config), "--json")
    assert code == 0
    body = json.loads(out)
    assert [t["id"] for t in body["traces"] if t["kind"] == "run"] == [other, failed, ok]
    assert body["not_run_counts"] == {"pause_max_break": {"cooldown": 3}}
    code, out, _ = traces(capsys, "--config", str(config), "--run", failed, "--json")
    one = json.loads(out)
    assert (one["id"], one["outcome"], one["error"]["type"]) == (failed, "error", "ViciStateError")
    assert one["chain"][0]["origin"] == "webhook"


def test_one_run_in_full(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok, _, _ = ids(config)
    code, out, _ = traces(capsys, "--config", str(config), "--run", ok)
    assert code == 0
    assert out.splitlines()[0].startswith(f"2026-03-02 08:00:00.000  pause_max_break  {ok}")
    assert "    first: vicidial_pause_max (webhook " in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--run", "nope"], "--run takes a trace id"),
        (["--run", "0123456789abcdef01234567"], "no trace '0123456789abcdef01234567'"),
        (["--last", "0"], "--last is from 1 to 500"),
        (["--before", "soon"], "before is a trace id"),
        (["--errors", "--outcome", "finished"], "--errors and --outcome"),
    ],
)
def test_wrong_arguments_say_what_is_wrong(
    config: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = traces(capsys, "--config", str(config), *args)
    assert code == 1
    assert out == ""
    assert err.startswith("vicibus traces: ")
    assert message in err
    assert "Traceback" not in err


def test_no_journal_yet_and_a_bad_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, 8123, 8124)
    code, _, err = traces(capsys, "--config", str(config))
    assert code == 1
    state = tmp_path / "state"
    assert err == f"vicibus traces: no run journal in {state} yet: the daemon has not run with it\n"
    config.write_text(config.read_text() + "storage_typo: 1\n")
    code, _, err = traces(capsys, "--config", str(config))
    assert code == 1
    assert "storage_typo" in err
    assert err.endswith(f"vicibus traces: {config} is not valid\n")

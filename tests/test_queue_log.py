"""The queue_log follower without a server: which lines are contacts, and the file
read line by line through partial lines, both styles of rotation and restarts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.queue_log_helpers import Call, append, write_calls
from wallboard.connectors.log_tail import LogTail, Position, StateFile
from wallboard.connectors.queue_log import (
    AgentMap,
    ContactFields,
    QueueLogFollower,
    parse_line,
)
from wallboard.connectors.sender import Sender

T0 = 1_796_000_000  # 2026-11-29T23:33:20Z


def contacts(lines: list[str], **options: object) -> list[dict[str, object]]:
    follower = QueueLogFollower(
        LogTail(Path("unused"), None, clock=lambda: 0.0),
        None,
        Sender(None),  # type: ignore[arg-type]  # never posts here
        events_url="http://unused/api/events",
        token="unused",
        **options,  # type: ignore[arg-type]
    )
    return follower.events([line.encode() for line in lines])


def test_each_answered_call_is_one_contact_and_a_call_never_answered_is_none() -> None:
    calls = [
        Call(T0, 1, "PJSIP/1001", "agent"),
        Call(T0 + 10, 2, "PJSIP/1001", "caller", talk=300),
        Call(T0 + 20, 3, "PJSIP/1001", "blind"),
        Call(T0 + 30, 4, "PJSIP/1001", "attended"),
        Call(T0 + 40, 5, "PJSIP/1001", "old-transfer"),
        Call(T0 + 50, 6, "PJSIP/1001", "abandon"),
    ]
    made = contacts([line for call in calls for line in call.lines()])

    assert [c["id"] for c in made] == [call.contact_id for call in calls[:5]]
    second = made[1]
    assert second == {
        "id": f"asterisk-{T0 + 10}.2-{T0 + 10 + 7 + 300}-completecaller",
        "type": "contact",
        "ts": "2026-11-30T00:58:37Z",
        "agent": "1001",
        "channel": "phone",
        "duration_s": 300,
        "resolved": False,
        "referral": False,
    }  # no quality: the queue_log has none, and none is made up


def test_resolved_and_quality_apply_to_completed_calls_and_a_transfer_is_never_resolved() -> None:
    calls = [Call(T0, 1, "SIP/alice", "agent"), Call(T0 + 10, 2, "SIP/alice", "blind")]
    made = contacts(
        [line for call in calls for line in call.lines()],
        fields=ContactFields(resolved=True, quality=80),
    )
    assert [(c["resolved"], c["quality"]) for c in made] == [(True, 80), (False, 80)]


def test_members_map_to_agents_by_a_csv_or_else_by_their_name(tmp_path: Path) -> None:
    default = AgentMap()
    assert [
        default.agent(m) for m in ("PJSIP/1001", "Agent/1002", "Local/1003@agents/n", "Anna")
    ] == ["1001", "1002", "1003", "Anna"]

    mapping = tmp_path / "agents.csv"
    mapping.write_text("member,agent\nPJSIP/1001,ber-17\n# a note\n\nSIP/alice, ham-3\n")
    calls = [
        Call(T0, 1, "PJSIP/1001", "agent"),
        Call(T0, 2, "SIP/alice", "caller"),
        Call(T0, 3, "PJSIP/1009", "agent"),  # not in the mapping: left out
    ]
    made = contacts(
        [line for call in calls for line in call.lines()], agents=AgentMap.from_csv(mapping)
    )
    assert [c["agent"] for c in made] == ["ber-17", "ham-3"]

    mapping.write_text("PJSIP/1001\n")
    with pytest.raises(ValueError, match=r"agents.csv:1: expected 'member,agent'"):
        AgentMap.from_csv(mapping)


def test_only_the_queues_asked_for_count() -> None:
    calls = [
        Call(T0, 1, "PJSIP/1001", "agent", queue="support"),
        Call(T0, 2, "PJSIP/1001", "agent", queue="sales"),
        Call(T0, 3, "PJSIP/1001", "agent", queue="internal"),
    ]
    made = contacts([line for c in calls for line in c.lines()], queues={"support", "sales"})
    assert [c["id"] for c in made] == [calls[0].contact_id, calls[1].contact_id]


def test_garbled_and_foreign_lines_are_no_contacts() -> None:
    assert parse_line(b"") is None
    assert parse_line(b"not a queue_log line") is None
    assert parse_line(b"x|1.1|q|PJSIP/1|COMPLETEAGENT|5|9|1") is None
    assert parse_line(b"1796000000|1.1|q|PJSIP/1|COMPLETEAGENT|5") is None
    assert parse_line(b"1796000000|NONE|q|PJSIP/1|PAUSE|lunch") is None


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


Tails = Callable[..., LogTail]


@pytest.fixture
def tails() -> Iterator[Tails]:
    """Opens tails on a file, and closes them after the test."""
    opened: list[LogTail] = []

    def open_tail(path: Path, start: Position | None = None, **options: Any) -> LogTail:
        options.setdefault("clock", Clock())
        opened.append(LogTail(path, start, **options))
        return opened[-1]

    yield open_tail
    for tail in opened:
        tail.close()


def drain(tail: LogTail, state: StateFile | None = None) -> list[str]:
    """Every line the tail hands out until it has nothing new, saving each position
    as the follower does once it delivered the lines."""
    lines: list[str] = []
    while (chunk := tail.read()) is not None:
        lines += [line.decode() for line in chunk.lines]
        if state is not None:
            state.save(chunk.end)
    return lines


def test_a_partial_last_line_waits_for_its_newline(tmp_path: Path, tails: Tails) -> None:
    log = tmp_path / "queue_log"
    append(log, "1|a|q|M|CONNECT|1|b|1\n1|a|q|M|COMPLE")
    tail = tails(log)
    assert drain(tail) == ["1|a|q|M|CONNECT|1|b|1"]
    append(log, "TEAGENT|1|2|1")
    assert drain(tail) == []
    append(log, "\n")
    assert drain(tail) == ["1|a|q|M|COMPLETEAGENT|1|2|1"]


def test_rename_and_create_reads_the_old_file_until_its_writer_moves_on(
    tmp_path: Path, tails: Tails
) -> None:
    log, old = tmp_path / "queue_log", tmp_path / "queue_log.1"
    append(log, "first\n")
    tail = tails(log)
    assert drain(tail) == ["first"]

    log.rename(old)
    # Asterisk writes to the renamed file until it reopens its logs
    append(old, "late in the old file\n")
    assert drain(tail) == ["late in the old file"]
    log.touch()  # logrotate's create
    append(old, "later still\n")
    assert drain(tail) == ["later still"]
    append(old, "and the last one\n")
    append(log, "in the new file\n")
    assert drain(tail) == ["and the last one", "in the new file"]
    append(log, "more\n")
    assert drain(tail) == ["more"]


def test_copytruncate_reads_what_was_written_before_the_truncation_from_the_copy(
    tmp_path: Path, tails: Tails
) -> None:
    log = tmp_path / "queue_log"
    append(log, "1796000000|first line of the first file\n")
    tail = tails(log)
    assert drain(tail) == ["1796000000|first line of the first file"]

    append(log, "written just before the copy\n")
    shutil.copyfile(log, tmp_path / "queue_log.1")
    log.write_bytes(b"")  # truncated in place: the same inode
    assert drain(tail) == ["written just before the copy"]
    append(log, "1796000100|after the truncation\n")
    assert drain(tail) == ["1796000100|after the truncation"]


def test_a_truncation_that_grew_past_the_position_is_still_seen(
    tmp_path: Path, tails: Tails
) -> None:
    log = tmp_path / "queue_log"
    append(log, "1796000000|a\n")
    tail = tails(log)
    assert drain(tail) == ["1796000000|a"]
    shutil.copyfile(log, tmp_path / "queue_log.1")
    log.write_text("1796000200|b, a longer line than the first\n")
    assert drain(tail) == ["1796000200|b, a longer line than the first"]


def test_a_restart_over_a_rename_finishes_the_renamed_file_by_its_inode(
    tmp_path: Path, tails: Tails
) -> None:
    log, state = tmp_path / "queue_log", StateFile(tmp_path / "state.json")
    write_calls(log, [Call(T0, 1, "PJSIP/1001", "agent")])
    tail = tails(log)
    assert len(drain(tail, state)) == 4

    # while the follower is stopped: more lines, a rotation, lines in the new file
    append(log, "after the stop\n")
    log.rename(tmp_path / "queue_log-20261129")
    append(log, "in the new file\n")

    restarted = tails(log, state.load())
    assert drain(restarted, state) == ["after the stop", "in the new file"]
    assert drain(tails(log, state.load())) == []


def test_a_restart_over_a_copytruncate_finishes_the_copy(tmp_path: Path, tails: Tails) -> None:
    log, state = tmp_path / "queue_log", StateFile(tmp_path / "state.json")
    append(log, "1796000000|one\n")
    tail = tails(log)
    assert drain(tail, state) == ["1796000000|one"]

    append(log, "1796000001|two\n")
    shutil.copyfile(log, tmp_path / "queue_log.1")
    log.write_text("1796000002|three\n")

    assert drain(tails(log, state.load()), state) == [
        "1796000001|two",
        "1796000002|three",
    ]


def test_a_rotated_file_is_left_once_quiet_for_the_grace_and_a_partial_line_dropped(
    tmp_path: Path, tails: Tails
) -> None:
    log, clock = tmp_path / "queue_log", Clock()
    append(log, "whole\nhalf a li")
    tail = tails(log, clock=clock, grace=10)
    assert drain(tail) == ["whole"]
    log.rename(tmp_path / "queue_log.1")
    log.touch()
    assert drain(tail) == []  # the writer may still finish the line
    clock.now = 9
    assert drain(tail) == []
    clock.now = 10
    assert drain(tail) == []  # left for the new file, which is empty
    append(log, "new\n")
    append(tmp_path / "queue_log.1", "ne, too late\n")
    assert drain(tail) == ["new"]


def test_from_end_starts_after_the_last_whole_line(tmp_path: Path, tails: Tails) -> None:
    log = tmp_path / "queue_log"
    append(log, "old\nolder\nbeing writ")
    tail = tails(log, from_end=True)
    assert drain(tail) == []
    append(log, "ten\nnew\n")
    assert drain(tail) == ["being written", "new"]


def test_a_state_file_that_is_not_one_is_refused_by_name(tmp_path: Path) -> None:
    state = StateFile(tmp_path / "state.json")
    assert state.load() is None
    state.save(Position(inode=12, offset=345, head="17960"))
    assert state.load() == Position(12, 345, "17960")
    state.path.write_text("{}")
    with pytest.raises(ValueError, match=r"state\.json: not a follower state file"):
        state.load()


def test_a_restart_between_the_rename_and_the_create_reads_the_renamed_file(
    tmp_path: Path, tails: Tails
) -> None:
    log, state = tmp_path / "queue_log", StateFile(tmp_path / "state.json")
    append(log, "one\n")
    assert drain(tails(log), state) == ["one"]
    append(log, "two\n")
    log.rename(tmp_path / "queue_log.1")

    tail = tails(log, state.load())
    assert drain(tail, state) == ["two"]
    append(log, "three\n")
    assert drain(tail, state) == ["three"]


def test_the_command_names_a_file_it_cannot_read(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "wallboard", "queue-log", str(tmp_path / "queue_log")]
    command += ["--url", "http://127.0.0.1:9", "--token", "t", "--once"]
    result = subprocess.run(
        [*command, "--agents", str(tmp_path / "agents.csv")],
        capture_output=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert (
        result.stderr.decode()
        == f"wallboard: {tmp_path / 'agents.csv'}: No such file or directory\n"
    )

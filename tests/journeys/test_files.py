"""Journeys as files: the shipped ones load, a bad file is refused with its file, line, path
and reason, a changed file is a new version, and the JSON Schema for editors is current."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from achterban import wiring  # noqa: F401 - the condition fields branches use
from achterban.journeys import files
from achterban.journeys.tables import Journey, JourneyVersion
from achterban.segments import files as segment_files
from achterban.settings import get_settings

CAMPAIGNS = get_settings().campaigns_dir
SEGMENTS = {s.key for s in segment_files.read(CAMPAIGNS / "segments")}
SHIPPED = ("new-donor-welcome", "new-member-welcome", "loyal-voter-programme",
           "case-closed-follow-up", "lapsed-member-win-back", "election-countdown")  # fmt: skip

GOOD = """\
key: test
name: {nl: Proef, en: Trial}
purpose: fundraising
owner: party
trigger: {type: event, event: donation_received}
steps:
  - id: thanks
    kind: send
    channel: email
    content: test/thanks
  - id: by-gift
    kind: branch
    cases:
      - when: {all: [{field: trigger.amount, op: at_least, value: 100}]}
        goto: call
    otherwise: done
  - id: call
    kind: task
    task: call
    assign: [{to: branch_officer, officer: chair}]
    due_days: 3
    brief: test/call
  - id: done
    kind: end
"""


def _campaigns(tmp_path: Path, text: str, name: str = "test") -> Path:
    """A campaigns folder with one journey file and the content it names, in nl and en."""
    (tmp_path / "journeys").mkdir(exist_ok=True)
    (tmp_path / "journeys" / f"{name}.yaml").write_text(text, encoding="utf-8")
    for lang in ("nl", "en"):
        for key in ("thanks", "call"):
            target = tmp_path / "content" / lang / "test" / f"{key}.yaml"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(yaml.safe_dump({"subject": f"{key} ({lang})", "body": "Hallo."}))
    return tmp_path


def test_the_shipped_journeys_load():
    loaded = {j.key: j for j in files.read(CAMPAIGNS, SEGMENTS)}
    assert set(SHIPPED) <= set(loaded)
    donor = loaded["new-donor-welcome"]
    kinds = [s.__struct_config__.tag for s in donor.steps]
    assert kinds[:4] == ["send", "wait", "wait", "branch"] and "task" in kinds
    assert loaded["case-closed-follow-up"].journey.owner == "office"
    assert loaded["case-closed-follow-up"].journey.purpose == "casework_followup"


def test_every_shipped_message_is_in_dutch_and_english():
    for lang in ("nl", "en"):
        for path in (CAMPAIGNS / "content" / lang).rglob("*.yaml"):
            item = yaml.safe_load(path.read_text(encoding="utf-8"))
            assert item["subject"].strip() and item["body"].strip(), path
            other = "en" if lang == "nl" else "nl"
            twin = CAMPAIGNS / "content" / other / path.relative_to(CAMPAIGNS / "content" / lang)
            assert twin.is_file(), twin


def test_a_good_file_loads(tmp_path: Path):
    (loaded,) = files.read(_campaigns(tmp_path, GOOD))
    assert [s.id for s in loaded.steps] == ["thanks", "by-gift", "call", "done"]


@pytest.mark.parametrize(
    "old,new,where,reason",
    [
        ("kind: end", "kind: celebrate", ":24: steps[3].kind:", "no step kind 'celebrate'"),
        ("goto: call", "goto: phone", ":15: steps[1].cases[0].goto:", "no step with the id phone"),
        ("    kind: end\n", "    kind: end\n  - id: orphan\n    kind: end\n", ":25: steps[4]:",
         "the step orphan is never reached"),
        ("event: donation_received", "event: case_closed", ":5: trigger.event:",
         "a party journey does not start on casework"),
        ("{field: trigger.amount, op: at_least, value: 100}", "{field: open_case, op: 'yes'}",
         ":14: steps[1].cases[0].when.all[0].field:",
         "a party journey does not branch on casework"),
        ("{field: trigger.amount, op: at_least, value: 100}",
         "{field: shoe_size, op: is, value: 42}",
         ":14: steps[1].cases[0].when.all[0].field:", "no such field 'shoe_size'"),
        ("{field: trigger.amount, op: at_least, value: 100}",
         "{field: support_level, op: at_least, value: high}",
         ":14: steps[1].cases[0].when.all[0].value:", "takes a whole number"),
        ("{field: trigger.amount, op: at_least, value: 100}",
         "{field: trigger.tag, op: is, value: x}",
         ":14: steps[1].cases[0].when.all[0].field:", "the trigger brings no tag"),
        ("content: test/thanks", "content: test/missing-in-en", ":10: steps[0].content:",
         "the content test/missing-in-en is missing in en"),
        ("due_days: 3", "due_days: soon", ":21: steps[2].due_days:", "Expected `int`, got `str`"),
        ("    due_days: 3\n", "", ":17: steps[2].due_days:",
         "Object missing required field `due_days`"),
        ("purpose: fundraising", "purpose: gossip", ":3: purpose:", "Invalid enum value 'gossip'"),
        ("id: call\n", "id: thanks\n", ":17: steps[2].id:", "the step id thanks is used twice"),
        ("owner: party", "owner: party\ncolour: red", ":5: colour:",
         "Object contains unknown field `colour`"),
    ],
)  # fmt: skip
def test_a_bad_file_names_its_file_line_path_and_reason(
    tmp_path: Path, old: str, new: str, where: str, reason: str
):
    assert old in GOOD
    campaigns = _campaigns(tmp_path, GOOD.replace(old, new, 1))
    (campaigns / "content" / "nl" / "test" / "missing-in-en.yaml").write_text(
        "subject: Alleen in het Nederlands\nbody: Hallo.\n"
    )
    with pytest.raises(files.JourneyFileError) as caught:
        files.read(campaigns)
    message = str(caught.value)
    assert message.startswith(str(campaigns / "journeys" / "test.yaml") + ":"), message
    assert where in message and reason in message, message


def test_an_office_journey_may_follow_up_a_closed_case(tmp_path: Path):
    text = (GOOD.replace("owner: party", "owner: office")
            .replace("purpose: fundraising", "purpose: casework_followup")
            .replace("event: donation_received", "event: case_closed")
            .replace("{field: trigger.amount, op: at_least, value: 100}",
                     "{field: open_case, op: 'yes'}")
            .replace("{to: branch_officer, officer: chair}", "{to: office}"))  # fmt: skip
    (loaded,) = files.read(_campaigns(tmp_path, text))
    assert loaded.journey.owner == "office"


def test_a_journey_names_segments_and_journeys_that_exist(tmp_path: Path):
    text = GOOD.replace("trigger: {type: event, event: donation_received}",
                        "trigger: {type: manual, segment: nobody-has-this}")  # fmt: skip
    text = text.replace("trigger.amount", "support_level")
    with pytest.raises(files.JourneyFileError, match="no segment nobody-has-this"):
        files.read(_campaigns(tmp_path, text), SEGMENTS)
    text = GOOD.replace("  - id: done\n    kind: end\n",
                        "  - id: done\n    kind: enrol\n    journey: elsewhere\n")  # fmt: skip
    with pytest.raises(files.JourneyFileError, match=r":25: steps\[3\].journey: no journey "):
        files.read(_campaigns(tmp_path, text))


def test_the_committed_schema_is_what_the_structs_give():
    """An editor checks journey files against it; `make schemas` writes it."""
    committed = (CAMPAIGNS / files.SCHEMA_PATH).read_text(encoding="utf-8")
    assert committed == files.schema_text(), "run `make schemas`"


def test_the_schema_lists_every_step_kind():
    import json

    schema = json.loads(files.schema_text())
    steps = schema["$defs"]["Journey"]["properties"]["steps"]["items"]
    assert set(steps["discriminator"]["mapping"]) == {
        "wait", "branch", "send", "task", "tag", "set_field", "enrol", "end"
    }  # fmt: skip


async def _versions(key: str) -> list[int]:
    journey = await Journey.select(Journey.id).where(Journey.key == key).first()
    rows = await JourneyVersion.select(JourneyVersion.number).where(
        JourneyVersion.journey == journey["id"]
    ).order_by(JourneyVersion.number)  # fmt: skip
    return [r["number"] for r in rows]


async def test_a_changed_file_is_a_new_version_and_an_unchanged_one_is_not(app, tmp_path: Path):
    campaigns = tmp_path / "campaigns"
    shutil.copytree(CAMPAIGNS, campaigns)
    await files.sync(campaigns, SEGMENTS)
    before = {key: await _versions(key) for key in SHIPPED}
    assert await files.sync(campaigns, SEGMENTS) == []  # unchanged: no new version
    assert {key: await _versions(key) for key in SHIPPED} == before
    # a comment is no change of the definition; a changed wait is
    path = campaigns / "journeys" / "new-member-welcome.yaml"
    path.write_text("# edited\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert await files.sync(campaigns, SEGMENTS) == []
    path.write_text(path.read_text(encoding="utf-8").replace("days: 3\n", "days: 4\n", 1))
    assert await files.sync(campaigns, SEGMENTS) == ["new-member-welcome"]
    numbers = before["new-member-welcome"]
    assert await _versions("new-member-welcome") == [*numbers, numbers[-1] + 1]
    assert await _versions("new-donor-welcome") == before["new-donor-welcome"]
    # a file that is gone retires its journey (its versions stay); back, it is current again
    moved = path.read_text(encoding="utf-8")
    path.unlink()
    assert await files.sync(campaigns, SEGMENTS) == ["new-member-welcome"]
    row = await Journey.select(Journey.retired_at).where(Journey.key == "new-member-welcome")
    assert row[0]["retired_at"] is not None
    path.write_text(moved, encoding="utf-8")
    assert await files.sync(campaigns, SEGMENTS) == ["new-member-welcome"]
    assert len(await _versions("new-member-welcome")) == len(before["new-member-welcome"]) + 1
    await files.sync(CAMPAIGNS, SEGMENTS)  # as shipped again, for the tests after this one


def test_serve_refuses_to_start_on_a_bad_journey_file(test_env, tmp_path: Path):
    import subprocess
    import sys

    campaigns = tmp_path / "campaigns"
    shutil.copytree(CAMPAIGNS, campaigns)
    path = campaigns / "journeys" / "new-member-welcome.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("goto: check-phone", "goto: nowhere"))
    env = {**test_env, "ACHTERBAN_CAMPAIGNS_DIR": str(campaigns)}
    result = subprocess.run([sys.executable, "-m", "achterban.cli", "serve", "--port", "1"],
                            env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode != 0
    assert f"{path}:" in result.stderr and "no step with the id nowhere" in result.stderr
    assert "Traceback" not in result.stderr
    check = subprocess.run([sys.executable, "-m", "achterban.cli", "journey-schema", "--check"],
                           env=test_env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert check.returncode == 0, check.stderr


def test_an_editor_checking_against_the_schema_accepts_the_shipped_files():
    import json

    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    schema = json.loads((CAMPAIGNS / files.SCHEMA_PATH).read_text(encoding="utf-8"))
    validator = jsonschema_rs.validator_for(schema)
    for path in sorted((CAMPAIGNS / "journeys").glob("*.yaml")):
        assert validator.is_valid(yaml.safe_load(path.read_text(encoding="utf-8"))), path
    bad = yaml.safe_load(GOOD.replace("kind: end", "kind: celebrate"))
    assert not validator.is_valid(bad)

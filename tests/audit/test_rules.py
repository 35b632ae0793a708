"""The text a seal's HMAC covers stays what the chain has always hashed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from achterban.audit import rules


def _as_always(event: dict, seq: int, prev: str) -> str:
    payload = {name: event.get(name) for name in rules.HASHED_FIELDS}
    payload["at"] = rules._stamp(event["at"])
    payload["detail"] = event.get("detail") or "{}"
    payload["event"] = int(event["id"])
    payload["seq"] = seq
    payload["prev"] = prev
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)


EVENTS = [
    {"id": 1, "at": datetime(2026, 12, 2, 9, 30, tzinfo=UTC), "actor_id": 5,
     "actor_label": 'Zoë "de" Vries\\', "action": "person.read", "object_type": "person",
     "object_id": "12", "ip": None, "detail": '{"view":"overview","q":"#h:ab"}'},
    {"id": 2, "at": "2026-01-01T00:00:00+02:00", "actor_id": None, "actor_label": "",
     "action": "", "object_type": "", "object_id": "", "ip": "::1", "detail": None},
    {"id": 3, "at": datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=-5))), "actor_id": 7,
     "actor_label": "tab\there\nnewline \x00 \u2028 😀", "action": "a", "object_type": "t",
     "object_id": "o", "ip": "10.0.0.1", "detail": ""},
    {"id": 4, "at": datetime(2026, 1, 1), "actor_id": True, "actor_label": 1.5,
     "action": "x", "object_type": "t", "object_id": "o", "ip": "1", "detail": "{}"},
]  # fmt: skip


def test_the_sealed_text_is_the_canonical_json_of_the_entry():
    for event in EVENTS:
        for seq, prev in ((1, rules.GENESIS), (10**12, "ab" * 32)):
            assert rules.canonical_payload(event, seq, prev) == _as_always(event, seq, prev)


def test_a_seal_made_from_that_text_verifies_and_a_changed_entry_does_not():
    key = b"k" * 32
    seals = rules.seal_rows(key, EVENTS, 0, rules.GENESIS)
    assert all(
        s["hash"] == rules.hmac.new(key, _as_always(e, s["seq"], s["prev_hash"]).encode(),
                                    rules.hashlib.sha256).hexdigest()
        for s, e in zip(seals, EVENTS, strict=True)
    )  # fmt: skip
    assert rules.verify(key, zip(seals, EVENTS, strict=True)).ok
    changed = [*EVENTS[:2], {**EVENTS[2], "object_id": "other"}, EVENTS[3]]
    report = rules.verify(key, zip(seals, changed, strict=True))
    assert not report.ok and report.first_bad_id == 3

"""Casework rules with frozen time: deadlines pause on agencies, routing is data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from achterban.casework import rules

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_deadline_follows_the_topic_and_pauses_while_waiting():
    due = rules.due(T0, "safety")
    assert due == T0 + timedelta(days=5)
    paused_at, resumed = T0 + timedelta(days=1), T0 + timedelta(days=4)
    assert rules.resumed_due(due, paused_at, resumed) == due + timedelta(days=3)
    assert not rules.is_overdue("waiting", due, due + timedelta(days=10))
    assert rules.is_overdue("assigned", due, due + timedelta(seconds=1))
    assert not rules.is_overdue("resolved", due, due + timedelta(days=1))


def test_lifecycle_allows_and_refuses():
    assert rules.allowed("assigned", "waiting") and rules.allowed("closed", "assigned")
    assert not rules.allowed("new", "closed") and not rules.allowed("waiting", "closed")


def test_routing_to_specialist_queue_or_triage():
    office = rules.OfficeChoice(7, "NL-GM-assen", {"housing": 42})
    assert rules.route([office], "housing", False, "").assignee_id == 42
    queue = rules.route([office], "roads", False, "")
    assert (queue.status, queue.office_id, queue.assignee_id) == ("triaged", 7, None)
    assert "office queue" in queue.reason
    triage = rules.route([office, rules.OfficeChoice(8, "x")], "roads", True, "spans 2 districts")
    assert (triage.status, triage.office_id) == ("new", None) and "spans 2" in triage.reason
    assert (
        rules.route([], "roads", False, "").reason == "triage: no staffed office for this address"
    )


def test_identical_campaign_texts_share_a_key():
    assert rules.campaign_key("Windmolens!", "Geen  windmolens") == rules.campaign_key(
        "windmolens", "geen windmolens."
    )
    assert rules.campaign_key("a", "b") != rules.campaign_key("a", "c")

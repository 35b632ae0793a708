"""Every table that refers to a person is covered by the one list of what domains hold."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, Serial
from piccolo.table import Table

from achterban.people.tables import Person
from achterban.personal import NOT_PERSONAL, PERSON_DATA
from achterban.piccolo_app import APP_CONFIG

PERSON_COLUMNS = {"person", "person_id", "person_low", "person_high", "constituent",
                  "constituent_id", "merged_into", "supporter_id", "member_id"}  # fmt: skip


def refers_to_person(tables: list[type[Table]]) -> set[str]:
    """Tables with a foreign key to a person, a column named for one, or a foreign key to
    such a table (a case's log refers to the person through the case)."""
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for table in tables:
            name = table._meta.tablename
            if name in found:
                continue
            for column in table._meta.columns:
                target = (
                    column._foreign_key_meta.resolved_references._meta.tablename
                    if isinstance(column, ForeignKey)
                    else None
                )
                if (
                    target == Person._meta.tablename
                    or target in found
                    or column._meta.name in PERSON_COLUMNS
                ):
                    found.add(name)
                    changed = True
                    break
    return found


def uncovered(tables: list[type[Table]]) -> set[str]:
    covered = {t for part in PERSON_DATA for t in part.tables} | set(NOT_PERSONAL)
    return refers_to_person(tables) - covered


def test_every_table_that_refers_to_a_person_is_moved_erased_and_exported():
    assert uncovered(APP_CONFIG.table_classes) == set()
    # and the list is not vacuous: the tables a person's data is known to be in are found
    assert {
        "consent_event",
        "casework_case",
        "case_event",
        "case_task",
        "donation",
        "dedupe_candidate",
        "erasure_ledger",
    } <= refers_to_person(APP_CONFIG.table_classes)


def test_a_new_table_about_a_person_fails_until_its_domain_declares_it():
    class Petition(Table, tablename="petition_signature"):
        id = Serial(primary_key=True)
        person = ForeignKey(references=Person)

    class Pledge(Table, tablename="pledge"):
        id = Serial(primary_key=True)
        constituent_id = Integer()

    class PledgeNote(Table, tablename="pledge_note"):
        id = Serial(primary_key=True)
        pledge = ForeignKey(references=Pledge)

    assert uncovered([*APP_CONFIG.table_classes, Petition, Pledge, PledgeNote]) == {
        "petition_signature", "pledge", "pledge_note",
    }  # fmt: skip


def test_each_domain_is_listed_once_and_people_come_last():
    names = [part.name for part in PERSON_DATA]
    assert len(names) == len(set(names))
    assert names[-1] == "people"  # the others read the record's values and household first

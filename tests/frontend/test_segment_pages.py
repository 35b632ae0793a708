"""A user builds a segment in the SPA: picks conditions from what the API offers, nests groups
of them, sees the count and the first people change as they edit and the API's message at the
condition it names, saves it, lands on the people list of the segment, finds it listed with its
count, opens it again to change it, and exports its people; in Dutch (no English word) and in
English. A segment from a file, or someone else's, is shown and not saved; every kind of value
has its input (Chromium; axe finds nothing)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect, sync_playwright

from achterban.districts import loaders
from achterban.segments.tables import Segment
from tests.conftest import make_user
from tests.frontend.browser import (
    CHROMIUM_ARGS,
    api_client,
    assert_accessible,
    chromium_page,
    sign_in,
)
from tests.frontend.test_people_settle import _dutch_only, _wait_until_idle, _watch_api
from tests.frontend.test_staff_pages import _sign_in_nl


@pytest.fixture(scope="module")
async def maps(app):
    await loaders.load_nl_pc4()


@pytest.mark.browser
def test_a_segment_is_built_counted_saved_and_opened_in_dutch(live_server, staff_user, maps):
    tag = f"seg{uuid.uuid4().hex[:6]}"
    name = f"Groningers {tag}"
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        for first, address in (("Gerda", "Vismarkt 2, 9712 CB Groningen"),
                               ("Ad", "Markt 1, 9401 AA Assen"),
                               ("Geert", "Herestraat 1, 9711 LA Groningen")):  # fmt: skip
            made = client.post("/api/people", json={
                "first_name": first, "last_name": "Segmentproef", "tags": [tag],
                "address": address,
            })  # fmt: skip
            assert made.status_code == 201, made.text
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_context(locale="nl-NL").new_page()
        _sign_in_nl(page, live_server, staff_user.email, staff_user.password)
        page.get_by_role("navigation").get_by_role("link", name="Segmenten").click()
        form = page.get_by_role("form", name="Nieuw segment")
        form.get_by_label("Naam van het segment").fill(name)
        form.get_by_label("Voorwaarde 1: gegeven").select_option(label="Label")
        form.get_by_label("Voorwaarde 1: waarde").select_option(tag)
        count = form.get_by_role("status")
        expect(count).to_have_text("3 mensen")
        form.get_by_role("button", name="Voorwaarde toevoegen").click()
        form.get_by_label("Voorwaarde 2: gegeven").select_option(label="Regio (provincie of staat)")
        form.get_by_label("Voorwaarde 2: waarde").fill("NL-GR")
        expect(count).to_have_text("2 mensen")  # the count follows the edit
        preview = form.get_by_role("list", name="De eersten van het segment")
        expect(preview.get_by_role("listitem")).to_have_count(2)
        expect(preview).not_to_contain_text("Ad ")
        _dutch_only(page)
        assert_accessible(page)
        form.get_by_role("button", name="Segment opslaan").click()
        # the people list of the segment
        expect(page.get_by_role("note")).to_contain_text(f"Alleen de mensen van het segment {name}")
        expect(page.get_by_role("link", name="Gerda Segmentproef")).to_be_visible()
        expect(page.get_by_role("link", name="Ad Segmentproef")).to_have_count(0)
        assert_accessible(page)
        page.get_by_role("navigation").get_by_role("link", name="Segmenten").click()
        row = page.get_by_role("row").filter(has_text=name)
        expect(row).to_contain_text("2 mensen")
        browser.close()


# what the builder says, in each language
WORDS = {
    "nl": {
        "locale": "nl-NL", "nav": "Segmenten", "new": "Nieuw segment",
        "name": "Naam van het segment",
        "field": "Voorwaarde {n}: gegeven", "value": "Voorwaarde {n}: waarde",
        "remove": "Voorwaarde {n} weghalen", "region": "Regio (provincie of staat)", "tag": "Label",
        "last_contact": "Laatste contact", "add_group": "Groep toevoegen",
        "join": "Groep {n}: wie komen erin", "add_to": "Voorwaarde toevoegen aan groep {n}",
        "count_2": "2 mensen", "count_1": "1 persoon", "preview": "De eersten van het segment",
        "save": "Segment opslaan", "note": "Alleen de mensen van het segment {name}",
        "edit": "{name} bewerken", "editing": "Segment {name} bewerken",
        "saved": "Het segment is opgeslagen.", "export": "{name} exporteren (CSV)",
    },
    "en": {
        "locale": "en-GB", "nav": "Segments", "new": "New segment", "name": "Segment name",
        "field": "Condition {n}: field", "value": "Condition {n}: value",
        "remove": "Remove condition {n}", "region": "Region (province or state)", "tag": "Tag",
        "last_contact": "Last contact", "add_group": "Add a group",
        "join": "Group {n}: who is in it", "add_to": "Add a condition to group {n}",
        "count_2": "2 people", "count_1": "1 person", "preview": "The first people of the segment",
        "save": "Save the segment", "note": "Only the people of the segment {name}",
        "edit": "Edit {name}", "editing": "Edit the segment {name}",
        "saved": "The segment is saved.", "export": "Export {name} (CSV)",
    },
}  # fmt: skip


def _sign_in(page, language: str, base: str, user) -> None:
    if language == "nl":
        _sign_in_nl(page, base, user.email, user.password)
    else:
        sign_in(page, base, user.email, user.password)


@pytest.mark.browser
@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_nested_segment_is_built_saved_reopened_changed_and_exported(
    live_server, staff_user, maps, language, tmp_path
):
    w = WORDS[language]
    tag_a, tag_b, other = (f"seg{uuid.uuid4().hex[:6]}" for _ in range(3))
    family = f"Boom{uuid.uuid4().hex[:6]}"
    name = f"Noorderlingen {family}"
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        for first, tags, address in (("Anna", [tag_a], "Vismarkt 2, 9712 CB Groningen"),
                                     ("Bram", [tag_b], "Herestraat 1, 9711 LA Groningen"),
                                     ("Cato", [other], "Vismarkt 2, 9712 CB Groningen"),
                                     ("Dirk", [tag_a, tag_b], "Markt 1, 9401 AA Assen"),
                                     ):  # fmt: skip
            made = client.post("/api/people", json={
                "first_name": first, "last_name": family, "tags": tags, "address": address,
            })  # fmt: skip
            assert made.status_code == 201, made.text
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_context(locale=w["locale"]).new_page()
        _sign_in(page, language, live_server, staff_user)
        page.get_by_role("navigation").get_by_role("link", name=w["nav"]).click()
        form = page.get_by_role("form", name=w["new"])
        form.get_by_label(w["name"]).fill(name)
        # all: region is Groningen, any: [tag A, tag B]
        form.get_by_label(w["field"].format(n=1)).select_option(label=w["region"])
        form.get_by_label(w["value"].format(n=1)).fill("NL-GR")
        form.get_by_role("button", name=w["add_group"], exact=True).click()
        form.get_by_label(w["join"].format(n=2)).select_option("any")
        form.get_by_label(w["field"].format(n="2.1")).select_option(label=w["tag"])
        form.get_by_label(w["value"].format(n="2.1")).select_option(tag_a)
        form.get_by_role("button", name=w["add_to"].format(n=2)).click()
        form.get_by_label(w["field"].format(n="2.2")).select_option(label=w["tag"])
        form.get_by_label(w["value"].format(n="2.2")).select_option(tag_b)
        count = form.get_by_role("status")
        # Anna and Bram: Cato has neither tag, Dirk lives in Drenthe
        expect(count).to_have_text(w["count_2"])
        preview = form.get_by_role("list", name=w["preview"])
        expect(preview.get_by_role("listitem")).to_have_count(2)
        expect(preview).to_contain_text(f"Anna {family}")
        expect(preview).to_contain_text(f"Bram {family}")
        # a value out of range deep in the tree: the API's message shows at its condition
        form.get_by_role("button", name=w["add_to"].format(n=2)).click()
        form.get_by_label(w["field"].format(n="2.3")).select_option(label=w["last_contact"])
        form.get_by_label(w["value"].format(n="2.3")).fill("99999")
        alert = form.get_by_role("alert").filter(has_text=w["field"].format(n="2.3").split(":")[0])
        expect(alert).to_contain_text("36500")
        form.get_by_role("button", name=w["remove"].format(n="2.3")).click()
        expect(alert).to_have_count(0)
        expect(count).to_have_text(w["count_2"])
        if language == "nl":
            _dutch_only(page)
        assert_accessible(page)
        form.get_by_role("button", name=w["save"]).click()
        expect(page.get_by_role("note")).to_contain_text(w["note"].format(name=name))
        expect(page.get_by_role("link", name=f"Bram {family}")).to_be_visible()
        expect(page.get_by_role("link", name=f"Dirk {family}")).to_have_count(0)
        # reopen it from the list: the nested tree comes back; Drenthe instead of Groningen
        page.get_by_role("navigation").get_by_role("link", name=w["nav"]).click()
        row = page.get_by_role("row").filter(has_text=name)
        expect(row).to_contain_text(w["count_2"])
        row.get_by_role("link", name=w["edit"].format(name=name)).click()
        form = page.get_by_role("form", name=w["editing"].format(name=name))
        expect(form.get_by_label(w["value"].format(n="2.2"))).to_have_value(tag_b)
        expect(form.get_by_label(w["join"].format(n=2))).to_have_value("any")
        form.get_by_label(w["value"].format(n=1)).fill("NL-DR")
        expect(form.get_by_role("status")).to_have_text(w["count_1"])
        if language == "nl":
            _dutch_only(page)
        assert_accessible(page)
        form.get_by_role("button", name=w["save"]).click()
        expect(form).to_contain_text(w["saved"])
        expect(row).to_contain_text(w["count_1"])
        # the export of the segment holds its people, and only them
        with page.expect_download() as download:
            row.get_by_role("link", name=w["export"].format(name=name)).click()
        saved = tmp_path / "segment.csv"
        download.value.save_as(saved)
        lines = [line for line in saved.read_text(encoding="utf-8-sig").splitlines()[1:] if line]
        assert len(lines) == 1 and f"Dirk,,{family}" in lines[0], lines
        browser.close()
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        stored = next(s for s in client.get("/api/segments").json() if s["name"] == name)
        assert stored["definition"]["all"][0]["value"] == "NL-DR"
        assert [c["value"] for c in stored["definition"]["all"][1]["any"]] == [tag_a, tag_b]


@pytest.fixture
async def file_segment(live_server):
    """A segment as campaigns/segments loads it: no owner, a key, changed only in its file."""
    stamp = datetime.now(UTC)
    key = f"test-{uuid.uuid4().hex[:6]}"
    row = Segment(
        key=key, owner_id=None, shared=True, created_at=stamp, updated_at=stamp,
        name=f"Uit een bestand {key}", description="",
        definition={"all": [{"field": "region", "op": "is", "value": "NL-FR"},
                            {"none": [{"field": "do_not_contact", "op": "yes", "value": None},
                                      {"field": "last_contact", "op": "within_days",
                                       "value": 30}]}]},
    )  # fmt: skip
    await row.save()
    yield row
    await Segment.delete().where(Segment.id == row.id)


@pytest.mark.browser
def test_a_segment_from_a_file_is_shown_but_not_saved(live_server, staff_user, file_segment):
    name = file_segment.name
    with chromium_page() as page:
        seen = _watch_api(page)
        counts: list[int] = []
        page.on("response", lambda r: counts.append(r.status) if "/count" in r.url else None)
        sign_in(page, live_server, staff_user.email, staff_user.password)
        page.get_by_role("navigation").get_by_role("link", name="Segments").click()
        row = page.get_by_role("row").filter(has_text=name)
        expect(row).to_contain_text("from a file")
        expect(row.get_by_role("link", name=f"Export {name} (CSV)")).to_be_visible()
        row.get_by_role("link", name=f"View {name}").click()
        expect(page).to_have_url(re.compile(rf"/segments\?segment={file_segment.id}$"))
        page.reload()  # the address opens it too
        form = page.get_by_role("form", name=f"View the segment {name}")
        expect(form).to_contain_text("This segment comes from a file")
        expect(form.get_by_label("Condition 1: value")).to_have_value("NL-FR")
        expect(form.get_by_label("Group 2: who is in it")).to_have_value("none")
        expect(form.get_by_label("Condition 2.1: field")).to_be_disabled()
        expect(form.get_by_label("Condition 2.2: value")).to_have_value("30")
        expect(form.get_by_role("button", name="Save the segment")).to_have_count(0)
        expect(form.get_by_role("status")).not_to_have_text("Loading…")
        _wait_until_idle(seen)  # the live count settles: no request loop
        assert counts and set(counts) == {200}, counts  # each count of a tree the API accepts
        assert_accessible(page)
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        refused = client.patch(f"/api/segments/{file_segment.id}", json={"name": "x"})
        assert refused.status_code == 409, refused.text  # changed in its file, not here


# what a user types or picks for each kind of value, and what the API then reads
TYPED = {"text": ("x", "x"), "number": ("1", 1), "days": ("30", 30), "year": ("2025", 2025),
         "date": ("2026-01-02", "2026-01-02"), "moment": ("2026-01-02", "2026-01-02")}  # fmt: skip


def _enter(form, field: str, op: str, kind: str, typed: str, picked: bool) -> None:
    """Pick condition 1's field and comparison, and enter its value as a user would."""
    form.get_by_label("Condition 1: field").select_option(field)
    form.get_by_label("Condition 1: comparison").select_option(op)
    value = form.get_by_label("Condition 1: value", exact=True)
    if kind == "none":
        expect(value).to_have_count(0)
    elif kind == "choices" and picked:
        form.get_by_label("Condition 1: values", exact=True).select_option([typed])
    elif kind == "choices":
        form.get_by_label("Condition 1: values, separated by commas").fill(typed)
    elif value.evaluate("e => e.tagName") == "SELECT":
        value.select_option(typed)
    else:
        value.fill(typed)
    if kind == "choice_days":
        form.get_by_label("Condition 1: number of days").fill("30")


@pytest.mark.browser
def test_every_kind_of_value_has_a_labelled_input_the_count_accepts(live_server, staff_user):
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        made = client.post("/api/segments", json={
            "name": f"Kern {uuid.uuid4().hex[:6]}", "shared": True,
            "definition": {"all": [{"field": "do_not_contact", "op": "no", "value": None}]},
        })  # fmt: skip
        assert made.status_code == 201, made.text
        fields = client.get("/api/segments/fields", headers={"Accept-Language": "en"}).json()
    kinds = {o["value"] for f in fields for o in f["operators"]}
    assert {"none", "text", "choice", "choices", "number", "days", "date", "year",
            "segment", "choice_days", "moment"} <= kinds  # fmt: skip
    with chromium_page() as page:
        sign_in(page, live_server, staff_user.email, staff_user.password)
        page.get_by_role("navigation").get_by_role("link", name="Segments").click()
        form = page.get_by_role("form", name="New segment")
        for field in fields:
            for op in field["operators"]:
                kind, choices = op["value"], [c["value"] for c in field.get("choices") or []]
                if field.get("choices") == [] and kind != "none":
                    continue  # a list with nothing in it yet (no plans, say): nothing to pick
                typed, expected = TYPED.get(kind, (choices[0] if choices else "x",) * 2)
                if kind == "segment":
                    typed, expected = str(made.json()["id"]), made.json()["id"]
                elif kind == "choices":
                    expected = [typed]
                elif kind == "choice_days":
                    expected = {"choice": typed, "days": 30}
                definition = {"all": [{"field": field["key"], "op": op["key"],
                                       "value": None if kind == "none" else expected}]}  # fmt: skip

                def counted(response, definition=definition):
                    return response.url.endswith("/api/segments/count") and (
                        response.request.post_data_json == {"definition": definition}
                    )

                try:
                    with page.expect_response(counted, timeout=10_000) as answer:
                        _enter(form, field["key"], op["key"], kind, typed, bool(choices))
                except PlaywrightTimeout:
                    raise AssertionError(f"no count of {definition}") from None
                assert answer.value.status == 200, (field["key"], op["key"], answer.value.text())
        assert_accessible(page)


@pytest.fixture
async def organiser(app):
    return await make_user("organiser", name="Olga Organiser")


@pytest.mark.browser
def test_someone_elses_segment_is_shown_and_ones_own_is_edited(live_server, staff_user, organiser):
    theirs, mine = (f"{who} {uuid.uuid4().hex[:6]}" for who in ("Van Bea", "Van Olga"))
    tree = {"any": [{"field": "do_not_contact", "op": "yes", "value": None}]}
    made = {}
    for user, name in ((staff_user, theirs), (organiser, mine)):
        with api_client(live_server, user.email, user.password) as client:
            made[name] = client.post("/api/segments", json={"name": name, "shared": True,
                                                            "definition": tree})  # fmt: skip
            assert made[name].status_code == 201, made[name].text
    with api_client(live_server, organiser.email, organiser.password) as client:
        # what the page offers is what the API allows: someone else's segment is not theirs
        refused = client.patch(f"/api/segments/{made[theirs].json()['id']}", json={"name": "x"})
        assert refused.status_code == 403, refused.text
    with chromium_page() as page:
        sign_in(page, live_server, organiser.email, organiser.password)
        page.get_by_role("navigation").get_by_role("link", name="Segments").click()
        rows = page.get_by_role("row")
        rows.filter(has_text=theirs).get_by_role("link", name=f"View {theirs}").click()
        form = page.get_by_role("form", name=f"View the segment {theirs}")
        expect(form).to_contain_text("Only its owner changes this segment")
        expect(form.get_by_label("Segment name")).to_be_disabled()
        expect(form.get_by_role("button", name="Save the segment")).to_have_count(0)
        rows.filter(has_text=mine).get_by_role("link", name=f"Edit {mine}").click()
        form = page.get_by_role("form", name=f"Edit the segment {mine}")
        form.get_by_label("Segment name").fill(f"{mine} bis")
        form.get_by_role("button", name="Save the segment").click()
        expect(form).to_contain_text("The segment is saved.")
        expect(rows.filter(has_text=f"{mine} bis")).to_have_count(1)


@pytest.mark.browser
def test_contact_by_a_channel_in_a_period_is_picked_and_counted_in_dutch(live_server, staff_user):
    tag = f"seg{uuid.uuid4().hex[:6]}"
    with api_client(live_server, staff_user.email, staff_user.password) as client:
        for first, channel in (("Els", "email"), ("Fenna", "phone"), ("Gijs", None)):
            made = client.post("/api/people", json={
                "first_name": first, "last_name": f"Kanaal{tag}", "tags": [tag],
            })  # fmt: skip
            assert made.status_code == 201, made.text
            if channel:
                contact = client.post(f"/api/people/{made.json()['id']}/interactions", json={
                    "channel": channel, "direction": "out", "subject": "Bedankt",
                })  # fmt: skip
                assert contact.status_code == 201, contact.text
    with chromium_page("nl-NL") as page:
        _sign_in_nl(page, live_server, staff_user.email, staff_user.password)
        page.get_by_role("navigation").get_by_role("link", name="Segmenten").click()
        form = page.get_by_role("form", name="Nieuw segment")
        form.get_by_label("Voorwaarde 1: gegeven").select_option(label="Label")
        form.get_by_label("Voorwaarde 1: waarde").select_option(tag)
        count = form.get_by_role("status")
        expect(count).to_have_text("3 mensen")
        form.get_by_role("button", name="Voorwaarde toevoegen", exact=True).click()
        form.get_by_label("Voorwaarde 2: gegeven").select_option(label="Contact via kanaal")
        form.get_by_label("Voorwaarde 2: waarde").select_option(label="E-mail")
        form.get_by_label("Voorwaarde 2: aantal dagen").fill("90")
        expect(count).to_have_text("1 persoon")  # Els: Fenna was phoned, Gijs not contacted
        form.get_by_label("Voorwaarde 2: vergelijking").select_option(
            label="niet in de laatste … dagen"
        )
        form.get_by_label("Voorwaarde 2: waarde").select_option(label="E-mail")
        form.get_by_label("Voorwaarde 2: aantal dagen").fill("90")
        expect(count).to_have_text("2 mensen")
        _dutch_only(page)
        assert_accessible(page)


@pytest.fixture
async def office_case(app, maps):
    """A representative's office with one open case of a constituent in its municipality."""
    from achterban.casework.tables import Case
    from achterban.people.tables import Person
    from tests.casework.test_casework import _office

    office = await _office("NL-GM-groningen")
    rep = await make_user("representative", office_id=office, name="Roos Raad")
    tag = uuid.uuid4().hex[:6]
    person = Person(first_name="Wietske", last_name=f"Casus{tag}", sort_name=f"casus{tag}",
                    region="NL-GR", district="NL-GM-groningen", country="NL")  # fmt: skip
    await person.save()
    await Case(reference=f"T-{tag}", person=person.id, office=office, status="triaged",
               topic="roads", subject="Stoep").save()  # fmt: skip
    loaders.invalidate()
    return rep


@pytest.mark.browser
def test_a_representative_selects_by_their_office_s_cases_and_the_segment_stays_theirs(
    live_server, office_case
):
    rep = office_case
    name = f"Open casussen {uuid.uuid4().hex[:6]}"
    with chromium_page("nl-NL") as page:
        _sign_in_nl(page, live_server, rep.email, rep.password)
        page.get_by_role("navigation").get_by_role("link", name="Segmenten").click()
        form = page.get_by_role("form", name="Nieuw segment")
        form.get_by_label("Naam van het segment").fill(name)
        shared = form.get_by_label("Gedeeld met de organisatie")
        expect(shared).to_be_checked()
        form.get_by_label("Voorwaarde 1: gegeven").select_option(label="Heeft een open casus")
        expect(form.get_by_role("status")).to_have_text("1 persoon")
        expect(shared).not_to_be_checked()
        expect(shared).to_be_disabled()
        expect(form).to_contain_text("blijft van u: het wordt niet gedeeld")
        _dutch_only(page)
        assert_accessible(page)
        form.get_by_role("button", name="Segment opslaan").click()
        page.wait_for_url(re.compile(r"/people\?segment=\d+"))
    with api_client(live_server, rep.email, rep.password) as client:
        saved = [s for s in client.get("/api/segments").json() if s["name"] == name]
        assert len(saved) == 1 and saved[0]["shared"] is False

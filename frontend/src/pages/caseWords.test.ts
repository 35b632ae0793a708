import { describe, expect, it } from "vitest";
import type { components } from "../api/schema";
import { translate, type Language, type MessageKey, type T } from "../i18n";
import { dateWord, eventWord, routingWord, statusWord } from "./caseWords";

type CaseEvent = components["schemas"]["CaseEvent"];
const tIn = (language: Language): T => (key: MessageKey, values) => translate(language, key, values);

function event(fields: Partial<CaseEvent>): CaseEvent {
  return {
    id: 1, kind: "note", direction: "", channel: "", body: "", actor_id: 2, actor_name: "Anouk",
    at: "2026-12-01T10:00:00Z", from_status: null, to_status: null, agency: "", assignee_name: "",
    consent: null, routing: null, detail: {}, ...fields,
  };
}

describe("the case log in the reader's language", () => {
  it("words a status change with from and to", () => {
    const entry = event({ kind: "status", from_status: "triaged", to_status: "assigned", assignee_name: "Bram" });
    expect(eventWord(tIn("nl"), entry, "Wonen")).toBe("Status: In wachtrij kantoor → Toegewezen, toegewezen aan Bram");
    expect(eventWord(tIn("en"), entry, "Housing")).toBe("Status: In the office queue → Assigned, assigned to Bram");
  });

  it("names the agency of a referral", () => {
    expect(eventWord(tIn("nl"), event({ kind: "referral", agency: "UWV" }), "")).toBe("Doorverwezen naar UWV");
  });

  it("words a routing reason instead of showing its code", () => {
    const routing = { code: "office_queue", district: "NL-GM-groningen", office_id: 3, office_name: "Fractie Groningen", assignee_id: null, assignee_name: "", count: 0 };
    const nl = routingWord(tIn("nl"), routing, "Wonen");
    expect(nl).toBe("NL-GM-groningen → Fractie Groningen; geen specialist voor Wonen: wachtrij van het kantoor");
    expect(nl).not.toMatch(/office_queue|office 3/);
  });

  it("keeps an unknown code readable rather than failing", () => {
    expect(statusWord(tIn("en"), "archived")).toBe("archived");
  });

  it("formats dates for the locale", () => {
    expect(dateWord("2026-03-05T12:00:00Z", "nl")).toBe("5 mrt 2026");
    expect(dateWord("2026-03-05T12:00:00Z", "en")).toBe("5 Mar 2026");
  });
});

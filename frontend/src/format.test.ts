import { describe, expect, it } from "vitest";
import { formatFor } from "./format";

describe("formats", () => {
  it("write amounts as each language does", () => {
    expect(formatFor("nl").money(25050, "EUR").replace(/\s/g, " ")).toBe("€ 250,50");
    expect(formatFor("en").money(25050, "EUR")).toBe("€250.50");
  });

  it("keep a calendar day the same day and write it in the language", () => {
    expect(formatFor("nl").date("2026-03-01")).toBe("1 mrt 2026");
    expect(formatFor("en").date("2026-03-01")).toBe("1 Mar 2026");
    expect(formatFor("en").date(null)).toBe("–");
  });

  it("count one and many apart", () => {
    expect(formatFor("en").plural(1)).toBe("one");
    expect(formatFor("en").plural(2)).toBe("other");
    expect(formatFor("nl").plural(0)).toBe("other");
  });
});

import { describe, expect, it } from "vitest";
import { countedAtLeast, formatFor } from "./format";
import { translate } from "./i18n";

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

describe("counts", () => {
  it("say a search's capped total as more than that many, in each language", () => {
    for (const [language, more, exact, one] of [
      ["nl", "meer dan 1.000 mensen", "1.000 mensen", "1 persoon"],
      ["en", "more than 1,000 people", "1,000 people", "1 person"],
    ] as const) {
      const t = (key: Parameters<typeof translate>[1], values?: Record<string, string | number>) =>
        translate(language, key, values);
      const format = formatFor(language);
      expect(countedAtLeast(t, format, "total", 1000, true)).toBe(more);
      expect(countedAtLeast(t, format, "total", 1000, false)).toBe(exact);
      expect(countedAtLeast(t, format, "total", 1, false)).toBe(one);
    }
  });
});

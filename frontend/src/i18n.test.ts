import { describe, expect, it } from "vitest";
import { catalogs, translate, type MessageKey } from "./i18n";

describe("catalogs", () => {
  it("say every message in both languages", () => {
    const nl = Object.keys(catalogs.nl).sort();
    const en = Object.keys(catalogs.en).sort();
    expect(en).toEqual(nl);
    for (const language of ["nl", "en"] as const) {
      const empty = Object.entries(catalogs[language]).filter(([, text]) => !text.trim());
      expect(empty, `${language}: empty messages`).toEqual([]);
    }
  });

  it("use the same placeholders in both languages", () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(catalogs.nl) as MessageKey[]) {
      expect(placeholders(catalogs.en[key]), key).toEqual(placeholders(catalogs.nl[key]));
    }
  });
});

describe("translate", () => {
  it("fills in the values", () => {
    expect(translate("en", "welcome", { name: "Anna" })).toBe("Welcome, Anna");
    expect(translate("nl", "welcome", { name: "Anna" })).toBe("Welkom, Anna");
  });
});

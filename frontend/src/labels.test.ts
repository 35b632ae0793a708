// A code a user reads has a label in both languages: every enum of the committed OpenAPI
// document the SPA shows, every plain code it shows, every audit action the backend writes.
import { describe, expect, it } from "vitest";
import openapi from "../openapi.json";
import { formatFor } from "./format";
import { catalogs, translate, type MessageKey } from "./i18n";
import { AUDIT_ACTIONS, labelKey, SHOWN_CODES, SHOWN_ENUMS, type Family } from "./labels";

type Schema = { enum?: unknown[]; oneOf?: Schema[]; anyOf?: Schema[]; items?: Schema; $ref?: string };
type Document = {
  components: { schemas: Record<string, { properties?: Record<string, Schema> }> };
  paths: Record<string, Record<string, { parameters?: { name: string; schema?: Schema }[] }>>;
};
const doc = openapi as unknown as Document;

function enumOf(schema: Schema | undefined): string[] {
  if (!schema) return [];
  if (schema.enum) return schema.enum.filter((v): v is string => typeof v === "string" && v !== "");
  for (const part of [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) {
    const found = enumOf(part);
    if (found.length) return found;
  }
  return enumOf(schema.items);
}

function codesAt(pointer: string): string[] {
  const route = /^(GET|POST|PATCH|PUT|DELETE) (\S+) (\w+)$/.exec(pointer);
  if (route) {
    const parameters = doc.paths[route[2]]?.[route[1].toLowerCase()]?.parameters ?? [];
    return enumOf(parameters.find((p) => p.name === route[3])?.schema);
  }
  const [schema, property] = pointer.split(".");
  return enumOf(doc.components.schemas[schema]?.properties?.[property]);
}

function missing(family: Family, codes: readonly string[]): string[] {
  const gaps: string[] = [];
  for (const code of codes) {
    const key = labelKey(family, code);
    for (const language of ["nl", "en"] as const) {
      const text = (catalogs[language] as Record<string, string>)[key];
      if (!text || !text.trim()) gaps.push(`${language}: ${key} (${code})`);
    }
  }
  return gaps;
}

describe("every code a user reads has a label", () => {
  it("for each enum of the API document the SPA shows", () => {
    for (const [pointer, family] of Object.entries(SHOWN_ENUMS)) {
      const codes = codesAt(pointer);
      expect(codes.length, `${pointer} is no enum in openapi.json`).toBeGreaterThan(0);
      expect(missing(family, codes), pointer).toEqual([]);
    }
  });

  it("for each plain code the SPA shows", () => {
    for (const [family, codes] of Object.entries(SHOWN_CODES)) {
      expect(missing(family as Family, codes ?? []), family).toEqual([]);
    }
  });

  it("for each audit action", () => {
    expect(missing("action", AUDIT_ACTIONS)).toEqual([]);
    expect(translate("nl", "action_person_read")).toBe("Persoon bekeken");
    expect(translate("en", "action_person_read")).toBe("Viewed a person");
  });

  it("and a label is no raw code", () => {
    const raw = /^[a-z]+(_[a-z]+)+$|^[a-z]+\.[a-z_]+$/;
    for (const language of ["nl", "en"] as const) {
      const codes = Object.entries(catalogs[language]).filter(([, text]) => raw.test(text));
      expect(codes, language).toEqual([]);
    }
  });
});

describe("counts read correctly", () => {
  it("in both languages", () => {
    const say = (language: "nl" | "en", count: number) =>
      translate(language, `total_${formatFor(language).plural(count)}` as MessageKey, { count });
    expect(say("en", 1)).toBe("1 person");
    expect(say("en", 2)).toBe("2 people");
    expect(say("nl", 1)).toBe("1 persoon");
    expect(say("nl", 2)).toBe("2 mensen");
  });
});

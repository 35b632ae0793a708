import { describe, expect, it } from "vitest";
import { build, emptyGroup, emptyLeaf, errorsAt, fieldsUsed, placedKeys, replaced, treeOf, valueOf, type FieldOut, type GroupNode, type LeafNode } from "./segmentTree";

const fields: FieldOut[] = [
  { key: "region", label: "Region", group: "person", shareable: true, operators: [{ key: "is", label: "is", value: "text" }] },
  { key: "tag", label: "Tag", group: "person", shareable: true, operators: [{ key: "has", label: "has", value: "choice" }], choices: [{ value: "a", label: "a" }] },
  { key: "city", label: "City", group: "person", shareable: true, operators: [{ key: "in", label: "is one of", value: "choices" }] },
  { key: "dnc", label: "Do not contact", group: "person", shareable: true, operators: [{ key: "yes", label: "yes", value: "none" }] },
  { key: "last_contact", label: "Last contact", group: "contact", shareable: true, operators: [{ key: "within_days", label: "in the last … days", value: "days" }] },
  { key: "contact_by", label: "Contact by", group: "contact", shareable: true, operators: [{ key: "within", label: "within", value: "choice_days" }] },
];

const leaf = (field: string, op: string, value: LeafNode["value"]): LeafNode => ({ ...emptyLeaf(), field, op, value });

describe("the condition tree the builder sends", () => {
  it("nests groups as the API reads them", () => {
    const inner: GroupNode = { ...emptyGroup("any"), items: [leaf("tag", "has", "a"), leaf("tag", "has", "b")] };
    const root: GroupNode = { ...emptyGroup("all"), items: [leaf("region", "is", "NL-GR"), inner] };
    const { definition, paths } = build(root, fields);
    expect(definition).toEqual({
      all: [
        { field: "region", op: "is", value: "NL-GR" },
        { any: [{ field: "tag", op: "has", value: "a" }, { field: "tag", op: "has", value: "b" }] },
      ],
    });
    expect(paths[inner.id]).toBe("definition.all[1]");
    expect(paths[(inner.items[1] as LeafNode).id]).toBe("definition.all[1].any[1]");
  });

  it("leaves out an unpicked condition and an empty group, and numbers the rest as sent", () => {
    const kept = leaf("region", "is", "NL-FR");
    const root: GroupNode = { ...emptyGroup("all"), items: [emptyLeaf(), emptyGroup("none"), kept] };
    const { definition, paths } = build(root, fields);
    expect(definition).toEqual({ all: [{ field: "region", op: "is", value: "NL-FR" }] });
    expect(paths[kept.id]).toBe("definition.all[0]");
  });

  it("counts without a value still to fill in, and saves it so the API names it", () => {
    const root: GroupNode = { ...emptyGroup("any"), items: [leaf("region", "is", ""), leaf("dnc", "yes", "")] };
    expect(build(root, fields, true).definition).toEqual({ any: [{ field: "dnc", op: "yes", value: null }] });
    expect(build(root, fields).definition).toEqual({ any: [{ field: "region", op: "is", value: null }, { field: "dnc", op: "yes", value: null }] });
  });

  it("writes each kind of value as the API reads it", () => {
    expect(valueOf("90", "days")).toBe(90);
    expect(valueOf("Assen, Emmen ,", "choices")).toEqual(["Assen", "Emmen"]);
    expect(valueOf(["a", "b"], "choices")).toEqual(["a", "b"]);
    expect(valueOf({ choice: "email", days: "90" }, "choice_days")).toEqual({ choice: "email", days: 90 });
    expect(valueOf("2026-01-31", "date")).toBe("2026-01-31");
    expect(valueOf("", "none")).toBeNull();
  });

  it("opens a saved definition as a tree that sends the same definition", () => {
    const saved = {
      all: [
        { field: "region", op: "is", value: "NL-GR" },
        { any: [{ field: "city", op: "in", value: ["Assen", "Emmen"] }, { none: [{ field: "last_contact", op: "within_days", value: 30 }] }] },
        { field: "contact_by", op: "within", value: { choice: "email", days: 90 } },
      ],
    };
    expect(build(treeOf(saved), fields).definition).toEqual(saved);
  });

  it("finds the API's messages at their condition and group", () => {
    const bad = leaf("last_contact", "within_days", "99999");
    const inner: GroupNode = { ...emptyGroup("any"), items: [bad] };
    const root: GroupNode = { ...emptyGroup("all"), items: [leaf("region", "is", "NL-GR"), inner] };
    const { paths } = build(root, fields);
    const errors = { "definition.all[1].any[0].value": "last_contact within_days takes a number from 0 to 36500", definition: "cycle" };
    expect(errorsAt(errors, paths[bad.id], bad)).toEqual(["last_contact within_days takes a number from 0 to 36500"]);
    expect(errorsAt(errors, paths[root.id], root)).toEqual(["cycle"]);
    expect(placedKeys(root, paths).has("definition.all[1].any[0].value")).toBe(true);
  });

  it("changes and removes a node anywhere in the tree", () => {
    const target = leaf("region", "is", "NL-GR");
    const inner: GroupNode = { ...emptyGroup("any"), items: [target] };
    const root: GroupNode = { ...emptyGroup("all"), items: [inner] };
    const changed = replaced(root, target.id, (node) => ({ ...node, value: "NL-DR" }) as LeafNode);
    expect(build(changed, fields).definition).toEqual({ all: [{ any: [{ field: "region", op: "is", value: "NL-DR" }] }] });
    expect(build(replaced(root, inner.id, () => null), fields).definition).toEqual({ all: [] });
  });
});

describe("fieldsUsed", () => {
  it("names every field of a nested tree, once filled in", () => {
    const tree = treeOf({ all: [{ field: "region", op: "is", value: "NL-GR" }, { any: [{ field: "tag", op: "has", value: "a" }] }] });
    expect(fieldsUsed(tree)).toEqual(["region", "tag"]);
    expect(fieldsUsed(emptyGroup())).toEqual([]);
  });
});

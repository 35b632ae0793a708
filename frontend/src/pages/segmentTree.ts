// The condition tree as the builder edits it, and the definition the API reads:
// {"all" | "any" | "none": [leaf or group, ...]}, a leaf {"field", "op", "value"}.
// Each node has an id of its own, so React keeps an input's focus as rows come and go, and
// an error the API names by its path in the tree (definition.all[1].any[0].value) finds
// its condition again.
import type { components } from "../api/schema";

export type FieldOut = components["schemas"]["FieldOut"];
export type Join = "all" | "any" | "none";
export const JOINS: readonly Join[] = ["all", "any", "none"];
/** What a value input holds while one edits: a text, a list, or a choice with days. */
export type Draft = string | string[] | { choice: string; days: string };
export type LeafNode = { type: "leaf"; id: number; field: string; op: string; value: Draft };
export type GroupNode = { type: "group"; id: number; join: Join; items: TreeNode[] };
export type TreeNode = LeafNode | GroupNode;
export type Definition = Record<string, unknown[]>;

const NUMBER_KINDS = ["number", "days", "year", "segment"];

let lastId = 0;
export function nextId(): number {
  lastId += 1;
  return lastId;
}

export function emptyLeaf(): LeafNode {
  return { type: "leaf", id: nextId(), field: "", op: "", value: "" };
}

export function emptyGroup(join: Join = "any"): GroupNode {
  return { type: "group", id: nextId(), join, items: [emptyLeaf()] };
}

/** The kind of value a leaf's operator takes (none, text, choice, … choice_days). */
export function kindOf(leaf: { field: string; op: string }, fields: FieldOut[]): string {
  return fields.find((f) => f.key === leaf.field)?.operators.find((o) => o.key === leaf.op)?.value ?? "text";
}

function text(draft: Draft): string {
  if (typeof draft === "string") return draft;
  if (Array.isArray(draft)) return draft.join(", ");
  return draft.choice;
}

/** The value the API reads for a draft of ``kind``; null where nothing is filled in. */
export function valueOf(draft: Draft, kind: string): unknown {
  if (kind === "none") return null;
  if (kind === "choice_days") {
    const pair = typeof draft === "object" && !Array.isArray(draft) ? draft : { choice: text(draft), days: "" };
    if (!pair.choice && pair.days.trim() === "") return null;
    return { choice: pair.choice || null, days: pair.days.trim() === "" ? null : Number(pair.days) };
  }
  if (NUMBER_KINDS.includes(kind)) {
    const value = text(draft).trim();
    return value === "" ? null : Number(value);
  }
  if (kind === "choices") {
    const values = Array.isArray(draft) ? draft : text(draft).split(",");
    const list = values.map((v) => v.trim()).filter(Boolean);
    return list.length ? list : null;
  }
  const value = text(draft);
  return value.trim() === "" ? null : value;
}

/** A draft from a saved value (a number, a list, a choice with days). */
export function draftOf(value: unknown): Draft {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "object") {
    const pair = value as { choice?: unknown; days?: unknown };
    return { choice: String(pair.choice ?? ""), days: pair.days === null || pair.days === undefined ? "" : String(pair.days) };
  }
  return String(value);
}

/** The editable tree of a saved definition (anything unreadable starts as an empty "all"). */
export function treeOf(definition: unknown): GroupNode {
  const group = groupOf(definition);
  return group ?? { type: "group", id: nextId(), join: "all", items: [emptyLeaf()] };
}

function groupOf(node: unknown): GroupNode | null {
  if (!node || typeof node !== "object" || Array.isArray(node)) return null;
  const keys = Object.keys(node);
  const join = keys[0] as Join;
  if (keys.length !== 1 || !JOINS.includes(join)) return null;
  const items = (node as Record<string, unknown>)[join];
  if (!Array.isArray(items)) return null;
  const nodes: TreeNode[] = [];
  for (const item of items) {
    if (item && typeof item === "object" && "field" in item) {
      const leaf = item as { field?: unknown; op?: unknown; value?: unknown };
      nodes.push({ type: "leaf", id: nextId(), field: String(leaf.field ?? ""), op: String(leaf.op ?? ""), value: draftOf(leaf.value) });
    } else {
      const sub = groupOf(item);
      if (sub) nodes.push(sub);
    }
  }
  return { type: "group", id: nextId(), join, items: nodes };
}

/** A definition and, for each node it holds, its path there ("definition.all[1].any[0]"). */
export type Built = { definition: Definition; paths: Record<number, string> };

/**
 * The definition of a tree. A condition without a field is left out, and so is a group left
 * with nothing in it. ``complete`` (the live count) also leaves out a condition whose value
 * is not filled in yet; saving sends it, so the API names what is missing.
 */
export function build(root: GroupNode, fields: FieldOut[], complete = false): Built {
  const paths: Record<number, string> = {};
  function group(node: GroupNode, path: string): Definition {
    const here = `${path}.${node.join}`;
    const items: unknown[] = [];
    for (const item of node.items) {
      const at = `${here}[${items.length}]`;
      if (item.type === "group") {
        const sub = group(item, at);
        if ((sub[item.join] ?? []).length === 0) continue;
        paths[item.id] = at;
        items.push(sub);
        continue;
      }
      if (!item.field || !item.op) continue;
      const kind = kindOf(item, fields);
      const value = valueOf(item.value, kind);
      if (complete && kind !== "none" && (value === null || (typeof value === "object" && Object.values(value).includes(null)))) {
        continue;
      }
      paths[item.id] = at;
      items.push({ field: item.field, op: item.op, value });
    }
    return { [node.join]: items };
  }
  paths[root.id] = "definition";
  return { definition: group(root, "definition"), paths };
}

/** The tree with ``id`` changed by ``change`` (a node, or null to remove it). */
export function replaced(root: GroupNode, id: number, change: (node: TreeNode) => TreeNode | null): GroupNode {
  function walk(node: GroupNode): GroupNode {
    const items: TreeNode[] = [];
    for (const item of node.items) {
      const next = item.id === id ? change(item) : item.type === "group" ? walk(item) : item;
      if (next) items.push(next);
    }
    return { ...node, items };
  }
  if (root.id === id) {
    const next = change(root);
    return next && next.type === "group" ? next : root;
  }
  return walk(root);
}

/** The API's messages for a node: at its path, and under it (a leaf's .field, .op and
 * .value; a group's list, definition.all). */
export function errorsAt(errors: Record<string, string>, path: string | undefined, node: TreeNode): string[] {
  if (!path) return [];
  return keysAt(path, node)
    .map((k) => errors[k])
    .filter((m): m is string => !!m);
}

function keysAt(path: string, node: TreeNode): string[] {
  return node.type === "leaf" ? [path, `${path}.field`, `${path}.op`, `${path}.value`] : [path, `${path}.${node.join}`];
}

/** Every path whose message shows at a node of the tree (the rest shows below it). */
export function placedKeys(root: GroupNode, paths: Record<number, string>): Set<string> {
  const keys = new Set<string>();
  function walk(node: TreeNode) {
    const path = paths[node.id];
    if (path) for (const key of keysAt(path, node)) keys.add(key);
    if (node.type === "group") node.items.forEach(walk);
  }
  walk(root);
  return keys;
}

/** The keys of the fields a tree uses. */
export function fieldsUsed(node: TreeNode): string[] {
  return node.type === "leaf" ? (node.field ? [node.field] : []) : node.items.flatMap(fieldsUsed);
}

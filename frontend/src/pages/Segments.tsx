// Segments: saved audiences. The list (owner, size now, last changed, snapshot, open, edit,
// export), and a builder: a tree of conditions and groups (all / any / none) picked from what
// the API offers, with a live count and the first people as one edits; save a new segment,
// or open a saved one into the builder and change it (one from a file is only shown).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { api } from "../api/client";
import { fieldErrors } from "../api/people";
import { unwrap } from "../api/query";
import type { components } from "../api/schema";
import { Field } from "../components/Field";
import { ErrorMessage, QueryStatus } from "../components/QueryStatus";
import { counted, useFormat } from "../format";
import { useT, useLanguage, type MessageKey, type T } from "../i18n";
import { segments as segmentMessages } from "../messages/segments";
import { useSession } from "../session";
import {
  build,
  emptyGroup,
  emptyLeaf,
  errorsAt,
  fieldsUsed,
  kindOf,
  placedKeys,
  replaced,
  treeOf,
  type Built,
  type Draft,
  type FieldOut,
  type GroupNode,
  type Join,
  type LeafNode,
  type TreeNode,
} from "./segmentTree";

type Segment = components["schemas"]["SegmentOut"];

export const SEGMENTS_KEY = ["segments"] as const;

export function SegmentsPage() {
  const t = useT();
  const format = useFormat();
  const [params] = useSearchParams();
  const opened = Number(params.get("segment") ?? "") || null;
  const segments = useQuery({ queryKey: SEGMENTS_KEY, queryFn: () => unwrap(api.GET("/api/segments")) });
  return (
    <section>
      <h1>{t("segments")}</h1>
      <p>{t("segmentsHelp")}</p>
      {opened ? <OpenedSegment key={opened} segmentId={opened} /> : <SegmentBuilder key="new" />}
      <h2>{t("savedSegments")}</h2>
      <QueryStatus isPending={segments.isPending} error={segments.error} />
      {segments.data && segments.data.length === 0 && <p>{t("noSegments")}</p>}
      {segments.data && segments.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("segmentName")}</th>
              <th scope="col">{t("segmentOwner")}</th>
              <th scope="col">{t("segmentPeople")}</th>
              <th scope="col">{t("segmentChanged")}</th>
              <th scope="col">{t("segmentActions")}</th>
            </tr>
          </thead>
          <tbody>
            {segments.data.map((s) => (
              <SegmentRow key={s.id} segment={s} changed={format.date(s.updated_at)} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** May the signed-in user change this segment (the API refuses one from a file, and one of
 * somebody else unless they administer everything)? */
function useChangeable(segment: Segment | undefined): boolean {
  const { session, can } = useSession();
  if (!segment) return true;
  if (segment.key) return false;
  return segment.owner_id === session?.user.id || can("*");
}

function SegmentRow({ segment, changed }: { segment: Segment; changed: string }) {
  const t = useT();
  const format = useFormat();
  const { can } = useSession();
  const changeable = useChangeable(segment);
  const queryClient = useQueryClient();
  const path = { params: { path: { segment_id: segment.id } } };
  const count = useQuery({
    queryKey: [...SEGMENTS_KEY, segment.id, "count"],
    queryFn: () => unwrap(api.GET("/api/segments/{segment_id}/count", path)),
  });
  const freeze = useMutation({
    mutationFn: () => unwrap(api.POST("/api/segments/{segment_id}/snapshot", path)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: SEGMENTS_KEY }),
  });
  // the people list's export, of this segment's people (the same address the list's link makes)
  const exportLink = (kind: "csv" | "xlsx") => `/api/people/export?${new URLSearchParams({ segment: String(segment.id), format: kind })}`;
  return (
    <tr>
      <td>
        {segment.name}
        {segment.frozen_at && ` · ${t("segmentSnapshot", { date: format.date(segment.frozen_at) })}`}
        {!segment.shared && ` · ${t("segmentPrivate")}`}
      </td>
      <td>{segment.owner_name || t("segmentFromFile")}</td>
      <td>{count.data ? counted(t, format, "segmentCount", count.data.count) : count.error ? t("segmentCountFailed") : t("loading")}</td>
      <td>{changed}</td>
      <td>
        <Link to={`/people?segment=${segment.id}`}>{t("segmentOpenList", { name: segment.name })}</Link>
        {" · "}
        <Link to={`/segments?segment=${segment.id}`} aria-label={t(changeable ? "segmentEdit" : "segmentShow", { name: segment.name })}>
          {t(changeable ? "segmentEditShort" : "segmentShowShort")}
        </Link>
        {can("people.export") && (
          <>
            {" · "}
            <a href={exportLink("csv")} download aria-label={t("segmentExport", { name: segment.name, format: "CSV" })}>
              {t("exportCsv")}
            </a>
            {" · "}
            <a href={exportLink("xlsx")} download aria-label={t("segmentExport", { name: segment.name, format: "Excel" })}>
              {t("exportXlsx")}
            </a>
          </>
        )}{" "}
        {!segment.frozen_at && (
          <button type="button" disabled={freeze.isPending} onClick={() => freeze.mutate()}>
            {t("segmentFreeze")}
          </button>
        )}
        <ErrorMessage error={freeze.error} fallback="saveFailed" />
      </td>
    </tr>
  );
}

// the value a condition's debounced definition settles on, so typing is not a request a key
function useSettled<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  const text = JSON.stringify(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(JSON.parse(text) as T), ms);
    return () => window.clearTimeout(timer);
  }, [text, ms]);
  return settled;
}

function OpenedSegment({ segmentId }: { segmentId: number }) {
  const segment = useQuery({
    queryKey: [...SEGMENTS_KEY, segmentId],
    queryFn: () => unwrap(api.GET("/api/segments/{segment_id}", { params: { path: { segment_id: segmentId } } })),
    staleTime: Infinity, // what the builder starts from: not read again under one's edits
  });
  if (!segment.data) return <QueryStatus isPending={segment.isPending} error={segment.error} />;
  return <SegmentBuilder segment={segment.data} />;
}

/** What every node of the tree needs: the fields, the segments to pick from, the API's
 * messages by path, and how to change the tree. */
type Builder = {
  fields: FieldOut[];
  segments: Segment[];
  errors: Record<string, string>;
  paths: Record<number, string>;
  locked: boolean;
  change: (id: number, to: (node: TreeNode) => TreeNode | null) => void;
};

function SegmentBuilder({ segment }: { segment?: Segment }) {
  const t = useT();
  const language = useLanguage();
  const format = useFormat();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const changeable = useChangeable(segment);
  const frozen = !!segment?.frozen_at;
  const fields = useQuery({
    queryKey: [...SEGMENTS_KEY, "fields", language],
    queryFn: () => unwrap(api.GET("/api/segments/fields")),
    staleTime: 60_000,
  });
  const segments = useQuery({ queryKey: SEGMENTS_KEY, queryFn: () => unwrap(api.GET("/api/segments")) });
  const [name, setName] = useState(segment?.name ?? "");
  const [description, setDescription] = useState(segment?.description ?? "");
  const [shared, setShared] = useState(segment?.shared ?? true);
  const [root, setRoot] = useState<GroupNode>(() => (segment ? treeOf(segment.definition) : treeOf(null)));
  const [saved, setSaved] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const openedId = segment?.id;
  useEffect(() => {
    if (openedId) heading.current?.focus(); // opened from the list: the builder is where one is now
  }, [openedId]);
  const fieldList = fields.data ?? [];
  // a segment on the office's casework stays with its owner: never shared
  const officeOnly = fieldsUsed(root).some((key) => fieldList.find((f) => f.key === key)?.shareable === false);
  const sharing = shared && !officeOnly;
  // the live count leaves out a condition still without its value; it waits for the fields,
  // which say what kind of value each condition takes
  const live = useSettled({ ...build(root, fieldList, true), ready: fields.isSuccess });
  const body = { definition: live.definition };
  const count = useQuery({
    queryKey: [...SEGMENTS_KEY, "count", live.definition],
    queryFn: () => unwrap(api.POST("/api/segments/count", { body })),
    placeholderData: keepPreviousData,
    enabled: live.ready,
    retry: false,
  });
  const preview = useQuery({
    queryKey: [...SEGMENTS_KEY, "preview", live.definition],
    queryFn: () => unwrap(api.POST("/api/segments/preview", { body, params: { query: { limit: 10 } } })),
    placeholderData: keepPreviousData,
    enabled: live.ready && count.isSuccess,
    retry: false,
  });
  const save = useMutation({
    mutationFn: (built: Built) =>
      segment
        ? unwrap(
            api.PATCH("/api/segments/{segment_id}", {
              params: { path: { segment_id: segment.id } },
              body: { name, description, shared: sharing, ...(frozen ? {} : { definition: built.definition }) },
            }),
          )
        : unwrap(api.POST("/api/segments", { body: { name, description, shared: sharing, definition: built.definition } })),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: SEGMENTS_KEY });
      if (segment) setSaved(true);
      else navigate(`/people?segment=${result.id}`);
    },
  });
  // a save's messages name paths in what it sent; the count's, in what it counted
  const failed = save.error ?? count.error;
  const errors = fieldErrors(failed);
  const paths = save.error && save.variables ? save.variables.paths : live.paths;
  // what no input shows (a segment that contains itself, a network failure) shows below the tree
  const placed = placedKeys(root, paths);
  const elsewhere = !failed || Object.keys(errors).length === 0 || Object.keys(errors).some((key) => key !== "name" && !placed.has(key));
  const builder: Builder = {
    fields: fieldList,
    segments: (segments.data ?? []).filter((s) => s.id !== segment?.id),
    errors,
    paths,
    locked: !changeable || frozen,
    change: (id, to) => {
      setSaved(false);
      if (save.error) save.reset();
      setRoot((tree) => replaced(tree, id, to));
    },
  };
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(build(root, fieldList));
  }
  const title = !segment ? t("newSegment") : changeable ? t("editSegment", { name: segment.name }) : t("showSegment", { name: segment.name });
  return (
    <form className="person-form" aria-label={title} onSubmit={submit}>
      <h2 className="full" ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {segment && (
        <p className="full">
          {segment.key ? t("segmentReadOnlyFile") : !changeable ? t("segmentReadOnlyOwner") : frozen ? t("segmentFrozenTree") : null}{" "}
          <Link to="/segments">{t("newSegment")}</Link>
        </p>
      )}
      <QueryStatus isPending={fields.isPending} error={fields.error} />
      <Field text={t("segmentName")} error={errors.name}>
        <input required maxLength={200} value={name} disabled={!changeable} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field text={t("segmentDescription")}>
        <input value={description} disabled={!changeable} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <fieldset>
        <label>
          <input type="checkbox" checked={sharing} disabled={!changeable || officeOnly} onChange={(e) => setShared(e.target.checked)} /> {t("segmentShared")}
        </label>
        {officeOnly && <p>{t("segmentOfficeOnly")}</p>}
      </fieldset>
      <GroupEditor node={root} n="" builder={builder} />
      {elsewhere && <ErrorMessage error={failed} fallback={save.error ? "saveFailed" : "segmentCountFailed"} />}
      {changeable && (
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            {t("segmentSave")}
          </button>
        </div>
      )}
      <p className="full" aria-live="polite">
        {saved ? t("segmentSaved") : ""}
      </p>
      <p className="full" role="status" aria-live="polite">
        {count.data ? counted(t, format, "segmentCount", count.data.count) : count.isError ? t("segmentCountFailed") : t("loading")}
      </p>
      {preview.data && preview.data.items.length > 0 && (
        <ul className="full" aria-label={t("segmentPreview")}>
          {preview.data.items.map((p) => (
            <li key={p.id}>
              <Link to={`/people/${p.id}`}>{p.display_name}</Link> {p.city && `· ${p.city}`}
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}

function joinLabels(t: T, nested: boolean): Record<Join, string> {
  return nested
    ? { all: t("groupJoin_all"), any: t("groupJoin_any"), none: t("groupJoin_none") }
    : { all: t("segmentJoin_all"), any: t("segmentJoin_any"), none: t("segmentJoin_none") };
}

/** A group: all, any or none of its conditions and groups; ``n`` numbers it ("" the root, "2",
 * "2.1"), and its items are numbered under it. */
function GroupEditor({ node, n, builder }: { node: GroupNode; n: string; builder: Builder }) {
  const t = useT();
  const nested = n !== "";
  const labels = joinLabels(t, nested);
  const messages = errorsAt(builder.errors, builder.paths[node.id], node);
  const add = (item: TreeNode) => builder.change(node.id, (g) => (g.type === "group" ? { ...g, items: [...g.items, item] } : g));
  const join = (
    <select
      value={node.join}
      aria-label={nested ? t("groupJoin", { n }) : undefined}
      onChange={(e) => builder.change(node.id, (g) => ({ ...g, join: e.target.value as Join }))}
    >
      {(Object.keys(labels) as Join[]).map((j) => (
        <option key={j} value={j}>
          {labels[j]}
        </option>
      ))}
    </select>
  );
  const items = (
    <ol className="conditions">
      {node.items.map((item, i) => {
        const at = nested ? `${n}.${i + 1}` : String(i + 1);
        return (
          <li key={item.id}>
            {item.type === "group" ? <GroupEditor node={item} n={at} builder={builder} /> : <LeafEditor leaf={item} n={at} builder={builder} />}
          </li>
        );
      })}
    </ol>
  );
  const buttons = (
    <div className="actions">
      <button type="button" onClick={() => add(emptyLeaf())}>
        {nested ? t("conditionAddTo", { n }) : t("conditionAdd")}
      </button>
      <button type="button" onClick={() => add(emptyGroup())}>
        {nested ? t("groupAddTo", { n }) : t("groupAdd")}
      </button>
      {nested && (
        <button type="button" onClick={() => builder.change(node.id, () => null)}>
          {t("groupRemove", { n })}
        </button>
      )}
    </div>
  );
  const alerts = messages.map((m) => (
    <small key={m} className="error" role="alert">
      {m}
    </small>
  ));
  if (!nested) {
    return (
      <fieldset className="full condition-tree" disabled={builder.locked}>
        <legend>{t("segmentConditions")}</legend>
        <Field text={t("segmentJoin")}>{join}</Field>
        {items}
        {buttons}
        {alerts}
      </fieldset>
    );
  }
  return (
    <fieldset className="condition-group">
      <legend>{t("groupLegend", { n })}</legend>
      {join}
      {items}
      {buttons}
      {alerts}
    </fieldset>
  );
}

function LeafEditor({ leaf, n, builder }: { leaf: LeafNode; n: string; builder: Builder }) {
  const t = useT();
  const { fields } = builder;
  const field = fields.find((f) => f.key === leaf.field);
  const op = field?.operators.find((o) => o.key === leaf.op);
  const groups = [...new Set(fields.map((f) => f.group))];
  const messages = errorsAt(builder.errors, builder.paths[leaf.id], leaf);
  const update = (change: Partial<LeafNode>) => builder.change(leaf.id, (node) => ({ ...node, ...change }) as TreeNode);
  return (
    <>
      <select
        aria-label={t("conditionField", { n })}
        value={leaf.field}
        onChange={(e) => {
          const next = fields.find((f) => f.key === e.target.value);
          update({ field: e.target.value, op: next?.operators[0]?.key ?? "", value: "" });
        }}
      >
        <option value="">{t("conditionPick")}</option>
        {/* a saved field this reader may not use (or no longer exists) still shows */}
        {leaf.field && !field && <option value={leaf.field}>{leaf.field}</option>}
        {groups.map((g) => (
          <optgroup key={g} label={groupLabel(t, g)}>
            {fields
              .filter((f) => f.group === g)
              .map((f) => (
                <option key={f.key} value={f.key}>
                  {f.label}
                </option>
              ))}
          </optgroup>
        ))}
      </select>{" "}
      {field && (
        <select aria-label={t("conditionOperator", { n })} value={leaf.op} onChange={(e) => update({ op: e.target.value, value: "" })}>
          {field.operators.map((o) => (
            <option key={o.key} value={o.key}>
              {o.label}
            </option>
          ))}
        </select>
      )}{" "}
      {op && op.value !== "none" && (
        // keyed by the comparison: a new one starts from an empty input of its own
        <ConditionValue key={`${leaf.field}:${leaf.op}`} n={n} kind={kindOf(leaf, fields)} field={field} segments={builder.segments} value={leaf.value} onChange={(value) => update({ value })} />
      )}{" "}
      <button type="button" onClick={() => builder.change(leaf.id, () => null)} aria-label={t("conditionRemove", { n })}>
        ×
      </button>
      {messages.map((m) => (
        <small key={m} className="error" role="alert">
          {t("conditionProblem", { n, message: m })}
        </small>
      ))}
    </>
  );
}

// a group of fields the SPA has no words for yet shows by its name rather than failing
function groupLabel(t: T, group: string): string {
  const key = `conditionGroup_${group}`;
  return key in segmentMessages.nl ? t(key as MessageKey) : group;
}

function asText(value: Draft): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.join(", ");
  return value.choice;
}

type Choice = components["schemas"]["ChoiceOut"];

function ChoiceSelect({ label, choices, value, onChange }: { label: string; choices: Choice[]; value: string; onChange: (value: string) => void }) {
  const t = useT();
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t("conditionPick")}</option>
      {choices.map((c) => (
        <option key={c.value} value={c.value}>
          {c.label}
        </option>
      ))}
    </select>
  );
}

/** The input of a value of ``kind`` (VALUE_KINDS of the condition engine, and choice_days). */
export function ConditionValue({
  n,
  kind,
  field,
  segments,
  value,
  onChange,
}: {
  n: string;
  kind: string;
  field: FieldOut | undefined;
  segments: Segment[];
  value: Draft;
  onChange: (value: Draft) => void;
}) {
  const t = useT();
  const label = t("conditionValue", { n });
  const choices = field?.choices ?? null;
  if (kind === "choice_days") {
    const pair = typeof value === "object" && !Array.isArray(value) ? value : { choice: asText(value), days: "" };
    return (
      <>
        {choices ? (
          <ChoiceSelect label={label} choices={choices} value={pair.choice} onChange={(choice) => onChange({ ...pair, choice })} />
        ) : (
          <input aria-label={label} value={pair.choice} onChange={(e) => onChange({ ...pair, choice: e.target.value })} />
        )}{" "}
        <input
          aria-label={t("conditionDays", { n })}
          type="number"
          min={0}
          max={36500}
          step={1}
          value={pair.days}
          onChange={(e) => onChange({ ...pair, days: e.target.value })}
        />
      </>
    );
  }
  if (kind === "choice" && choices) {
    return <ChoiceSelect label={label} choices={choices} value={asText(value)} onChange={onChange} />;
  }
  if (kind === "choices" && choices) {
    const picked = Array.isArray(value) ? value : asText(value).split(",").map((v) => v.trim()).filter(Boolean);
    return (
      <select
        aria-label={t("conditionValues", { n })}
        multiple
        value={picked}
        onChange={(e) => onChange([...e.target.selectedOptions].map((o) => o.value))}
      >
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    );
  }
  if (kind === "choices") {
    return <input aria-label={t("conditionValuesText", { n })} value={asText(value)} onChange={(e) => onChange(e.target.value)} />;
  }
  if (kind === "segment") {
    return (
      <select aria-label={label} value={asText(value)} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t("conditionPick")}</option>
        {value !== "" && !segments.some((s) => String(s.id) === asText(value)) && <option value={asText(value)}>{asText(value)}</option>}
        {segments.map((s) => (
          <option key={s.id} value={String(s.id)}>
            {s.name}
          </option>
        ))}
      </select>
    );
  }
  if (kind === "number" || kind === "days" || kind === "year") {
    const [min, max] = kind === "days" ? [0, 36500] : kind === "year" ? [1900, 2200] : [0, undefined];
    return (
      <input aria-label={label} type="number" min={min} max={max} step={1} value={asText(value)} onChange={(e) => onChange(e.target.value)} />
    );
  }
  if (kind === "date" || kind === "moment") {
    return <input aria-label={label} type="date" value={asText(value)} onChange={(e) => onChange(e.target.value)} />;
  }
  return <input aria-label={label} value={asText(value)} onChange={(e) => onChange(e.target.value)} />;
}

export function SegmentNotice({ segmentId, onClear }: { segmentId: number; onClear: () => void }) {
  const t = useT();
  const segment = useQuery({
    queryKey: [...SEGMENTS_KEY, segmentId],
    queryFn: () => unwrap(api.GET("/api/segments/{segment_id}", { params: { path: { segment_id: segmentId } } })),
  });
  return (
    <p role="note">
      {segment.data ? t("peopleOfSegment", { name: segment.data.name }) : segment.error ? t("segmentCountFailed") : t("loading")}{" "}
      <button type="button" onClick={onClear}>
        {t("showEveryone")}
      </button>
    </p>
  );
}

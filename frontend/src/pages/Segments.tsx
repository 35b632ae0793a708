// Segments: saved audiences. The list (owner, size now, last changed, snapshot), and a
// builder: a group of conditions (all / any / none) picked from what the API offers, with a
// live count and the first people as one edits; save, freeze a snapshot, open the list.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api } from "../api/client";
import { fieldErrors } from "../api/people";
import { unwrap } from "../api/query";
import type { components } from "../api/schema";
import { Field } from "../components/Field";
import { ErrorMessage, QueryStatus } from "../components/QueryStatus";
import { counted, useFormat } from "../format";
import { useT, useLanguage } from "../i18n";

type FieldOut = components["schemas"]["FieldOut"];
type Segment = components["schemas"]["SegmentOut"];
type Join = "all" | "any" | "none";
type Row = { field: string; op: string; value: string };
type Leaf = { field: string; op: string; value: unknown };

export const SEGMENTS_KEY = ["segments"] as const;

export function SegmentsPage() {
  const t = useT();
  const format = useFormat();
  const segments = useQuery({ queryKey: SEGMENTS_KEY, queryFn: () => unwrap(api.GET("/api/segments")) });
  return (
    <section>
      <h1>{t("segments")}</h1>
      <p>{t("segmentsHelp")}</p>
      <SegmentBuilder />
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

function SegmentRow({ segment, changed }: { segment: Segment; changed: string }) {
  const t = useT();
  const format = useFormat();
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
        <Link to={`/people?segment=${segment.id}`}>{t("segmentOpenList", { name: segment.name })}</Link>{" "}
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

function valueOf(row: Row, kind: string): unknown {
  if (kind === "none") return null;
  if (["number", "days", "year", "segment"].includes(kind)) return row.value === "" ? null : Number(row.value);
  if (kind === "choices") return row.value.split(",").map((v) => v.trim()).filter(Boolean);
  return row.value;
}

function definitionOf(join: Join, rows: Row[], fields: FieldOut[]): Record<string, Leaf[]> {
  const leaves = rows
    .filter((r) => r.field && r.op)
    .map((r) => {
      const kind = fields.find((f) => f.key === r.field)?.operators.find((o) => o.key === r.op)?.value ?? "text";
      return { field: r.field, op: r.op, value: valueOf(r, kind) };
    });
  return { [join]: leaves };
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

function SegmentBuilder() {
  const t = useT();
  const language = useLanguage();
  const format = useFormat();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const fields = useQuery({
    queryKey: [...SEGMENTS_KEY, "fields", language],
    queryFn: () => unwrap(api.GET("/api/segments/fields")),
    staleTime: 60_000,
  });
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [shared, setShared] = useState(true);
  const [join, setJoin] = useState<Join>("all");
  const [rows, setRows] = useState<Row[]>([{ field: "", op: "", value: "" }]);
  const definition = useSettled(definitionOf(join, rows, fields.data ?? []));
  const body = { definition };
  const count = useQuery({
    queryKey: [...SEGMENTS_KEY, "count", definition],
    queryFn: () => unwrap(api.POST("/api/segments/count", { body })),
    placeholderData: keepPreviousData,
    enabled: fields.isSuccess,
    retry: false,
  });
  const preview = useQuery({
    queryKey: [...SEGMENTS_KEY, "preview", definition],
    queryFn: () => unwrap(api.POST("/api/segments/preview", { body, params: { query: { limit: 10 } } })),
    placeholderData: keepPreviousData,
    enabled: fields.isSuccess && count.isSuccess,
    retry: false,
  });
  const save = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/segments", { body: { name, description, shared, definition: definitionOf(join, rows, fields.data ?? []) } })),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: SEGMENTS_KEY });
      navigate(`/people?segment=${saved.id}`);
    },
  });
  const errors = fieldErrors(save.error ?? count.error);
  const groups = [...new Set((fields.data ?? []).map((f) => f.group))];
  function update(i: number, change: Partial<Row>) {
    setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <form className="person-form" aria-label={t("newSegment")} onSubmit={submit}>
      <h2 className="full">{t("newSegment")}</h2>
      <QueryStatus isPending={fields.isPending} error={fields.error} />
      <Field text={t("segmentName")} error={errors.name}>
        <input required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field text={t("segmentDescription")}>
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <fieldset>
        <label>
          <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} /> {t("segmentShared")}
        </label>
      </fieldset>
      <Field text={t("segmentJoin")}>
        <select value={join} onChange={(e) => setJoin(e.target.value as Join)}>
          <option value="all">{t("segmentJoin_all")}</option>
          <option value="any">{t("segmentJoin_any")}</option>
          <option value="none">{t("segmentJoin_none")}</option>
        </select>
      </Field>
      <ol className="full conditions">
        {rows.map((row, i) => {
          const field = fields.data?.find((f) => f.key === row.field);
          const op = field?.operators.find((o) => o.key === row.op);
          const n = i + 1;
          const error = errors[`definition.${join}[${i}].value`] ?? errors[`definition.${join}[${i}].field`];
          return (
            <li key={i}>
              <select
                aria-label={t("conditionField", { n })}
                value={row.field}
                onChange={(e) => {
                  const next = fields.data?.find((f) => f.key === e.target.value);
                  update(i, { field: e.target.value, op: next?.operators[0]?.key ?? "", value: "" });
                }}
              >
                <option value="">{t("conditionPick")}</option>
                {groups.map((g) => (
                  <optgroup key={g} label={t(`conditionGroup_${g}` as never)}>
                    {fields.data
                      ?.filter((f) => f.group === g)
                      .map((f) => (
                        <option key={f.key} value={f.key}>
                          {f.label}
                        </option>
                      ))}
                  </optgroup>
                ))}
              </select>{" "}
              {field && (
                <select aria-label={t("conditionOperator", { n })} value={row.op} onChange={(e) => update(i, { op: e.target.value, value: "" })}>
                  {field.operators.map((o) => (
                    <option key={o.key} value={o.key}>
                      {o.label}
                    </option>
                  ))}
                </select>
              )}{" "}
              {op && op.value !== "none" && (
                <ConditionValue n={n} kind={op.value} field={field} value={row.value} onChange={(value) => update(i, { value })} />
              )}{" "}
              <button type="button" onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label={t("conditionRemove", { n })}>
                ×
              </button>
              {error && (
                <small className="error" role="alert">
                  {error}
                </small>
              )}
            </li>
          );
        })}
      </ol>
      <div className="actions">
        <button type="button" onClick={() => setRows([...rows, { field: "", op: "", value: "" }])}>
          {t("conditionAdd")}
        </button>
        <button type="submit" disabled={save.isPending}>
          {t("segmentSave")}
        </button>
      </div>
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
      <ErrorMessage error={save.error} fallback="saveFailed" />
    </form>
  );
}

function ConditionValue({
  n,
  kind,
  field,
  value,
  onChange,
}: {
  n: number;
  kind: string;
  field: FieldOut | undefined;
  value: string;
  onChange: (value: string) => void;
}) {
  const t = useT();
  const label = t("conditionValue", { n });
  if (kind === "choice" && field?.choices) {
    return (
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t("conditionPick")}</option>
        {field.choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    );
  }
  if (["number", "days", "year", "segment"].includes(kind)) {
    return <input aria-label={label} type="number" min={0} value={value} onChange={(e) => onChange(e.target.value)} />;
  }
  if (kind === "date") {
    return <input aria-label={label} type="date" value={value} onChange={(e) => onChange(e.target.value)} />;
  }
  return <input aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} />;
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

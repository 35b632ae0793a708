// Offices for an admin: the list, a new office for an area (with whom it serves), and one
// office: its details, its staff and their topics, and deactivating it.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { api } from "../api/client";
import { fieldErrors } from "../api/people";
import { ApiError, unwrap } from "../api/query";
import type { components } from "../api/schema";
import { Field } from "../components/Field";
import { ErrorMessage, QueryStatus } from "../components/QueryStatus";
import { useFormat } from "../format";
import { useT } from "../i18n";
import { label, SHOWN_CODES } from "../labels";
import { useSession } from "../session";
import { statusWord } from "./caseWords";

type Office = components["schemas"]["OfficeOut"];
type Kind = components["schemas"]["OfficeCreate"]["kind"];

const KINDS: Kind[] = ["municipal", "district", "capitol", "branch"];
export const OFFICES_KEY = ["offices"] as const;

export function OfficesPage() {
  const t = useT();
  const offices = useQuery({ queryKey: OFFICES_KEY, queryFn: () => unwrap(api.GET("/api/offices")) });
  const { can } = useSession();
  const [filter, setFilter] = useState("");
  const needle = filter.trim().toLowerCase();
  // an active office whose representative's term ended waits for decisions: listed first
  const waiting = (o: Office) => Number(Boolean(o.term_ended && o.active !== false));
  const shown = (offices.data ?? [])
    .filter(
      (o) =>
        !needle ||
        [o.name, o.jurisdiction_name, o.district, o.representative].some((v) => (v ?? "").toLowerCase().includes(needle)),
    )
    .sort((a, b) => waiting(b) - waiting(a));
  return (
    <section>
      <h1>{t("offices")}</h1>
      <p>{t("officesHelp")}</p>
      {can("offices.manage") && <NewOffice />}
      <QueryStatus isPending={offices.isPending} error={offices.error} />
      {offices.data && (
        <p>
          <label>
            {t("officeFilter")} <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
          </label>{" "}
          <span role="status">{t("officeCount", { shown: Math.min(shown.length, 200), count: offices.data.length })}</span>
        </p>
      )}
      {offices.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("officeName")}</th>
              <th scope="col">{t("officeKind")}</th>
              <th scope="col">{t("officeArea")}</th>
              <th scope="col">{t("officeRepresentative")}</th>
              <th scope="col">{t("staff")}</th>
              <th scope="col">{t("status")}</th>
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, 200).map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/offices/${o.id}`}>{o.name}</Link>
                </td>
                <td>{label(t, "officeKind", o.kind ?? "district")}</td>
                <td>{o.jurisdiction_name || o.district || "–"}</td>
                <td>
                  {o.representative || "–"}
                  {o.party ? ` (${o.party})` : ""}
                </td>
                <td>{o.staff.length}</td>
                <td>
                  {o.active === false ? t("accountInactive") : t("accountActive")}
                  {o.term_ended && ` · ${t("termEndedShort")}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** An area typed by name and picked from the current jurisdictions: its text and its code. */
function useArea(kind?: string) {
  const listId = useId();
  const [area, setArea] = useState("");
  const areas = useQuery({
    queryKey: ["jurisdictions", area, kind],
    queryFn: () => unwrap(api.GET("/api/jurisdictions", { params: { query: { q: area, kind: kind ?? null } } })),
    enabled: area.trim().length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 300_000,
  });
  // a name picked from the list stands for its code; a typed code is taken as it is
  const code = areas.data?.find((a) => a.name === area || a.code === area)?.code ?? area;
  const input = (
    <input required list={listId} value={area} onChange={(e) => setArea(e.target.value)} autoComplete="off" />
  );
  const list = (
    <datalist id={listId}>
      {areas.data?.map((a) => (
        <option key={a.code} value={a.name}>
          {a.code}
        </option>
      ))}
    </datalist>
  );
  return { area, setArea, code, input, list, known: areas.data?.some((a) => a.code === code) ?? false };
}

function NewOffice() {
  const t = useT();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<Kind>("municipal");
  const [representative, setRepresentative] = useState("");
  const [party, setParty] = useState("");
  const [address, setAddress] = useState("");
  const [phone, setPhone] = useState("");
  const area = useArea(kind === "municipal" || kind === "branch" ? "municipality" : undefined);
  const code = area.code;
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/offices", {
          body: { name, kind, jurisdiction: code, representative, party, address, phone },
        }),
      ),
    onSuccess: () => {
      setName("");
      area.setArea("");
      setRepresentative("");
      setParty("");
      setAddress("");
      setPhone("");
      return queryClient.invalidateQueries({ queryKey: OFFICES_KEY });
    },
  });
  const errors = fieldErrors(create.error);
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <section aria-labelledby="new-office">
      <h2 id="new-office">{t("newOffice")}</h2>
      <form onSubmit={submit} aria-labelledby="new-office" className="person-form">
        <Field text={t("officeName")} error={errors.name}>
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field text={t("officeKind")}>
          <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {label(t, "officeKind", k)}
              </option>
            ))}
          </select>
        </Field>
        <Field text={t("officeArea")} error={errors.jurisdiction} help={t("officeAreaHelp")}>
          {area.input}
        </Field>
        {area.list}
        <Field text={t("officeRepresentative")} error={errors.representative}>
          <input required value={representative} onChange={(e) => setRepresentative(e.target.value)} />
        </Field>
        <Field text={t("officeParty")}>
          <input value={party} onChange={(e) => setParty(e.target.value)} />
        </Field>
        <Field text={t("officeAddress")}>
          <input value={address} onChange={(e) => setAddress(e.target.value)} />
        </Field>
        <Field text={t("officePhone")}>
          <input value={phone} onChange={(e) => setPhone(e.target.value)} />
        </Field>
        <div className="actions">
          <button type="submit" disabled={create.isPending}>
            {t("createOffice")}
          </button>
        </div>
      </form>
      <ErrorMessage error={create.error} fallback="saveFailed" />
      {create.data && <p role="status">{t("officeCreated", { name: create.data.name })}</p>}
    </section>
  );
}

export function OfficePage() {
  const t = useT();
  const officeId = Number(useParams().officeId);
  const office = useQuery({
    queryKey: [...OFFICES_KEY, officeId],
    queryFn: () => unwrap(api.GET("/api/offices/{office_id}", { params: { path: { office_id: officeId } } })),
  });
  return (
    <section>
      <p>
        <Link to="/offices">{t("backToOffices")}</Link>
      </p>
      {office.error ? (
        <ErrorMessage error={office.error} fallback="noSuchOffice" />
      ) : office.isPending ? (
        <p className="loading">{t("loading")}</p>
      ) : (
        <OfficeDetail key={JSON.stringify(office.data)} office={office.data} />
      )}
    </section>
  );
}

function OfficeDetail({ office }: { office: Office }) {
  const t = useT();
  const format = useFormat();
  const queryClient = useQueryClient();
  const { can, session } = useSession();
  const [name, setName] = useState(office.name);
  const [address, setAddress] = useState(office.address);
  const [phone, setPhone] = useState(office.phone);
  const path = { params: { path: { office_id: office.id } } };
  const refresh = () => queryClient.invalidateQueries({ queryKey: OFFICES_KEY });
  const save = useMutation({
    mutationFn: (body: components["schemas"]["OfficeUpdate"]) =>
      unwrap(api.PATCH("/api/offices/{office_id}", { ...path, body })),
    onSuccess: refresh,
  });
  const topic = useMutation({
    mutationFn: (body: { user_id: number; topic: string }) =>
      unwrap(api.POST("/api/offices/{office_id}/topics", { ...path, body })),
    onSuccess: refresh,
  });
  const openCases =
    save.error instanceof ApiError && save.error.status === 409
      ? ((save.error.problem as { open_cases?: string[] }).open_cases ?? [])
      : [];
  const manage = can("offices.manage");
  const ownOffice = session?.user.role === "representative" && session.user.office_id === office.id;
  return (
    <>
      <h1>{office.name}</h1>
      <dl>
        <dt>{t("officeKind")}</dt>
        <dd>{label(t, "officeKind", office.kind ?? "district")}</dd>
        <dt>{t("officeArea")}</dt>
        <dd>
          {office.jurisdiction_name || "–"} {office.district && <code>{office.district}</code>}
        </dd>
        <dt>{t("officeRepresentative")}</dt>
        <dd>
          {office.representative || "–"}
          {office.party ? ` (${office.party})` : ""}
        </dd>
        <dt>{t("status")}</dt>
        <dd>{office.active === false ? t("accountInactive") : t("accountActive")}</dd>
      </dl>
      {office.term_ended && (
        <div className="notice" role="note">
          <p>{t("termEnded", { date: format.date(office.term_ended), count: office.open_cases?.length ?? 0 })}</p>
          <p>{label(t, "seatStatus", office.seat_status ?? "held")}</p>
        </div>
      )}
      {office.term_ended && (manage || ownOffice) && (
        <Handover officeId={office.id} />
      )}
      {manage && (
        <form
          className="person-form"
          aria-label={office.name}
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ name, address, phone });
          }}
        >
          <Field text={t("officeName")}>
            <input required value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field text={t("officeAddress")}>
            <input value={address} onChange={(e) => setAddress(e.target.value)} />
          </Field>
          <Field text={t("officePhone")}>
            <input value={phone} onChange={(e) => setPhone(e.target.value)} />
          </Field>
          <div className="actions">
            <button type="submit" disabled={save.isPending}>
              {t("save")}
            </button>
            {office.active === false ? (
              <button type="button" onClick={() => save.mutate({ active: true })}>
                {t("officeActivate")}
              </button>
            ) : (
              <button
                type="button"
                className="danger"
                onClick={() => {
                  if (window.confirm(t("officeDeactivateConfirm", { name: office.name }))) save.mutate({ active: false });
                }}
              >
                {t("officeDeactivate")}
              </button>
            )}
          </div>
        </form>
      )}
      <ErrorMessage error={save.error ?? topic.error} fallback="saveFailed" />
      {openCases.length > 0 && (
        <p className="error">
          {t("officeOpenCases", { references: "" })}
          {openCases.map((ref, i) => (
            <span key={ref}>
              {i > 0 && ", "}
              <Link to={`/cases?q=${encodeURIComponent(ref)}`}>{ref}</Link>
            </span>
          ))}
        </p>
      )}
      <h2>{t("officeStaff")}</h2>
      {office.staff.length === 0 && <p>{t("officeNoStaff")}</p>}
      {office.staff.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("accountName")}</th>
              <th scope="col">{t("accountRole")}</th>
              <th scope="col">{t("officeTopics")}</th>
              {manage && <th scope="col">{t("assignTopic")}</th>}
            </tr>
          </thead>
          <tbody>
            {office.staff.map((s) => (
              <tr key={s.id}>
                <td>{can("users.read") ? <Link to={`/users/${s.id}`}>{s.name}</Link> : s.name}</td>
                <td>{label(t, "userRole", s.role)}</td>
                <td>{s.topics.map((code) => label(t, "topic", code)).join(", ") || "–"}</td>
                {manage && (
                  <td>
                    <TopicPicker name={s.name} onPick={(code) => topic.mutate({ user_id: s.id, topic: code })} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function TopicPicker({ name, onPick }: { name: string; onPick: (topic: string) => void }) {
  const t = useT();
  return (
    <select
      aria-label={`${t("assignTopic")}: ${name}`}
      value=""
      onChange={(e) => {
        if (e.target.value) onPick(e.target.value);
      }}
    >
      <option value="">{t("assignTopic")}…</option>
      {(SHOWN_CODES.topic ?? []).map((code) => (
        <option key={code} value={code}>
          {label(t, "topic", code)}
        </option>
      ))}
    </select>
  );
}

export function AreaDataPage() {
  const t = useT();
  const format = useFormat();
  const versions = useQuery({
    queryKey: ["data-versions"],
    queryFn: () => unwrap(api.GET("/api/jurisdictions/versions")),
  });
  return (
    <section>
      <h1>{t("areaData")}</h1>
      <p>{t("areaDataHelp")}</p>
      <CouncilFile />
      <Representatives />
      <QueryStatus isPending={versions.isPending} error={versions.error} />
      {versions.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("dataWhat")}</th>
              <th scope="col">{t("dataSource")}</th>
              <th scope="col">{t("dataFrom")}</th>
              <th scope="col">{t("dataTo")}</th>
              <th scope="col">{t("dataCount")}</th>
              <th scope="col">{t("dataCurrent")}</th>
            </tr>
          </thead>
          <tbody>
            {versions.data.map((v) => (
              <tr key={`${v.what}-${v.source}-${v.valid_from}-${v.valid_to}`}>
                <td>{label(t, "dataKind", v.what)}</td>
                <td>{v.source ? <code>{v.source}</code> : t("dataBySpa")}</td>
                <td>{format.date(v.valid_from)}</td>
                <td>{v.valid_to ? format.date(v.valid_to) : "–"}</td>
                <td>{format.number(v.count)}</td>
                <td>{v.current ? t("dataCurrentYes") : t("dataCurrentNo")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CouncilFile() {
  const t = useT();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const load = useMutation({
    mutationFn: (chosen: File) =>
      unwrap(
        api.POST("/api/jurisdictions/councils", {
          body: { file: "" },
          bodySerializer: () => {
            const form = new FormData();
            form.append("file", chosen);
            return form;
          },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["data-versions"] }),
  });
  return (
    <section aria-labelledby="council-file">
      <h2 id="council-file">{t("councilFile")}</h2>
      <p>{t("councilFileHelp")}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (file) load.mutate(file);
        }}
      >
        <label>
          {t("councilFileChoose")}{" "}
          <input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>{" "}
        <button type="submit" disabled={!file || load.isPending}>
          {t("councilFileLoad")}
        </button>
      </form>
      <ErrorMessage error={load.error} fallback="saveFailed" />
      {load.data && (
        <div role="status">
          <p>{t("councilFileLoaded", { added: load.data.added, updated: load.data.updated, bad: load.data.bad.length })}</p>
          {load.data.bad.length > 0 && (
            <ul>
              {load.data.bad.map((b) => (
                <li key={b.line}>{t("lineReason", { line: b.line, reason: b.reason })}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

type Chamber = components["schemas"]["RepresentativeCreate"]["chamber"];
const CHAMBERS: Chamber[] = ["council", "alderman", "mayor", "states", "house", "senate", "parliament"];

function Representatives() {
  const t = useT();
  const format = useFormat();
  const queryClient = useQueryClient();
  const area = useArea();
  const key = ["representatives", area.code];
  const reps = useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET("/api/representatives", { params: { query: { jurisdiction: area.code } } })),
    enabled: area.known,
  });
  const [name, setName] = useState("");
  const [chamber, setChamber] = useState<Chamber>("council");
  const [party, setParty] = useState("");
  const [from, setFrom] = useState("");
  const [ends, setEnds] = useState<Record<number, string>>({});
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: key }),
      queryClient.invalidateQueries({ queryKey: ["data-versions"] }),
    ]);
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/representatives", {
          body: { jurisdiction: area.code, name, chamber, party, valid_from: from, valid_to: null },
        }),
      ),
    onSuccess: () => {
      setName("");
      setParty("");
      return refresh();
    },
  });
  const end = useMutation({
    mutationFn: ({ id, on }: { id: number; on: string }) =>
      unwrap(api.PATCH("/api/representatives/{rep_id}", { params: { path: { rep_id: id } }, body: { valid_to: on } })),
    onSuccess: refresh,
  });
  const errors = fieldErrors(add.error);
  return (
    <section aria-labelledby="representatives">
      <h2 id="representatives">{t("representativesOfArea")}</h2>
      <Field text={t("officeArea")} help={t("officeAreaHelp")}>
        {area.input}
      </Field>
      {area.list}
      <QueryStatus isPending={reps.isPending && area.known} error={reps.error} />
      <ErrorMessage error={end.error} fallback="saveFailed" />
      {reps.data && reps.data.length === 0 && <p>{t("noRepresentatives")}</p>}
      {reps.data && reps.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("accountName")}</th>
              <th scope="col">{t("dataWhat")}</th>
              <th scope="col">{t("officeParty")}</th>
              <th scope="col">{t("dataFrom")}</th>
              <th scope="col">{t("dataTo")}</th>
              <th scope="col">{t("endTerm")}</th>
            </tr>
          </thead>
          <tbody>
            {reps.data.map((r) => (
              <tr key={r.id}>
                <td>{r.name}</td>
                <td>{label(t, "dataKind", r.chamber)}</td>
                <td>{r.party || "–"}</td>
                <td>{format.date(r.valid_from)}</td>
                <td>{r.valid_to ? format.date(r.valid_to) : "–"}</td>
                <td>
                  {r.current && (
                    <form
                      onSubmit={(e) => {
                        e.preventDefault();
                        if (ends[r.id]) end.mutate({ id: r.id, on: ends[r.id] });
                      }}
                    >
                      <input
                        type="date"
                        aria-label={`${t("endTermOn")}: ${r.name}`}
                        value={ends[r.id] ?? ""}
                        onChange={(e) => setEnds({ ...ends, [r.id]: e.target.value })}
                      />{" "}
                      <button type="submit" disabled={!ends[r.id] || end.isPending}>
                        {t("endTerm")}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {area.known && (
        <form
          className="person-form"
          aria-label={t("addRepresentative")}
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <Field text={t("accountName")} error={errors.name}>
            <input required value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field text={t("dataWhat")}>
            <select value={chamber} onChange={(e) => setChamber(e.target.value as Chamber)}>
              {CHAMBERS.map((c) => (
                <option key={c} value={c}>
                  {label(t, "dataKind", c)}
                </option>
              ))}
            </select>
          </Field>
          <Field text={t("officeParty")}>
            <input value={party} onChange={(e) => setParty(e.target.value)} />
          </Field>
          <Field text={t("dataFrom")} error={errors.valid_from}>
            <input required type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </Field>
          <div className="actions">
            <button type="submit" disabled={add.isPending}>
              {t("addRepresentative")}
            </button>
          </div>
        </form>
      )}
      <ErrorMessage error={add.error} fallback="saveFailed" />
    </section>
  );
}

type HandoverData = components["schemas"]["Handover"];

// An office whose seat changed hands: a recorded decision for each open case (transfer with
// the constituent's consent, or close) and, for an admin, a review of each staff account.
function Handover({ officeId }: { officeId: number }) {
  const t = useT();
  const format = useFormat();
  const queryClient = useQueryClient();
  const key = [...OFFICES_KEY, officeId, "handover"];
  const path = { params: { path: { office_id: officeId } } };
  const handover = useQuery({ queryKey: key, queryFn: () => unwrap(api.GET("/api/offices/{office_id}/handover", path)) });
  const done = (data: HandoverData) => {
    queryClient.setQueryData(key, data);
    void queryClient.invalidateQueries({ queryKey: OFFICES_KEY });
  };
  const decide = useMutation({
    mutationFn: (body: components["schemas"]["CaseDecision"]) =>
      unwrap(api.POST("/api/offices/{office_id}/handover/cases", { ...path, body })),
    onSuccess: done,
  });
  const review = useMutation({
    mutationFn: (body: components["schemas"]["StaffDecision"]) =>
      unwrap(api.POST("/api/offices/{office_id}/handover/staff", { ...path, body })),
    onSuccess: done,
  });
  const [reference, setReference] = useState("");
  const [decision, setDecision] = useState<"transfer" | "close">("transfer");
  const [toOffice, setToOffice] = useState("");
  const [consent, setConsent] = useState(false);
  const [consentHow, setConsentHow] = useState("");
  const [note, setNote] = useState("");
  const [moveTo, setMoveTo] = useState<Record<number, string>>({});
  const errors = fieldErrors(decide.error);
  const data = handover.data;
  const officeName = (o: HandoverData["offices"][number]) => (o.successor ? t("handoverSuccessor", { name: o.name }) : o.name);
  function submit(event: FormEvent) {
    event.preventDefault();
    decide.mutate(
      {
        reference,
        decision,
        to_office: decision === "transfer" && toOffice ? Number(toOffice) : null,
        consent: decision === "transfer" && consent,
        consent_how: decision === "transfer" ? consentHow : "",
        note,
      },
      {
        onSuccess: () => {
          setReference("");
          setConsent(false);
          setConsentHow("");
          setNote("");
        },
      },
    );
  }
  return (
    <section aria-labelledby="handover-title">
      <h2 id="handover-title">{t("handoverTitle")}</h2>
      <QueryStatus isPending={handover.isPending} error={handover.error} />
      {data && (
        <>
          <h3>{t("handoverCases")}</h3>
          {data.cases.length === 0 ? (
            <p>{t("handoverNoCases")}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("handoverCase")}</th>
                  <th scope="col">{t("handoverTopic")}</th>
                  <th scope="col">{t("status")}</th>
                  <th scope="col">{t("handoverOpened")}</th>
                  <th scope="col">{t("handoverAssignee")}</th>
                </tr>
              </thead>
              <tbody>
                {data.cases.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/cases/${c.id}`}>{c.reference}</Link>
                    </td>
                    <td>{label(t, "topic", c.topic)}</td>
                    <td>{statusWord(t, c.status)}</td>
                    <td>{format.date(c.opened)}</td>
                    <td>{c.assignee || "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {data.cases.length > 0 && (
            <form className="person-form" aria-label={t("handoverDecide")} onSubmit={submit}>
              <Field text={t("handoverCase")} error={errors.reference}>
                <select required value={reference} onChange={(e) => setReference(e.target.value)}>
                  <option value="">{t("handoverChoose")}</option>
                  {data.cases.map((c) => (
                    <option key={c.id} value={c.reference}>
                      {c.reference}
                    </option>
                  ))}
                </select>
              </Field>
              <fieldset>
                <legend>{t("handoverDecision")}</legend>
                {(["transfer", "close"] as const).map((d) => (
                  <label key={d}>
                    <input type="radio" name="decision" checked={decision === d} onChange={() => setDecision(d)} />{" "}
                    {t(d === "transfer" ? "handoverTransfer" : "handoverClose")}
                  </label>
                ))}
              </fieldset>
              {decision === "transfer" && (
                <>
                  <Field text={t("handoverToOffice")} error={errors.to_office}>
                    <select value={toOffice} onChange={(e) => setToOffice(e.target.value)}>
                      <option value="">{t("handoverChoose")}</option>
                      {data.offices.map((o) => (
                        <option key={o.id} value={o.id}>
                          {officeName(o)}
                        </option>
                      ))}
                    </select>
                  </Field>
                  <fieldset>
                    <label>
                      <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />{" "}
                      {t("handoverConsent")}
                    </label>
                  </fieldset>
                  <Field text={t("handoverConsentHow")} error={errors.consent_how}>
                    <input value={consentHow} onChange={(e) => setConsentHow(e.target.value)} />
                  </Field>
                </>
              )}
              <Field text={t("handoverNote")}>
                <input value={note} onChange={(e) => setNote(e.target.value)} />
              </Field>
              <div className="actions">
                <button type="submit" disabled={decide.isPending}>
                  {t("handoverRecord")}
                </button>
              </div>
              <ErrorMessage error={decide.error} fallback="saveFailed" />
              {decide.isSuccess && decide.variables && (
                <p role="status">{t("handoverRecorded", { reference: decide.variables.reference })}</p>
              )}
            </form>
          )}
          {data.staff.length > 0 || review.isSuccess ? (
            <>
              <h3>{t("handoverStaff")}</h3>
              {data.staff.length === 0 && <p>{t("handoverNoStaff")}</p>}
              <ul>
                {data.staff.map((s) => (
                  <li key={s.id}>
                    {s.name} ({label(t, "userRole", s.role)}){" "}
                    <select
                      aria-label={t("handoverMoveTo", { name: s.name })}
                      value={moveTo[s.id] ?? ""}
                      onChange={(e) => setMoveTo({ ...moveTo, [s.id]: e.target.value })}
                    >
                      <option value="">{t("handoverChoose")}</option>
                      {data.offices.map((o) => (
                        <option key={o.id} value={o.id}>
                          {officeName(o)}
                        </option>
                      ))}
                    </select>{" "}
                    <button
                      type="button"
                      disabled={!moveTo[s.id] || review.isPending}
                      onClick={() => review.mutate({ user_id: s.id, decision: "move", to_office: Number(moveTo[s.id]) })}
                    >
                      {t("handoverMove")}
                    </button>{" "}
                    <button
                      type="button"
                      className="danger"
                      disabled={review.isPending}
                      onClick={() => {
                        if (window.confirm(t("handoverDeactivateConfirm", { name: s.name })))
                          review.mutate({ user_id: s.id, decision: "deactivate" });
                      }}
                    >
                      {t("handoverDeactivate")}
                    </button>
                  </li>
                ))}
              </ul>
              <ErrorMessage error={review.error} fallback="saveFailed" />
            </>
          ) : null}
        </>
      )}
    </section>
  );
}

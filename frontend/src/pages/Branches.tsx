// Branches (afdelingen) for party staff: the list, a new branch for its municipalities or
// region, one branch (name, areas, deactivation, its officers chosen from the people), and
// linking the memberships' free-text branches of before.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { api } from "../api/client";
import { fieldErrors } from "../api/people";
import { unwrap } from "../api/query";
import type { components } from "../api/schema";
import { Field } from "../components/Field";
import { ErrorMessage, QueryStatus } from "../components/QueryStatus";
import { useFormat } from "../format";
import { useT } from "../i18n";
import { label } from "../labels";
import { useSession } from "../session";

type Branch = components["schemas"]["Branch"];
type Area = components["schemas"]["BranchArea"];
type Role = components["schemas"]["OfficerCreate"]["role"];

const ROLES: Role[] = ["chair", "secretary", "treasurer", "other"];
export const BRANCHES_KEY = ["branches"] as const;

/** The branches the user may see (party staff only; others get none). */
export function useBranches(enabled = true) {
  return useQuery({ queryKey: BRANCHES_KEY, queryFn: () => unwrap(api.GET("/api/branches")), enabled });
}

export function BranchesPage() {
  const t = useT();
  const branches = useBranches();
  const { can } = useSession();
  const [filter, setFilter] = useState("");
  const needle = filter.trim().toLowerCase();
  const shown = (branches.data ?? []).filter(
    (b) => !needle || [b.name, ...b.areas.map((a) => a.name)].some((v) => v.toLowerCase().includes(needle)),
  );
  return (
    <section>
      <h1>{t("branches")}</h1>
      <p>{t("branchesHelp")}</p>
      {can("branches.manage") && <NewBranch />}
      <QueryStatus isPending={branches.isPending} error={branches.error} />
      {branches.data && (
        <>
          <p>
            <label>
              {t("branchFilter")} <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
            </label>{" "}
            <span role="status">{t("branchCount", { shown: shown.length, count: branches.data.length })}</span>
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("branchName")}</th>
                <th scope="col">{t("branchAreas")}</th>
                <th scope="col">{t("branchOfficers")}</th>
                <th scope="col">{t("branchMembers")}</th>
                <th scope="col">{t("status")}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((b) => (
                <tr key={b.id}>
                  <td>
                    <Link to={`/branches/${b.id}`}>{b.name}</Link>
                  </td>
                  <td>{b.areas.map((a) => a.name).join(", ") || "–"}</td>
                  <td>
                    {b.officers
                      .filter((o) => o.current)
                      .map((o) => `${label(t, "officer", o.role)}: ${o.name}`)
                      .join(", ") || "–"}
                  </td>
                  <td>{b.members}</td>
                  <td>{b.active ? t("accountActive") : t("accountInactive")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {can("branches.manage") && <MigrateFreeText />}
    </section>
  );
}

/** Areas typed by name and picked from the current municipalities and provinces. */
function AreaPicker({ areas, onChange, error }: { areas: Area[]; onChange: (a: Area[]) => void; error?: string }) {
  const t = useT();
  const listId = useId();
  const [text, setText] = useState("");
  const found = useQuery({
    queryKey: ["branch-areas", text],
    queryFn: () => unwrap(api.GET("/api/branches/areas", { params: { query: { q: text } } })),
    enabled: text.trim().length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 300_000,
  });
  const match = found.data?.find((a) => a.name === text || a.code === text);
  function add() {
    if (match && !areas.some((a) => a.code === match.code)) onChange([...areas, match]);
    setText("");
  }
  return (
    <fieldset>
      <legend>{t("branchAreas")}</legend>
      {areas.length ? (
        <ul>
          {areas.map((a) => (
            <li key={a.code}>
              {a.name} ({label(t, "dataKind", a.kind)}){" "}
              <button type="button" onClick={() => onChange(areas.filter((x) => x.code !== a.code))}>
                {t("removeArea", { name: a.name })}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("noAreas")}</p>
      )}
      <Field text={t("branchAreaPick")} help={t("branchAreasHelp")} error={error}>
        <input
          list={listId}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              add();
            }
          }}
          autoComplete="off"
        />
      </Field>
      <datalist id={listId}>
        {found.data?.map((a) => (
          <option key={a.code} value={a.name}>
            {label(t, "dataKind", a.kind)}
          </option>
        ))}
      </datalist>
      <button type="button" onClick={add} disabled={!match}>
        {t("addArea")}
      </button>
    </fieldset>
  );
}

function NewBranch() {
  const t = useT();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [areas, setAreas] = useState<Area[]>([]);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST("/api/branches", { body: { name, key: "", areas: areas.map((a) => a.code) } })),
    onSuccess: () => {
      setName("");
      setAreas([]);
      return queryClient.invalidateQueries({ queryKey: BRANCHES_KEY });
    },
  });
  const errors = fieldErrors(create.error);
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <section aria-labelledby="new-branch">
      <h2 id="new-branch">{t("newBranch")}</h2>
      <form onSubmit={submit} aria-labelledby="new-branch" className="person-form">
        <Field text={t("branchName")} error={errors.name ?? errors.key}>
          <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <AreaPicker areas={areas} onChange={setAreas} error={errors.areas} />
        <div className="actions">
          <button type="submit" disabled={create.isPending}>
            {t("createBranch")}
          </button>
        </div>
      </form>
      <ErrorMessage error={create.error} fallback="saveFailed" />
      {create.data && <p role="status">{t("branchCreated", { name: create.data.name })}</p>}
    </section>
  );
}

function MigrateFreeText() {
  const t = useT();
  const queryClient = useQueryClient();
  const migrate = useMutation({
    mutationFn: () => unwrap(api.POST("/api/branches/migrate")),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: BRANCHES_KEY }),
  });
  const report = migrate.data;
  return (
    <section aria-labelledby="migrate-branches">
      <h2 id="migrate-branches">{t("migrateBranches")}</h2>
      <p>{t("migrateHelp")}</p>
      <button type="button" onClick={() => migrate.mutate()} disabled={migrate.isPending}>
        {t("migrateBranches")}
      </button>
      <ErrorMessage error={migrate.error} fallback="saveFailed" />
      {report && (
        <div role="status">
          <p>{t("migrated", { count: report.migrated.reduce((n, m) => n + m.memberships, 0) })}</p>
          {(
            [
              ["ambiguousTexts", report.ambiguous],
              ["unmatchedTexts", report.unmatched],
            ] as const
          ).map(
            ([title, texts]) =>
              texts.length > 0 && (
                <div key={title}>
                  <h3>{t(title)}</h3>
                  <ul>
                    {texts.map((x) => (
                      <li key={x.text}>
                        “{x.text}” ({x.memberships}){x.candidates.length ? `: ${x.candidates.join(", ")}` : ""}
                      </li>
                    ))}
                  </ul>
                </div>
              ),
          )}
        </div>
      )}
    </section>
  );
}

export function BranchPage() {
  const t = useT();
  const branchId = Number(useParams().branchId);
  const branch = useQuery({
    queryKey: [...BRANCHES_KEY, branchId],
    queryFn: () => unwrap(api.GET("/api/branches/{branch_id}", { params: { path: { branch_id: branchId } } })),
  });
  return (
    <section>
      <p>
        <Link to="/branches">{t("branches")}</Link>
      </p>
      <QueryStatus isPending={branch.isPending} error={branch.error} />
      {branch.data && <BranchDetails key={branch.data.id} branch={branch.data} />}
    </section>
  );
}

function useSaved(branchId: number) {
  const queryClient = useQueryClient();
  return (saved: Branch) => {
    queryClient.setQueryData([...BRANCHES_KEY, branchId], saved);
    return queryClient.invalidateQueries({ queryKey: BRANCHES_KEY, exact: true });
  };
}

function BranchDetails({ branch }: { branch: Branch }) {
  const t = useT();
  const { can } = useSession();
  const saved = useSaved(branch.id);
  const [name, setName] = useState(branch.name);
  const [areas, setAreas] = useState<Area[]>(branch.areas);
  const update = useMutation({
    mutationFn: (body: { name?: string; areas?: string[]; active?: boolean }) =>
      unwrap(api.PATCH("/api/branches/{branch_id}", { params: { path: { branch_id: branch.id } }, body })),
    onSuccess: saved,
  });
  const errors = fieldErrors(update.error);
  const manage = can("branches.manage");
  function submit(event: FormEvent) {
    event.preventDefault();
    update.mutate({ name, areas: areas.map((a) => a.code) });
  }
  return (
    <>
      <h1>{branch.name}</h1>
      <p>
        {branch.active ? t("accountActive") : t("accountInactive")} · {t("branchMembers")}: {branch.members}
      </p>
      {manage ? (
        <form onSubmit={submit} aria-label={branch.name} className="person-form">
          <Field text={t("branchName")} error={errors.name}>
            <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <AreaPicker areas={areas} onChange={setAreas} error={errors.areas} />
          <div className="actions">
            <button type="submit" disabled={update.isPending}>
              {t("saveBranch")}
            </button>
            <button type="button" onClick={() => update.mutate({ active: !branch.active })} disabled={update.isPending}>
              {branch.active ? t("deactivateBranch") : t("activateBranch")}
            </button>
          </div>
        </form>
      ) : (
        <p>{branch.areas.map((a) => a.name).join(", ") || t("noAreas")}</p>
      )}
      <ErrorMessage error={update.error} fallback="saveFailed" />
      {update.isSuccess && <p role="status">{t("branchSaved")}</p>}
      <Officers branch={branch} manage={manage} />
    </>
  );
}

function Officers({ branch, manage }: { branch: Branch; manage: boolean }) {
  const t = useT();
  const format = useFormat();
  const saved = useSaved(branch.id);
  const end = useMutation({
    mutationFn: (officerId: number) =>
      unwrap(api.PATCH("/api/branches/officers/{officer_id}", { params: { path: { officer_id: officerId } }, body: {} })),
    onSuccess: saved,
  });
  return (
    <section aria-labelledby="officers">
      <h2 id="officers">{t("branchOfficers")}</h2>
      {branch.officers.length === 0 ? (
        <p>{t("noOfficers")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("officerRole")}</th>
              <th scope="col">{t("officerPerson")}</th>
              <th scope="col">{t("officerSince")}</th>
              <th scope="col">{t("officerUntil")}</th>
              {manage && <th scope="col">{t("action")}</th>}
            </tr>
          </thead>
          <tbody>
            {branch.officers.map((o) => (
              <tr key={o.id}>
                <td>{label(t, "officer", o.role)}</td>
                <td>
                  <Link to={`/people/${o.person_id}`}>{o.name}</Link>
                </td>
                <td>{format.date(o.since)}</td>
                <td>{o.until ? format.date(o.until) : "–"}</td>
                {manage && (
                  <td>
                    {o.current && !o.until ? (
                      <button type="button" onClick={() => end.mutate(o.id)} disabled={end.isPending}>
                        {t("endOfficer", { name: o.name })}
                      </button>
                    ) : (
                      t("officerEnded")
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorMessage error={end.error} fallback="saveFailed" />
      {manage && branch.active && <NewOfficer branch={branch} />}
    </section>
  );
}

function NewOfficer({ branch }: { branch: Branch }) {
  const t = useT();
  const saved = useSaved(branch.id);
  const [role, setRole] = useState<Role>("chair");
  const [q, setQ] = useState("");
  const [person, setPerson] = useState<{ id: number; name: string } | null>(null);
  const found = useQuery({
    queryKey: ["people", "officer-search", q],
    queryFn: () => unwrap(api.GET("/api/people", { params: { query: { q, limit: 10 } } })),
    enabled: q.trim().length >= 2,
    placeholderData: keepPreviousData,
  });
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/branches/{branch_id}/officers", {
          params: { path: { branch_id: branch.id } },
          body: { role, person_id: person?.id ?? 0 },
        }),
      ),
    onSuccess: (result) => {
      setPerson(null);
      setQ("");
      return saved(result);
    },
  });
  const errors = fieldErrors(add.error);
  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }
  return (
    <form onSubmit={submit} aria-labelledby="new-officer" className="person-form">
      <h3 id="new-officer">{t("addOfficer")}</h3>
      <Field text={t("officerRole")} error={errors.role}>
        <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {label(t, "officer", r)}
            </option>
          ))}
        </select>
      </Field>
      <Field text={t("officerSearch")} help={t("officerSearchHelp")} error={errors.person_id}>
        <input type="search" value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" />
      </Field>
      <QueryStatus isPending={false} error={found.error} />
      {found.data && q.trim().length >= 2 && (
        <ul>
          {found.data.items.map((p) => (
            <li key={p.id}>
              <button type="button" aria-pressed={person?.id === p.id} onClick={() => setPerson({ id: p.id, name: p.display_name })}>
                {t("officerPick", { name: `${p.display_name}${p.city ? ` (${p.city})` : ""}` })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {person && <p role="status">{t("officerChosen", { name: person.name })}</p>}
      <div className="actions">
        <button type="submit" disabled={!person || add.isPending}>
          {t("addOfficer")}
        </button>
      </div>
      <ErrorMessage error={add.error} fallback="saveFailed" />
    </form>
  );
}

// The people list: filters live in the address bar, so a list can be shared and comes back
// unchanged after opening a person.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { SegmentNotice } from "./Segments";
import { api } from "../api/client";
import { PEOPLE_KEY } from "../api/people";
import { unwrap } from "../api/query";
import { QueryStatus } from "../components/QueryStatus";
import { countedAtLeast, useFormat } from "../format";
import { useT } from "../i18n";
import { label } from "../labels";
import { useSession } from "../session";
import { useBranches } from "./Branches";

const PAGE = 50;
const ROLES = ["loyal_voter", "member", "donor", "volunteer", "ambassador", "constituent"] as const;
const SORTS = ["relevance", "name", "-name", "-created", "-last_contact", "last_contact", "postcode"] as const;
const FILTERS = ["q", "postcode", "tag", "role", "support_level_min", "district", "branch_id", "branch", "last_contact_before", "segment"] as const;
type Role = (typeof ROLES)[number];
type Sort = (typeof SORTS)[number];
type Filter = (typeof FILTERS)[number];

export function PeoplePage() {
  const t = useT();
  const format = useFormat();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const offset = Number(params.get("offset") ?? 0);
  const f = current(params);
  // with a search, best matches first unless the user picked an order
  const defaultSort: Sort = f.q ? "relevance" : "name";
  const sort = (SORTS as readonly string[]).includes(params.get("sort") ?? "") ? (params.get("sort") as Sort) : defaultSort;
  const query = {
    q: f.q || undefined,
    postcode: f.postcode || undefined,
    tag: f.tag || undefined,
    role: (f.role as Role) || undefined,
    support_level_min: f.support_level_min ? Number(f.support_level_min) : undefined,
    district: f.district || undefined,
    branch_id: f.branch_id ? Number(f.branch_id) : undefined,
    branch: f.branch || undefined,
    segment: f.segment ? Number(f.segment) : undefined,
    last_contact_before: f.last_contact_before ? `${f.last_contact_before}T00:00:00Z` : undefined,
    sort,
    limit: PAGE,
    offset,
  };
  // the key holds every filter: an older answer never shows for a newer search
  const people = useQuery({
    queryKey: [...PEOPLE_KEY, query],
    queryFn: () => unwrap(api.GET("/api/people", { params: { query } })),
    placeholderData: keepPreviousData,
    enabled: can("people.read"),
  });
  const page = people.data;

  function go(values: Record<string, string>) {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(values)) if (value) next.set(key, value);
    setParams(next);
  }

  function exportLink(kind: "csv" | "xlsx"): string {
    const link = new URLSearchParams(params);
    link.delete("offset");
    link.set("format", kind);
    if (link.get("last_contact_before")) link.set("last_contact_before", `${link.get("last_contact_before")}T00:00:00Z`);
    return `/api/people/export?${link}`;
  }

  if (!can("people.read")) {
    // office staff reach the constituents of their cases from the case, not from this list
    return (
      <section>
        <h1>{t("people")}</h1>
        <p role="status">{t(can("cases.read") ? "peopleThroughCases" : "peopleNotAllowed")}</p>
        {can("cases.read") && <Link to="/cases">{t("cases")}</Link>}
      </section>
    );
  }

  return (
    <section>
      <h1>{t("people")}</h1>
      {can("people.write") && (
        <p>
          <Link to="/people/new">{t("addPerson")}</Link>
        </p>
      )}
      {f.segment && <SegmentNotice segmentId={Number(f.segment)} onClear={() => go({ ...f, segment: "" })} />}
      {/* keyed by the address: going back or forward shows that list's filters */}
      <Filters key={params.toString()} params={params} sort={sort} go={go} />
      <QueryStatus isPending={people.isPending} error={people.error} />
      {page && (
        <p role="status">
          {/* a search counts up to a limit: beyond it, "more than" that many */}
          {countedAtLeast(t, format, "total", page.total, page.total_capped)}
          {can("people.export") && (
            <>
              {" · "}
              <a href={exportLink("csv")}>{t("exportCsv")}</a>
              {" · "}
              <a href={exportLink("xlsx")}>{t("exportXlsx")}</a>
            </>
          )}
        </p>
      )}
      <table aria-label={t("people")}>
        <thead>
          <tr>
            <th>{t("name")}</th>
            <th>{t("email")}</th>
            <th>{t("postcode")}</th>
            <th>{t("city")}</th>
            <th>{t("roles")}</th>
            <th>{t("lastContact")}</th>
          </tr>
        </thead>
        <tbody>
          {page?.items.map((person) => (
            <tr key={person.id}>
              <td>
                <Link to={`/people/${person.id}`} state={{ list: params.toString() }}>
                  {person.display_name}
                </Link>
              </td>
              <td>{person.email ?? ""}</td>
              <td>
                {person.postcode}
                {person.address_status === "review" && <em> ({t("addressReview")})</em>}
              </td>
              <td>{person.city}</td>
              <td>{person.roles.map((r) => label(t, "role", r)).join(", ")}</td>
              <td>{format.date(person.last_contact_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pager">
        <button
          type="button"
          disabled={offset === 0}
          onClick={() => go({ ...current(params), sort: params.get("sort") ?? "", offset: String(Math.max(0, offset - PAGE)) })}
        >
          {t("previous")}
        </button>
        <button
          type="button"
          disabled={!page || offset + PAGE >= page.total}
          onClick={() => go({ ...current(params), sort: params.get("sort") ?? "", offset: String(offset + PAGE) })}
        >
          {t("next")}
        </button>
      </div>
    </section>
  );
}

/** The filter form; its draft starts from the address bar. */
function Filters({ params, sort, go }: { params: URLSearchParams; sort: Sort; go: (values: Record<string, string>) => void }) {
  const t = useT();
  const { can } = useSession();
  const [draft, setDraft] = useState<Record<Filter, string>>(() => current(params));
  // party staff pick a branch; others (and text not yet linked to a branch) filter by its name
  const branches = useBranches(can("branches.read"));

  function submit(event: FormEvent) {
    event.preventDefault();
    go({ ...draft, sort: sort === "name" || sort === "relevance" ? "" : sort });
  }

  const text = (key: Filter, caption: string, placeholder = "") => (
    <label>
      {caption}{" "}
      <input value={draft[key]} placeholder={placeholder} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
    </label>
  );

  return (
    <form className="filters" onSubmit={submit}>
      {text("q", t("search"), t("searchPlaceholder"))}
      {text("postcode", t("postcode"))}
      {text("tag", t("tag"))}
      <label>
        {t("role")}{" "}
        <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value })}>
          <option value="">{t("allRoles")}</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {label(t, "role", r)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("supportAtLeast")}{" "}
        <select value={draft.support_level_min} onChange={(e) => setDraft({ ...draft, support_level_min: e.target.value })}>
          <option value="">–</option>
          {[1, 2, 3, 4, 5].map((level) => (
            <option key={level} value={level}>
              {level}
            </option>
          ))}
        </select>
      </label>
      {text("district", t("district"))}
      {branches.data ? (
        <>
          <label>
            {t("branch")}{" "}
            <select value={draft.branch_id} onChange={(e) => setDraft({ ...draft, branch_id: e.target.value })}>
              <option value="">{t("allBranches")}</option>
              {branches.data.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </select>
          </label>
          {text("branch", t("branchOther"))}
        </>
      ) : (
        text("branch", t("branch"))
      )}
      <label>
        {t("noContactSince")}{" "}
        <input
          type="date"
          value={draft.last_contact_before}
          onChange={(e) => setDraft({ ...draft, last_contact_before: e.target.value })}
        />
      </label>
      <label>
        {t("sortBy")}{" "}
        <select
          value={sort}
          onChange={(e) => go({ ...current(params), sort: e.target.value })}
        >
          {SORTS.map((s) => (
            <option key={s} value={s}>
              {label(t, "sort", s)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">{t("search")}</button>
    </form>
  );
}

function current(params: URLSearchParams): Record<Filter, string> {
  return Object.fromEntries(FILTERS.map((key) => [key, params.get(key) ?? ""])) as Record<Filter, string>;
}

// The people list: filters live in the address bar, so a list can be shared and comes back
// unchanged after opening a person.
import { useEffect, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { api, type PersonPage } from "../api/client";
import { useT, type MessageKey } from "../i18n";
import { useSession } from "../session";

const PAGE = 50;
const ROLES = ["loyal_voter", "member", "donor", "volunteer", "ambassador", "constituent"] as const;
const SORTS = ["name", "-name", "-created", "-last_contact", "last_contact", "postcode"] as const;
const FILTERS = ["q", "postcode", "tag", "role", "support_level_min", "district", "branch", "last_contact_before"] as const;
type Role = (typeof ROLES)[number];
type Sort = (typeof SORTS)[number];
type Filter = (typeof FILTERS)[number];

export function PeoplePage() {
  const t = useT();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const [draft, setDraft] = useState<Record<Filter, string>>(() => current(params));
  const [page, setPage] = useState<PersonPage | null>(null);
  const offset = Number(params.get("offset") ?? 0);
  const sort = (SORTS as readonly string[]).includes(params.get("sort") ?? "") ? (params.get("sort") as Sort) : "name";

  useEffect(() => {
    const f = current(params);
    setDraft(f);
    api
      .GET("/api/people", {
        params: {
          query: {
            q: f.q || undefined,
            postcode: f.postcode || undefined,
            tag: f.tag || undefined,
            role: (f.role as Role) || undefined,
            support_level_min: f.support_level_min ? Number(f.support_level_min) : undefined,
            district: f.district || undefined,
            branch: f.branch || undefined,
            last_contact_before: f.last_contact_before ? `${f.last_contact_before}T00:00:00Z` : undefined,
            sort,
            limit: PAGE,
            offset,
          },
        },
      })
      .then(({ data }) => {
        if (data) setPage(data);
      });
  }, [params, offset, sort]);

  function go(values: Record<string, string>) {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(values)) if (value) next.set(key, value);
    setParams(next);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    go({ ...draft, sort: sort === "name" ? "" : sort });
  }

  function exportLink(format: "csv" | "xlsx"): string {
    const query = new URLSearchParams(params);
    query.delete("offset");
    query.set("format", format);
    if (query.get("last_contact_before")) query.set("last_contact_before", `${query.get("last_contact_before")}T00:00:00Z`);
    return `/api/people/export?${query}`;
  }

  const text = (key: Filter, label: string, placeholder = "") => (
    <label>
      {label}{" "}
      <input value={draft[key]} placeholder={placeholder} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
    </label>
  );

  return (
    <section>
      <h1>{t("people")}</h1>
      {can("people.write") && (
        <p>
          <Link to="/people/new">{t("addPerson")}</Link>
        </p>
      )}
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
                {t(`role_${r}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("supportAtLeast")}{" "}
          <select
            value={draft.support_level_min}
            onChange={(e) => setDraft({ ...draft, support_level_min: e.target.value })}
          >
            <option value="">–</option>
            {[1, 2, 3, 4, 5].map((level) => (
              <option key={level} value={level}>
                {level}
              </option>
            ))}
          </select>
        </label>
        {text("district", t("district"))}
        {text("branch", t("branch"))}
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
            onChange={(e) => go({ ...current(params), sort: e.target.value === "name" ? "" : e.target.value })}
          >
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`sort_${s.replace("-", "desc_")}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("search")}</button>
      </form>
      {page && (
        <p>
          {t("total", { count: page.total })}
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
      <table>
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
              <td>{person.roles.map((r) => t(`role_${r}` as MessageKey)).join(", ")}</td>
              <td>{person.last_contact_at ? new Date(person.last_contact_at).toLocaleDateString() : "–"}</td>
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

function current(params: URLSearchParams): Record<Filter, string> {
  return Object.fromEntries(FILTERS.map((key) => [key, params.get(key) ?? ""])) as Record<Filter, string>;
}

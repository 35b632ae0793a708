import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { api, type PersonPage } from "../api/client";
import { useT, type MessageKey } from "../i18n";
import { useSession } from "../session";

const PAGE = 50;
const ROLES = ["loyal_voter", "member", "donor", "volunteer", "ambassador", "constituent"] as const;
type Role = (typeof ROLES)[number];

export function PeoplePage() {
  const t = useT();
  const { can } = useSession();
  const [role, setRole] = useState<Role | "">("");
  const [q, setQ] = useState("");
  const [postcode, setPostcode] = useState("");
  const [tag, setTag] = useState("");
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<PersonPage | null>(null);

  async function load(from: number) {
    const { data } = await api.GET("/api/people", {
      params: {
        query: {
          q: q || undefined,
          postcode: postcode || undefined,
          tag: tag || undefined,
          role: role || undefined,
          limit: PAGE,
          offset: from,
        },
      },
    });
    if (data) {
      setPage(data);
      setOffset(from);
    }
  }

  useEffect(() => {
    void load(0);
  }, []);

  function exportLink(format: "csv" | "xlsx"): string {
    const query = new URLSearchParams({ format });
    if (q) query.set("q", q);
    if (postcode) query.set("postcode", postcode);
    if (tag) query.set("tag", tag);
    if (role) query.set("role", role);
    return `/api/people/export?${query}`;
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void load(0);
  }

  return (
    <section>
      <h1>{t("people")}</h1>
      {can("people.write") && (
        <p>
          <Link to="/people/new">{t("addPerson")}</Link>
        </p>
      )}
      <form className="filters" onSubmit={submit}>
        <label>
          {t("search")}{" "}
          <input value={q} placeholder={t("searchPlaceholder")} onChange={(e) => setQ(e.target.value)} />
        </label>
        <label>
          {t("postcode")} <input value={postcode} onChange={(e) => setPostcode(e.target.value)} />
        </label>
        <label>
          {t("tag")} <input value={tag} onChange={(e) => setTag(e.target.value)} />
        </label>
        <label>
          {t("role")}{" "}
          <select value={role} onChange={(e) => setRole(e.target.value as Role | "")}>
            <option value="">{t("allRoles")}</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role_${r}` as MessageKey)}
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
          </tr>
        </thead>
        <tbody>
          {page?.items.map((person) => (
            <tr key={person.id}>
              <td>
                <Link to={`/people/${person.id}`}>{person.display_name}</Link>
              </td>
              <td>{person.email ?? ""}</td>
              <td>
                {person.postcode}
                {person.address_status === "review" && <em> ({t("addressReview")})</em>}
              </td>
              <td>{person.city}</td>
              <td>{person.roles.map((r) => t(`role_${r}` as MessageKey)).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pager">
        <button type="button" disabled={offset === 0} onClick={() => void load(Math.max(0, offset - PAGE))}>
          {t("previous")}
        </button>
        <button type="button" disabled={!page || offset + PAGE >= page.total} onClick={() => void load(offset + PAGE)}>
          {t("next")}
        </button>
      </div>
    </section>
  );
}

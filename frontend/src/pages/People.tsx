import { useEffect, useState, type FormEvent } from "react";
import { api, type PersonPage } from "../api/client";
import { useT } from "../i18n";

const PAGE = 50;

export function PeoplePage() {
  const t = useT();
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

  function submit(event: FormEvent) {
    event.preventDefault();
    void load(0);
  }

  return (
    <section>
      <h1>{t("people")}</h1>
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
        <button type="submit">{t("search")}</button>
      </form>
      {page && <p>{t("total", { count: page.total })}</p>}
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
              <td>{person.display_name}</td>
              <td>{person.email ?? ""}</td>
              <td>
                {person.postcode}
                {person.address_status === "review" && <em> ({t("addressReview")})</em>}
              </td>
              <td>{person.city}</td>
              <td>{person.roles.join(", ")}</td>
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

// A person's own preferences page, reached by the signed link in what we send them (no login).
import { useContext, useEffect, useState, type FormEvent } from "react";
import { useParams } from "react-router-dom";
import { api, problemText, setApiLanguage } from "../api/client";
import type { components } from "../api/schema";
import { ConsentGrid } from "../ConsentGrid";
import { LanguageContext, useT } from "../i18n";

type Page = components["schemas"]["PreferencesPage"];
type Choice = components["schemas"]["PreferenceChoice"];

export function PreferencesPage() {
  const t = useT();
  const { setLanguage } = useContext(LanguageContext);
  const token = useParams().token ?? "";
  const [page, setPage] = useState<Page | null>(null);
  const [wanted, setWanted] = useState<Record<string, boolean>>({});
  const [never, setNever] = useState(false);
  const [error, setError] = useState("");
  const [saved, setSaved] = useState(false);

  function show(data: Page) {
    setPage(data);
    setNever(data.do_not_contact);
    setWanted(Object.fromEntries(data.states.map((s) => [`${s.purpose}/${s.channel}`, s.status === "granted"])));
  }

  useEffect(() => {
    api.GET("/api/public/preferences/{token}", { params: { path: { token } } }).then(({ data, error: problem }) => {
      if (!data) {
        setError(problemText(problem, t("notFound")));
        return;
      }
      if (data.language === "nl" || data.language === "en") {
        setLanguage(data.language); // the person's own language
        setApiLanguage(data.language);
      }
      show(data);
    });
  }, [token]);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!page) return;
    const choices: Choice[] = page.states
      .filter((s) => (s.status === "granted") !== wanted[`${s.purpose}/${s.channel}`])
      .map((s) => ({
        purpose: s.purpose as Choice["purpose"],
        channel: s.channel as Choice["channel"],
        status: wanted[`${s.purpose}/${s.channel}`] ? "granted" : "withdrawn",
      }));
    const { data, error: problem } = await api.POST("/api/public/preferences/{token}", {
      params: { path: { token } },
      body: { choices, do_not_contact: never },
    });
    if (!data) {
      setError(problemText(problem, t("saveFailed")));
      return;
    }
    setError("");
    setSaved(true);
    show(data);
  }

  if (error) {
    return (
      <main className="public">
        <p role="alert" className="error">
          {error}
        </p>
      </main>
    );
  }
  if (!page) return <p className="loading">{t("loading")}</p>;

  return (
    <main className="public">
      <h1>{t("preferencesTitle", { name: page.first_name })}</h1>
      <p>{t("preferencesHelp")}</p>
      <form onSubmit={save} aria-label={t("preferences")}>
        <ConsentGrid
          cell={(p, c, name) => (
            <td key={c}>
              <input
                type="checkbox"
                aria-label={name}
                checked={!!wanted[`${p}/${c}`]}
                disabled={never}
                onChange={(e) => {
                  setSaved(false);
                  setWanted({ ...wanted, [`${p}/${c}`]: e.target.checked });
                }}
              />
            </td>
          )}
        />
        <label>
          <input
            type="checkbox"
            checked={never}
            onChange={(e) => {
              setSaved(false);
              setNever(e.target.checked);
            }}
          />{" "}
          {t("neverContact")}
        </label>
        <p>
          <button type="submit">{t("save")}</button>
        </p>
        {saved && <p role="status">{t("preferencesSaved")}</p>}
      </form>
    </main>
  );
}

// A person's own preferences page, reached by the signed link in what we send them (no login).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useContext, useEffect, useState, type FormEvent } from "react";
import { useParams } from "react-router-dom";
import { api } from "../api/client";
import { unwrap } from "../api/query";
import type { components } from "../api/schema";
import { ErrorMessage } from "../components/QueryStatus";
import { ConsentGrid } from "../ConsentGrid";
import { LanguageContext, useT } from "../i18n";

type Page = components["schemas"]["PreferencesPage"];
type Choice = components["schemas"]["PreferenceChoice"];

export function PreferencesPage() {
  const t = useT();
  const { setLanguage } = useContext(LanguageContext);
  const token = useParams().token ?? "";
  const preferences = useQuery({
    queryKey: ["preferences", token],
    queryFn: () => unwrap(api.GET("/api/public/preferences/{token}", { params: { path: { token } } })),
  });
  const language = preferences.data?.language;
  // held here, not in the form: the form starts afresh from what was saved
  const [saved, setSaved] = useState(false);

  // the page speaks the person's own language
  useEffect(() => {
    if (language === "nl" || language === "en") setLanguage(language);
  }, [language, setLanguage]);

  if (!preferences.data) {
    return (
      <main className="public">
        {preferences.error ? (
          <ErrorMessage error={preferences.error} fallback="notFound" />
        ) : (
          <p className="loading">{t("loading")}</p>
        )}
      </main>
    );
  }
  // keyed by what was stored: after saving, the form starts again from the saved choices
  return (
    <PreferencesForm
      key={JSON.stringify(preferences.data)}
      token={token}
      page={preferences.data}
      saved={saved}
      onSaved={setSaved}
    />
  );
}

function PreferencesForm({
  token,
  page,
  saved,
  onSaved,
}: {
  token: string;
  page: Page;
  saved: boolean;
  onSaved: (saved: boolean) => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const [wanted, setWanted] = useState<Record<string, boolean>>(() =>
    Object.fromEntries(page.states.map((s) => [`${s.purpose}/${s.channel}`, s.status === "granted"])),
  );
  const [never, setNever] = useState(page.do_not_contact);
  const save = useMutation({
    mutationFn: (choices: Choice[]) =>
      unwrap(
        api.POST("/api/public/preferences/{token}", {
          params: { path: { token } },
          body: { choices, do_not_contact: never },
        }),
      ),
    onSuccess: (saved) => queryClient.setQueryData(["preferences", token], saved),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const choices: Choice[] = page.states
      .filter((s) => (s.status === "granted") !== wanted[`${s.purpose}/${s.channel}`])
      .map((s) => ({
        purpose: s.purpose as Choice["purpose"],
        channel: s.channel as Choice["channel"],
        status: wanted[`${s.purpose}/${s.channel}`] ? "granted" : "withdrawn",
      }));
    onSaved(false);
    save.mutate(choices, { onSuccess: () => onSaved(true) });
  }

  return (
    <main className="public">
      <h1>{t("preferencesTitle", { name: page.first_name })}</h1>
      <p>{t("preferencesHelp")}</p>
      <form onSubmit={submit} aria-label={t("preferences")}>
        <ConsentGrid
          cell={(p, c, name) => (
            <td key={c}>
              <input
                type="checkbox"
                aria-label={name}
                checked={!!wanted[`${p}/${c}`]}
                disabled={never}
                onChange={(e) => {
                  onSaved(false);
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
              onSaved(false);
              setNever(e.target.checked);
            }}
          />{" "}
          {t("neverContact")}
        </label>
        <p>
          <button type="submit" disabled={save.isPending}>
            {t("save")}
          </button>
        </p>
        <ErrorMessage error={save.error} fallback="saveFailed" />
        {saved && <p role="status">{t("preferencesSaved")}</p>}
      </form>
    </main>
  );
}

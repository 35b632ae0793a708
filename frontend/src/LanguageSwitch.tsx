import { LanguageContext, useT, type Language } from "./i18n";

// each language is named in itself, as people look for their own
export function LanguageSwitch() {
  const t = useT();
  return (
    <LanguageContext.Consumer>
      {({ language, setLanguage }) => (
        <label className="language">
          {t("language")}{" "}
          <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
            <option value="nl" lang="nl">
              Nederlands
            </option>
            <option value="en" lang="en">
              English
            </option>
          </select>
        </label>
      )}
    </LanguageContext.Consumer>
  );
}

import { LanguageContext, useT, type Language } from "./i18n";

export function LanguageSwitch() {
  const t = useT();
  return (
    <LanguageContext.Consumer>
      {({ language, setLanguage }) => (
        <label className="language">
          {t("language")}{" "}
          <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
            <option value="nl">Nederlands</option>
            <option value="en">English</option>
          </select>
        </label>
      )}
    </LanguageContext.Consumer>
  );
}

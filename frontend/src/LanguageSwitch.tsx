import { LanguageContext, useT, type Language } from "./i18n";

// each language is named in itself, as people look for their own; with `onChange` the choice
// goes there (my account keeps it on the server) instead of only to this browser
export function LanguageSwitch({ onChange, disabled }: { onChange?: (value: Language) => void; disabled?: boolean }) {
  const t = useT();
  return (
    <LanguageContext.Consumer>
      {({ language, setLanguage }) => (
        <label className="language">
          {t("language")}{" "}
          <select
            value={language}
            disabled={disabled}
            onChange={(e) => (onChange ?? setLanguage)(e.target.value as Language)}
          >
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

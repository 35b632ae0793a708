// Dates, numbers, amounts and counts as the reader's language writes them.
import { useMemo } from "react";
import { useLanguage, type Language, type MessageKey, type T } from "./i18n";

const LOCALES: Record<Language, string> = { nl: "nl-NL", en: "en-GB" };

/** A calendar day ("2026-03-01") is that day wherever the reader is, not midnight UTC. */
function toDate(value: string | Date): Date {
  if (value instanceof Date) return value;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])) : new Date(value);
}

export type Format = {
  date: (value: string | Date | null | undefined) => string;
  dateTime: (value: string | Date | null | undefined) => string;
  number: (value: number) => string;
  money: (cents: number, currency?: string) => string;
  /** The plural category of a count ("one", "other") for choosing a message. */
  plural: (count: number) => "one" | "other";
};

export function formatFor(language: Language): Format {
  const locale = LOCALES[language];
  const day = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric" });
  const moment = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  const number = new Intl.NumberFormat(locale);
  const rules = new Intl.PluralRules(locale);
  const money = new Map<string, Intl.NumberFormat>();
  return {
    date: (value) => (value ? day.format(toDate(value)) : "–"),
    dateTime: (value) => (value ? moment.format(toDate(value)) : "–"),
    number: (value) => number.format(value),
    money: (cents, currency = "EUR") => {
      let format = money.get(currency);
      if (!format) {
        format = new Intl.NumberFormat(locale, { style: "currency", currency });
        money.set(currency, format);
      }
      return format.format(cents / 100);
    },
    plural: (count) => (rules.select(count) === "one" ? "one" : "other"),
  };
}

/** The formats of the current language; the same object until the language changes. */
export function useFormat(): Format {
  const language = useLanguage();
  return useMemo(() => formatFor(language), [language]);
}

/** A counted message: `base_one` or `base_other` with the count written for the language. */
export function counted(t: T, format: Format, base: string, count: number): string {
  return t(`${base}_${format.plural(count)}` as MessageKey, { count: format.number(count) });
}

/** A count that may be a floor (a search counts up to a limit): then `baseMore`, "more than". */
export function countedAtLeast(t: T, format: Format, base: string, count: number, more: boolean): string {
  return more ? t(`${base}More` as MessageKey, { count: format.number(count) }) : counted(t, format, base, count);
}

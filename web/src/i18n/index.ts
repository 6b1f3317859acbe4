// The portal's two languages. Every string a person reads lives in a catalog beside the page that
// shows it, written once per language; `messages()` makes the compiler refuse a catalog whose
// French lacks a key (or a parameter) its English has. Numbers and dates come from the browser's
// own Intl (CLDR data), never formatted by hand.
import { createContext } from "preact";
import { useContext } from "preact/hooks";

export type Locale = "en-CA" | "fr-CA";
export const LOCALES: readonly Locale[] = ["en-CA", "fr-CA"];
const STORAGE_KEY = "billing-portal.locale";

/** Each language named in itself, so a person who reads only that one can find it. */
export const LANGUAGE_NAMES: Record<Locale, string> = { "en-CA": "English", "fr-CA": "Français" };

type Message = string | ((...args: never[]) => string);
type Catalog = Record<string, Message>;

/** A page's strings in both languages; French must have exactly English's keys and parameters. */
export function messages<T extends Catalog>(catalogs: { "en-CA": T; "fr-CA": NoInfer<T> }) {
  return catalogs;
}

/** The remembered choice, else the browser's first language we speak, else English. */
export function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === "en-CA" || saved === "fr-CA") return saved;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const language = tag.toLowerCase().split("-")[0];
    if (language === "fr") return "fr-CA";
    if (language === "en") return "en-CA";
  }
  return "en-CA";
}

export function rememberLocale(locale: Locale) {
  localStorage.setItem(STORAGE_KEY, locale);
}

/** The API's name for a language (`FR_CA`), and back. */
export function toApiLocale(locale: Locale): "EN_CA" | "FR_CA" {
  return locale === "fr-CA" ? "FR_CA" : "EN_CA";
}
export function fromApiLocale(locale: "EN_CA" | "FR_CA"): Locale {
  return locale === "FR_CA" ? "fr-CA" : "en-CA";
}

/** The language every request names in `Accept-Language`: the server answers its messages (a
 *  refused login, a password rule) in it until it knows the viewer, whose own language it then uses. */
let requestLocale: Locale = "en-CA";
export function setRequestLocale(locale: Locale) {
  requestLocale = locale;
}
export function acceptLanguage(): Record<"Accept-Language", string> {
  return { "Accept-Language": requestLocale };
}

export interface LocaleState {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  /** The viewer's time zone (IANA), which times are shown in; the browser's until it is known. */
  timeZone: string;
}

export const LocaleContext = createContext<LocaleState>({
  locale: "en-CA",
  setLocale: () => {},
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
});

export function useLocale(): LocaleState {
  return useContext(LocaleContext);
}

/** This page's strings in the person's language. */
export function useMessages<T extends Catalog>(catalogs: { "en-CA": T; "fr-CA": T }): T {
  return catalogs[useLocale().locale];
}

export interface MoneyValue {
  amount: string;
  currencyCode: string;
}

/** Money and dates as a Canadian reads them: `$1,234.56` / `1 234,56 $`, in the viewer's zone. */
export function useFormat() {
  const { locale, timeZone } = useLocale();
  return {
    // The API's Decimal is a string; Intl formats the string itself, so no float ever rounds it.
    money: (money: MoneyValue) =>
      new Intl.NumberFormat(locale, { style: "currency", currency: money.currencyCode }).format(
        money.amount as Intl.StringNumericLiteral,
      ),
    // A Date is a calendar day: formatted at UTC midnight it is the same day everywhere.
    date: (day: string) =>
      new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`)),
    dateTime: (instant: string) =>
      new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(instant)),
  };
}

// The `Time zone` picker of Profile (the account's zone) and My settings (the viewer's own): the
// Canadian zones first, east to west, named as a Canadian says them ("Eastern Time (Toronto)"), then
// every other zone the browser knows. Zone names come from the browser's Intl (CLDR), so French
// reads "Heure de l’Est (Toronto)" without a hand-written translation that could drift.
import type { ComponentChildren } from "preact";
import { useId, useMemo } from "preact/hooks";

import { messages, useLocale, useMessages, type Locale } from "../i18n";

const strings = messages({
  "en-CA": { timeZone: "Time zone", canada: "Canada", others: "Other time zones" },
  "fr-CA": { timeZone: "Fuseau horaire", canada: "Canada", others: "Autres fuseaux horaires" },
});

/** Canada's zones, east to west; the first eight are those nearly every Canadian business uses. */
const CANADIAN_ZONES = [
  "America/St_Johns",
  "America/Halifax",
  "America/Toronto",
  "America/Winnipeg",
  "America/Regina",
  "America/Edmonton",
  "America/Vancouver",
  "America/Whitehorse",
  "America/Glace_Bay",
  "America/Moncton",
  "America/Goose_Bay",
  "America/Iqaluit",
  "America/Atikokan",
  "America/Rankin_Inlet",
  "America/Resolute",
  "America/Swift_Current",
  "America/Cambridge_Bay",
  "America/Inuvik",
  "America/Creston",
  "America/Dawson_Creek",
  "America/Fort_Nelson",
  "America/Dawson",
];

/** IANA spells places without punctuation; these read better with it. */
const PLACE_NAMES: Record<string, string> = { "America/St_Johns": "St. John’s" };

function placeOf(zone: string): string {
  return PLACE_NAMES[zone] ?? (zone.split("/").pop() ?? zone).replace(/_/g, " ");
}

/** "Eastern Time (Toronto)" / "Heure de l’Est (Toronto)"; the bare place if Intl has no name. */
function canadianLabel(zone: string, locale: Locale): string {
  let generic: string | undefined;
  try {
    generic = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "longGeneric" })
      .formatToParts(new Date())
      .find((part) => part.type === "timeZoneName")?.value;
  } catch {
    // A zone this browser does not know: its place name still says what it is.
  }
  if (!generic) return placeOf(zone);
  return `${generic.charAt(0).toLocaleUpperCase(locale)}${generic.slice(1)} (${placeOf(zone)})`;
}

function otherZones(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return [];
  }
}

interface Option {
  value: string;
  label: string;
}

function useZoneOptions(current: string): { canadian: Option[]; others: Option[] } {
  const { locale } = useLocale();
  return useMemo(() => {
    const canadian = CANADIAN_ZONES.map((zone) => ({ value: zone, label: canadianLabel(zone, locale) }));
    const listed = new Set(CANADIAN_ZONES);
    const rest = otherZones().filter((zone) => !listed.has(zone));
    // The saved zone is always offered, even one this browser does not list (an alias, `UTC`).
    if (current && !listed.has(current) && !rest.includes(current)) rest.unshift(current);
    const others = rest.map((zone) => ({ value: zone, label: zone.replace(/_/g, " ") }));
    return { canadian, others };
  }, [locale, current]);
}

interface TimeZoneSelectProps {
  value: string;
  onChange: (zone: string) => void;
  /** The server's refusal for this field. */
  error?: string | null;
  hint?: ComponentChildren;
}

export function TimeZoneSelect({ value, onChange, error, hint }: TimeZoneSelectProps) {
  const t = useMessages(strings);
  const id = useId();
  const { canadian, others } = useZoneOptions(value);
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div class="field">
      <label for={id}>{t.timeZone}</label>
      {hint && (
        <div id={`${id}-hint`} class="hint">
          {hint}
        </div>
      )}
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={described || undefined}
      >
        <optgroup label={t.canada}>
          {canadian.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </optgroup>
        <optgroup label={t.others}>
          {others.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </optgroup>
      </select>
      {error && (
        <p id={`${id}-error`} class="error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A zone as the read-only views say it: the Canadian name when there is one, else its IANA id. */
export function useZoneName(): (zone: string) => string {
  const { locale } = useLocale();
  return (zone) => (CANADIAN_ZONES.includes(zone) ? canadianLabel(zone, locale) : zone.replace(/_/g, " "));
}

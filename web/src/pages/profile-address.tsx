// The billing address part of Profile: the fields of `AddressInput`, with Canada's provinces and
// territories as a list (the server checks codes and postal codes when the country is `CA`).
import { Field, Select } from "../components/form";
import { messages, useLocale, useMessages, type Locale } from "../i18n";

const strings = messages({
  "en-CA": {
    billingAddress: "Billing address",
    line1: "Address line 1",
    line2: "Address line 2",
    line2Hint: "Optional: suite, unit or floor.",
    city: "City",
    province: "Province",
    chooseProvince: "Choose a province or territory",
    regionHint: "Province, state or region.",
    postalCode: "Postal code",
    postalCodeHint: "For example, M5V 1J5.",
    country: "Country",
    AB: "Alberta",
    BC: "British Columbia",
    MB: "Manitoba",
    NB: "New Brunswick",
    NL: "Newfoundland and Labrador",
    NS: "Nova Scotia",
    NT: "Northwest Territories",
    NU: "Nunavut",
    ON: "Ontario",
    PE: "Prince Edward Island",
    QC: "Quebec",
    SK: "Saskatchewan",
    YT: "Yukon",
  },
  "fr-CA": {
    billingAddress: "Adresse de facturation",
    line1: "Adresse, ligne 1",
    line2: "Adresse, ligne 2",
    line2Hint: "Facultatif\u00a0: bureau, unité ou étage.",
    city: "Ville",
    province: "Province",
    chooseProvince: "Choisissez une province ou un territoire",
    regionHint: "Province, État ou région.",
    postalCode: "Code postal",
    postalCodeHint: "Par exemple, M5V 1J5.",
    country: "Pays",
    AB: "Alberta",
    BC: "Colombie-Britannique",
    MB: "Manitoba",
    NB: "Nouveau-Brunswick",
    NL: "Terre-Neuve-et-Labrador",
    NS: "Nouvelle-Écosse",
    NT: "Territoires du Nord-Ouest",
    NU: "Nunavut",
    ON: "Ontario",
    PE: "Île-du-Prince-Édouard",
    QC: "Québec",
    SK: "Saskatchewan",
    YT: "Yukon",
  },
});

const PROVINCES = ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"] as const;
type ProvinceCode = (typeof PROVINCES)[number];

/** Countries offered; the saved one is always added. Names come from Intl in the reader's language. */
const COUNTRIES = ["CA", "US"];

export interface AddressValues {
  line1: string;
  line2: string;
  city: string;
  province: string;
  postalCode: string;
  country: string;
}

function isProvince(code: string): code is ProvinceCode {
  return (PROVINCES as readonly string[]).includes(code);
}

export function countryName(code: string, locale: Locale): string {
  try {
    return new Intl.DisplayNames(locale, { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** "Ontario (ON)", or the code alone for one this list does not know. */
export function useProvinceName(): (code: string) => string {
  const t = useMessages(strings);
  return (code) => (isProvince(code.toUpperCase()) ? `${t[code.toUpperCase() as ProvinceCode]} (${code.toUpperCase()})` : code);
}

export function useAddressStrings() {
  return useMessages(strings);
}

interface AddressFieldsProps {
  value: AddressValues;
  onChange: (changes: Partial<AddressValues>) => void;
  /** The server's refusal for one of the address's fields, by its name in `AddressInput`. */
  errorOf: (field: keyof AddressValues) => string | null;
}

export function AddressFields({ value, onChange, errorOf }: AddressFieldsProps) {
  const t = useMessages(strings);
  const { locale } = useLocale();
  const provinceName = useProvinceName();
  const inCanada = value.country.toUpperCase() === "CA";
  const province = value.province.toUpperCase();

  const provinces = [...PROVINCES]
    .sort((a, b) => t[a].localeCompare(t[b], locale))
    .map((code) => ({ value: code, label: provinceName(code) }));
  // Nothing chosen yet, or a value from before the country was Canada: ask rather than guess.
  const provinceOptions = isProvince(province) ? provinces : [{ value: "", label: t.chooseProvince }, ...provinces];
  const countries = COUNTRIES.includes(value.country.toUpperCase()) ? COUNTRIES : [value.country, ...COUNTRIES];

  return (
    <fieldset class="profile-group">
      <legend>{t.billingAddress}</legend>
      <Field label={t.line1} value={value.line1} onInput={(line1) => onChange({ line1 })} autoComplete="address-line1" required error={errorOf("line1")} />
      <Field
        label={t.line2}
        value={value.line2}
        onInput={(line2) => onChange({ line2 })}
        autoComplete="address-line2"
        hint={t.line2Hint}
        error={errorOf("line2")}
      />
      <Field label={t.city} value={value.city} onInput={(city) => onChange({ city })} autoComplete="address-level2" required error={errorOf("city")} />
      {inCanada ? (
        <Select
          label={t.province}
          value={isProvince(province) ? province : ""}
          onChange={(code) => onChange({ province: code })}
          options={provinceOptions}
          error={errorOf("province")}
        />
      ) : (
        <Field
          label={t.province}
          value={value.province}
          onInput={(region) => onChange({ province: region })}
          autoComplete="address-level1"
          hint={t.regionHint}
          error={errorOf("province")}
        />
      )}
      <Field
        label={t.postalCode}
        value={value.postalCode}
        onInput={(postalCode) => onChange({ postalCode })}
        autoComplete="postal-code"
        hint={inCanada ? t.postalCodeHint : undefined}
        required
        error={errorOf("postalCode")}
      />
      <Select
        label={t.country}
        value={value.country.toUpperCase()}
        onChange={(country) => onChange({ country })}
        options={countries.map((code) => ({ value: code.toUpperCase(), label: countryName(code.toUpperCase(), locale) }))}
        error={errorOf("country")}
      />
    </fieldset>
  );
}

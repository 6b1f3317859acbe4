// Call History (office managers): the calls billed over a range of days within the last 6 months,
// exported as a CSV file behind a link that works for 15 minutes.
import { useMutation, useQuery } from "@urql/preact";
import { useState } from "preact/hooks";

import { Alert, errorFor, errorsWithoutField, Field, Status, type UserErrorLike } from "../components/form";
import { Page } from "../components/page";
import { PortalAccountZoneDocument, RequestCallHistoryExportDocument } from "../generated/graphql";
import { messages, useFormat, useLocale, useMessages } from "../i18n";
import { useSession } from "../session-context";
import "./call-history.css";
import { downloadHref } from "../components/download";

const strings = messages({
  "en-CA": {
    title: "Call History",
    intro: "Download the calls billed to your account over a range of days, as a CSV file that any spreadsheet opens.",
    limit: "Call History goes back 6 months: the first day must be within the last 6 months, and the last day no later than today. For older calls, open the invoice that billed them.",
    from: "From",
    to: "To",
    fromHint: "Within the last 6 months.",
    toHint: "Today at the latest.",
    export: "Export",
    exporting: "Preparing the export…",
    enterDate: "Enter a date.",
    badDate: "Enter the date as YYYY-MM-DD, for example 2026-03-01.",
    ready: (from: string, to: string) => `Your export of the calls billed from ${from} to ${to} is ready.`,
    download: "Download call records (CSV)",
    expires: (time: string) => `The link works until ${time}; after that, export again.`,
    forbidden: "Only office managers can export the call history.",
    perInvoice: "Each invoice’s call records can be downloaded from its page:",
    invoices: "Invoices",
    failed: "The export could not be made. Try again in a moment.",
    columnsHeading: "What the file holds",
    columnsIntro: "One row per call, with these columns, in this order:",
    call_id: "the call’s reference",
    started_at: "when the call started, in UTC",
    direction: "inbound or outbound",
    from_number: "the number that called (a hidden caller ID reads anonymous, private, restricted or unavailable)",
    to_number: "the number called",
    duration_seconds: "how long the call lasted, in seconds",
    call_type: "local, long_distance, international or toll_free",
    rated_amount: "what the call was billed, before taxes",
    currency: "the currency of that amount, such as CAD",
    invoice_number: "the invoice that billed the call",
  },
  "fr-CA": {
    title: "Historique des appels",
    intro: "Téléchargez les appels facturés à votre compte sur une période, dans un fichier CSV que tout tableur ouvre.",
    limit: "L’historique des appels remonte à 6 mois : le premier jour doit se situer dans les 6 derniers mois, et le dernier jour ne peut pas dépasser aujourd’hui. Pour des appels plus anciens, ouvrez la facture qui les a facturés.",
    from: "Date de début",
    to: "Date de fin",
    fromHint: "Dans les 6 derniers mois.",
    toHint: "Au plus tard aujourd’hui.",
    export: "Exporter",
    exporting: "Préparation de l’exportation…",
    enterDate: "Entrez une date.",
    badDate: "Entrez la date au format AAAA-MM-JJ, par exemple 2026-03-01.",
    ready: (from: string, to: string) => `Votre exportation des appels facturés du ${from} au ${to} est prête.`,
    download: "Télécharger les relevés d’appels (CSV)",
    expires: (time: string) => `Le lien fonctionne jusqu’au ${time}; ensuite, exportez de nouveau.`,
    forbidden: "Seuls les gestionnaires de bureau peuvent exporter l’historique des appels.",
    perInvoice: "Les relevés d’appels de chaque facture se téléchargent depuis la page de la facture :",
    invoices: "Factures",
    failed: "L’exportation n’a pas pu être faite. Réessayez dans un instant.",
    columnsHeading: "Contenu du fichier",
    columnsIntro: "Une ligne par appel, avec ces colonnes, dans cet ordre :",
    call_id: "la référence de l’appel",
    started_at: "le début de l’appel, en temps universel (UTC)",
    direction: "inbound (entrant) ou outbound (sortant)",
    from_number: "le numéro appelant (un numéro masqué se lit anonymous, private, restricted ou unavailable)",
    to_number: "le numéro appelé",
    duration_seconds: "la durée de l’appel, en secondes",
    call_type: "local (local), long_distance (interurbain), international ou toll_free (sans frais)",
    rated_amount: "le montant facturé pour l’appel, avant taxes",
    currency: "la devise de ce montant, par exemple CAD",
    invoice_number: "la facture qui a facturé l’appel",
  },
});

/** The CSV's header, as the contract fixes it (never translated: spreadsheets and scripts read it). */
const CSV_COLUMNS = [
  "call_id",
  "started_at",
  "direction",
  "from_number",
  "to_number",
  "duration_seconds",
  "call_type",
  "rated_amount",
  "currency",
  "invoice_number",
] as const;

/** Today as YYYY-MM-DD in a time zone (the server counts "today" in the account's zone, too). */
function todayIn(timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(new Date());
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

function firstDayOfLastMonth(today: string): string {
  const [year = 0, month = 1] = today.split("-").map(Number);
  return month === 1 ? `${year - 1}-12-01` : `${year}-${String(month - 1).padStart(2, "0")}-01`;
}

interface ReadyExport {
  url: string;
  expiresAt: string;
  from: string;
  to: string;
}

export function CallHistory() {
  const t = useMessages(strings);
  const format = useFormat();
  const { timeZone } = useLocale();
  const session = useSession();
  // The range is the account's: "today" is counted in its zone, as the server counts it (a
  // viewer in Halifax of an account in Vancouver is three hours ahead of it).
  const [{ data: zone }] = useQuery({ query: PortalAccountZoneDocument });
  const accountToday = todayIn(zone?.account.timeZone ?? timeZone);
  const [typedFrom, setFrom] = useState<string | null>(null);
  const [typedTo, setTo] = useState<string | null>(null);
  const from = typedFrom ?? firstDayOfLastMonth(accountToday);
  const to = typedTo ?? accountToday;
  const [attempted, setAttempted] = useState(false);
  const [serverErrors, setServerErrors] = useState<readonly UserErrorLike[]>([]);
  const [refusal, setRefusal] = useState<"forbidden" | "failed" | null>(null);
  const [ready, setReady] = useState<ReadyExport | null>(null);
  const [{ fetching }, requestExport] = useMutation(RequestCallHistoryExportDocument);

  /** What the browser can tell before asking: a date input without a date, or not a date at all. */
  function checkDate(field: "from" | "to", value: string): UserErrorLike[] {
    if (!value) return [{ field, code: "REQUIRED", message: t.enterDate }];
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? [] : [{ field, code: "INVALID_DATE", message: t.badDate }];
  }
  // Checked again as the person types once they have tried to export, so a fixed date is no
  // longer marked (and the message follows a language switch).
  const localErrors = attempted ? [...checkDate("from", from), ...checkDate("to", to)] : [];
  const errors = [...localErrors, ...serverErrors];

  async function submit(event: Event) {
    event.preventDefault();
    setAttempted(true);
    setReady(null);
    setRefusal(null);
    setServerErrors([]);
    if (checkDate("from", from).length || checkDate("to", to).length) return;

    const result = await requestExport({ from, to });
    const answer = result.data?.requestCallHistoryExport;
    if (!answer) {
      const forbidden = result.error?.graphQLErrors.some((error) => error.extensions?.code === "FORBIDDEN");
      setRefusal(forbidden ? "forbidden" : "failed");
      return;
    }
    setServerErrors(answer.userErrors);
    if (answer.export) setReady({ ...answer.export, from, to });
  }

  // Members never see this page in the navigation; one who follows a link learns where their
  // call records are instead (the server would refuse the export anyway).
  if (session.role === "MEMBER") {
    return (
      <Page title={t.title}>
        <Alert>{t.forbidden}</Alert>
        <p>
          {t.perInvoice} <a href="/invoices">{t.invoices}</a>
        </p>
      </Page>
    );
  }

  return (
    <Page title={t.title}>
      <p>{t.intro}</p>
      <p>{t.limit}</p>
      <form class="export-form" onSubmit={submit} noValidate>
        <div class="date-range">
          <Field
            label={t.from}
            type="date"
            value={from}
            onInput={setFrom}
            required
            hint={t.fromHint}
            error={errorFor(errors, "from")}
          />
          <Field label={t.to} type="date" value={to} onInput={setTo} required hint={t.toHint} error={errorFor(errors, "to")} />
        </div>
        <Alert>{refusal ? t[refusal] : errorsWithoutField(errors, ["from", "to"])}</Alert>
        <button type="submit" disabled={fetching}>
          {fetching ? t.exporting : t.export}
        </button>
      </form>
      <Status>
        {ready && (
          <div class="export-ready">
            <p>{t.ready(format.date(ready.from), format.date(ready.to))}</p>
            <p>
              <a href={downloadHref(ready.url)} download>
                {t.download}
              </a>
            </p>
            <p>{t.expires(format.dateTime(ready.expiresAt))}</p>
          </div>
        )}
      </Status>
      <section class="csv-section" aria-labelledby="csv-columns">
        <h2 id="csv-columns">{t.columnsHeading}</h2>
        <p>{t.columnsIntro}</p>
        <dl class="csv-columns">
          {CSV_COLUMNS.map((column) => (
            <div key={column}>
              <dt>
                <code>{column}</code>
              </dt>
              <dd>{t[column]}</dd>
            </div>
          ))}
        </dl>
      </section>
    </Page>
  );
}

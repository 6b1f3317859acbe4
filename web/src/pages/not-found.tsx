import { Page } from "../components/page";
import { messages, useMessages } from "../i18n";

const strings = messages({
  "en-CA": { title: "Page not found", body: "There is no page at this address.", home: "Go to the Account Dashboard" },
  "fr-CA": { title: "Page introuvable", body: "Il n’y a aucune page à cette adresse.", home: "Aller au tableau de bord du compte" },
});

export function NotFound() {
  const t = useMessages(strings);
  return (
    <Page title={t.title}>
      <p>{t.body}</p>
      <p>
        <a href="/">{t.home}</a>
      </p>
    </Page>
  );
}

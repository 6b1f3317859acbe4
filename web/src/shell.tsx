// What surrounds every page: a skip link, the portal's name, the language switch, the Main
// navigation (office managers' pages hidden from members) and Log out.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { useMutation } from "@urql/preact";

import { ConfirmIdentityDialog } from "./components/confirm-identity";
import { LogoutDocument } from "./generated/graphql";
import { LANGUAGE_NAMES, LOCALES, messages, useLocale, useMessages } from "./i18n";
import { NAV } from "./routes";
import { useSession } from "./session-context";

const strings = messages({
  "en-CA": {
    skip: "Skip to content",
    portal: "Billing Portal",
    main: "Main",
    menu: "Menu",
    logOut: "Log out",
    dashboard: "Dashboard",
    pay: "Make a Payment",
    payments: "Payments",
    transactions: "Transaction History",
    invoices: "Invoices",
    autoPay: "Auto Pay",
    paymentMethods: "Payment methods",
    profile: "Profile",
    users: "Manage Users",
    callHistory: "Call History",
    activity: "Activity",
    settings: "My settings",
  },
  "fr-CA": {
    skip: "Aller au contenu",
    portal: "Portail de facturation",
    main: "Principal",
    menu: "Menu",
    logOut: "Se déconnecter",
    dashboard: "Tableau de bord",
    pay: "Faire un paiement",
    payments: "Paiements",
    transactions: "Historique des transactions",
    invoices: "Factures",
    autoPay: "Paiement automatique",
    paymentMethods: "Modes de paiement",
    profile: "Profil",
    users: "Gérer les utilisateurs",
    callHistory: "Historique des appels",
    activity: "Activité",
    settings: "Mes paramètres",
  },
});


function LanguageSwitch() {
  const { locale, setLocale } = useLocale();
  const other = LOCALES.find((candidate) => candidate !== locale) ?? "en-CA";
  return (
    <button type="button" class="link-button" lang={other} onClick={() => setLocale(other)}>
      {LANGUAGE_NAMES[other]}
    </button>
  );
}

export function Shell({ children }: { children: ComponentChildren }) {
  const t = useMessages(strings);
  const session = useSession();
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [, logout] = useMutation(LogoutDocument);
  const items = NAV.filter((item) => !item.managersOnly || session.role === "OFFICE_MANAGER");

  async function logOut() {
    // Sent with this session's client, then the session is forgotten here at once: the server's
    // closing of the live connection that follows is not mistaken for a session ended elsewhere.
    const done = logout({});
    session.end("signed-out");
    await done;
  }

  return (
    <>
      <a
        class="skip"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById("main")?.focus();
        }}
      >
        {t.skip}
      </a>
      <header class="banner">
        <span class="brand">{t.portal}</span>
        <div class="banner-actions">
          <LanguageSwitch />
          {session.token && (
            <button type="button" class="secondary" onClick={logOut}>
              {t.logOut}
            </button>
          )}
        </div>
      </header>
      {session.token && session.role && (
        <nav aria-label={t.main} class="main-nav">
          <button type="button" class="menu-toggle" aria-expanded={menuOpen} aria-controls="main-nav-list" onClick={() => setMenuOpen(!menuOpen)}>
            {t.menu}
          </button>
          <ul id="main-nav-list" class={menuOpen ? "open" : ""}>
            {items.map((item) => (
              <li key={item.path}>
                <a href={item.path} aria-current={path === item.path ? "page" : undefined} onClick={() => setMenuOpen(false)}>
                  {t[item.key]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      {session.token && <ConfirmIdentityDialog />}
    </>
  );
}

// The portal: who is logged in decides what a path shows. Logged out, only the public pages (any
// other path goes to /login, and comes back after); logged in with a temporary password, only
// "Choose a new password"; otherwise every page of PORTAL.md.
import { Provider, useMutation, useQuery } from "@urql/preact";
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import { LocationProvider, Route, Router, useLocation } from "preact-iso";

import { makeClient } from "./client";
import { Loading } from "./components/page";
import { SetLanguageDocument, ShellDocument } from "./generated/graphql";
import {
  fromApiLocale,
  initialLocale,
  LocaleContext,
  rememberLocale,
  setRequestLocale,
  toApiLocale,
  useLocale,
  type Locale,
} from "./i18n";
import { Activity } from "./pages/activity";
import { AutoPay } from "./pages/auto-pay";
import { CallHistory } from "./pages/call-history";
import { ChoosePassword } from "./pages/choose-password";
import { EnrollTwoFactor } from "./pages/enroll-two-factor";
import { Dashboard } from "./pages/dashboard";
import { ForgotPassword } from "./pages/forgot-password";
import { InvoiceDetails, Invoices } from "./pages/invoices";
import { Login } from "./pages/login";
import { NotFound } from "./pages/not-found";
import { Pay } from "./pages/pay";
import { PaymentMethods } from "./pages/payment-methods";
import { Payments } from "./pages/payments";
import { Profile } from "./pages/profile";
import { ResetPassword } from "./pages/reset-password";
import { Settings } from "./pages/settings";
import { Transactions } from "./pages/transactions";
import { Users } from "./pages/users";
import { PUBLIC_PATHS } from "./routes";
import { forgetToken, storedToken, storeToken, type EndReason } from "./session";
import { safeNext, SessionContext } from "./session-context";
import { Shell } from "./shell";

export function App() {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const [token, setToken] = useState(storedToken);
  const [next, setNext] = useState<string | null>(null);

  const end = useCallback((reason: EndReason) => {
    forgetToken(reason);
    setToken(null);
  }, []);
  // A client answers for the session it was made for: a late refusal from an older one (or the
  // live connection closing on a logout this tab asked for) changes nothing.
  const session = useMemo(
    () => makeClient(token, () => token !== null && storedToken() === token && end("ended")),
    [token, end],
  );
  useEffect(() => () => session.dispose(), [session]);

  // Logging out (or in) in another tab does the same here.
  useEffect(() => {
    const onStorage = () => {
      const now = storedToken();
      if (now === null) forgetToken("signed-out");
      setToken(now);
    };
    addEventListener("storage", onStorage);
    return () => removeEventListener("storage", onStorage);
  }, []);

  // Before the first request: the server answers in the language the page is in.
  setRequestLocale(locale);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = (chosen: Locale) => {
    rememberLocale(chosen);
    setLocaleState(chosen);
  };
  const start = (fresh: string, after?: string | null) => {
    storeToken(fresh);
    setNext(safeNext(after));
    setToken(fresh);
  };

  return (
    <LocaleContext.Provider value={{ locale, setLocale, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }}>
      <Provider value={session.client}>
        <LocationProvider>
          {token ? (
            <LoggedIn token={token} start={start} end={end} next={next} clearNext={() => setNext(null)} />
          ) : (
            <SessionContext.Provider value={{ token: null, start, end, role: null }}>
              <LoggedOut />
            </SessionContext.Provider>
          )}
        </LocationProvider>
      </Provider>
    </LocaleContext.Provider>
  );
}

function LoggedOut() {
  const { path, url, route } = useLocation();
  const isPublic = (PUBLIC_PATHS as readonly string[]).includes(path);
  useEffect(() => {
    if (!isPublic) route(`/login?next=${encodeURIComponent(url)}`, true);
  }, [isPublic, url]);
  if (!isPublic) return null;
  return (
    <Shell>
      <Router>
        <Route path="/login" component={Login} />
        <Route path="/forgot-password" component={ForgotPassword} />
        <Route path="/reset-password" component={ResetPassword} />
      </Router>
    </Shell>
  );
}

interface LoggedInProps {
  token: string;
  start: (token: string, next?: string | null) => void;
  end: (reason: EndReason) => void;
  next: string | null;
  clearNext: () => void;
}

function LoggedIn({ token, start, end, next, clearNext }: LoggedInProps) {
  const [{ data, error }] = useQuery({ query: ShellDocument });
  const [, setLanguage] = useMutation(SetLanguageDocument);
  // Once the account asks for an authenticator, its page stays until the recovery codes are seen.
  const [enrolling, setEnrolling] = useState(false);
  useEffect(() => {
    if (data?.viewer?.mustEnrollTwoFactor) setEnrolling(true);
  }, [data?.viewer?.mustEnrollTwoFactor]);
  const locale = useLocale();
  const { path, route } = useLocation();
  const viewer = data?.viewer;

  // No viewer for this token: the session ended elsewhere (idle, logged out, password changed).
  useEffect(() => {
    if (data && !data.viewer) end("ended");
  }, [data]);

  // The language the person chose, wherever they chose it, once the server says which it is.
  useEffect(() => {
    if (!viewer) return;
    const theirs = fromApiLocale(viewer.locale);
    if (theirs !== locale.locale) locale.setLocale(theirs);
  }, [viewer?.locale]);

  // Just logged in: go where the person was headed (an emailed /pay link); /login is behind them.
  useEffect(() => {
    if (next !== null) {
      route(next, true);
      clearNext();
    } else if (path === "/login") {
      route("/", true);
    }
  }, [next, path]);

  const session = { token, start, end, role: viewer?.role ?? null };
  // Switching language here also keeps it for the person: their emails and other devices follow.
  const setLocale = (chosen: Locale) => {
    locale.setLocale(chosen);
    if (viewer) setLanguage({ id: viewer.id, locale: toApiLocale(chosen) });
  };
  const zoned = { ...locale, setLocale, timeZone: viewer?.timeZone ?? locale.timeZone };
  return (
    <SessionContext.Provider value={session}>
      <LocaleContext.Provider value={zoned}>
        <Shell>
          {!viewer ? (
            <Loading error={error} />
          ) : viewer.mustChangePassword ? (
            <ChoosePassword />
          ) : enrolling || viewer.mustEnrollTwoFactor ? (
            <EnrollTwoFactor onDone={() => setEnrolling(false)} />
          ) : (
            <Router>
              <Route path="/" component={Dashboard} />
              <Route path="/pay" component={Pay} />
              <Route path="/payments" component={Payments} />
              <Route path="/transactions" component={Transactions} />
              <Route path="/invoices" component={Invoices} />
              <Route path="/invoices/:id" component={InvoiceDetails} />
              <Route path="/auto-pay" component={AutoPay} />
              <Route path="/payment-methods" component={PaymentMethods} />
              <Route path="/profile" component={Profile} />
              <Route path="/users" component={Users} />
              <Route path="/call-history" component={CallHistory} />
              <Route path="/activity" component={Activity} />
              <Route path="/settings" component={Settings} />
              <Route path="/reset-password" component={ResetPassword} />
              <Route default component={NotFound} />
            </Router>
          )}
        </Shell>
      </LocaleContext.Provider>
    </SessionContext.Provider>
  );
}

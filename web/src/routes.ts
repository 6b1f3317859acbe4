// The portal's routes (PORTAL.md). The server answers each of these paths with the portal's page;
// tests/api/portal.rs holds the server's list to this one.
export const PUBLIC_PATHS = ["/login", "/forgot-password", "/reset-password"] as const;

export interface NavItem {
  path: string;
  key: "dashboard" | "pay" | "payments" | "transactions" | "invoices" | "autoPay" | "paymentMethods" | "profile" | "users" | "callHistory" | "activity" | "settings";
  /** Hidden from members: the server answers them FORBIDDEN anyway. */
  managersOnly?: boolean;
}

export const NAV: NavItem[] = [
  { path: "/", key: "dashboard" },
  { path: "/pay", key: "pay" },
  { path: "/payments", key: "payments" },
  { path: "/transactions", key: "transactions" },
  { path: "/invoices", key: "invoices" },
  { path: "/auto-pay", key: "autoPay" },
  { path: "/payment-methods", key: "paymentMethods" },
  { path: "/profile", key: "profile" },
  { path: "/users", key: "users", managersOnly: true },
  { path: "/call-history", key: "callHistory", managersOnly: true },
  { path: "/activity", key: "activity", managersOnly: true },
  { path: "/settings", key: "settings" },
];

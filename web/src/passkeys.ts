// The browser's side of a passkey: the server's options (JSON, as webauthn-rs writes them) to
// `navigator.credentials`, and its answer back as JSON (`toJSON()`), the shapes the WebAuthn Level 3
// JSON methods define, which every current browser has.

/** What the two JSON methods look like where TypeScript's DOM types do not have them yet. */
interface JsonCapable {
  parseCreationOptionsFromJSON(options: unknown): PublicKeyCredentialCreationOptions;
  parseRequestOptionsFromJSON(options: unknown): PublicKeyCredentialRequestOptions;
}

function json(): JsonCapable | null {
  const api = (globalThis as { PublicKeyCredential?: unknown }).PublicKeyCredential as Partial<JsonCapable> | undefined;
  return api?.parseCreationOptionsFromJSON && api.parseRequestOptionsFromJSON ? (api as JsonCapable) : null;
}

/** Whether this browser can make and use passkeys here (a secure page, a current browser). */
export function passkeysAvailable(): boolean {
  return window.isSecureContext && json() !== null;
}

/** Makes a passkey for the server's registration `options`; null when the person cancelled. */
export async function createPasskey(options: string): Promise<string | null> {
  const api = json();
  if (!api) return null;
  const { publicKey } = JSON.parse(options) as { publicKey: unknown };
  try {
    const credential = await navigator.credentials.create({ publicKey: api.parseCreationOptionsFromJSON(publicKey) });
    return credential ? JSON.stringify(credential) : null;
  } catch (error) {
    if (error instanceof DOMException && (error.name === "NotAllowedError" || error.name === "AbortError")) return null;
    throw error;
  }
}

/** Signs the server's sign-in `options` with a passkey; null when the person cancelled. */
export async function signWithPasskey(options: string): Promise<string | null> {
  const api = json();
  if (!api) return null;
  // Only `publicKey`: the server's `mediation` (autofill) is for a field this portal does not have.
  const { publicKey } = JSON.parse(options) as { publicKey: unknown };
  try {
    const credential = await navigator.credentials.get({ publicKey: api.parseRequestOptionsFromJSON(publicKey) });
    return credential ? JSON.stringify(credential) : null;
  } catch (error) {
    if (error instanceof DOMException && (error.name === "NotAllowedError" || error.name === "AbortError")) return null;
    throw error;
  }
}

// Copies the portal's operations into the bundle as a {sha256: text} manifest (codegen writes its
// keys as "sha256:HEX"), where the server finds them: it trusts them beside the operator's own
// manifest, so the portal runs where only listed operations do (PERSISTED_OPERATIONS_ONLY).
import { readFileSync, writeFileSync } from "node:fs";

const written = JSON.parse(readFileSync(new URL("../src/generated/persisted-documents.json", import.meta.url), "utf8"));
const manifest = Object.fromEntries(Object.entries(written).map(([key, text]) => [key.replace(/^sha256:/, ""), text]));
const out = process.env.PORTAL_OUT_DIR ? new URL(`file://${process.env.PORTAL_OUT_DIR}/`) : new URL("../dist/", import.meta.url);
writeFileSync(new URL("persisted-operations.json", out), `${JSON.stringify(manifest, null, 2)}\n`);

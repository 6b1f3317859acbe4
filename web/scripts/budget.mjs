// Fails the build when the JavaScript a browser downloads passes 150 KB gzipped (the budget).
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET = 150 * 1024;
const out = process.env.PORTAL_OUT_DIR ? new URL(`file://${process.env.PORTAL_OUT_DIR}/`) : new URL("../dist/", import.meta.url);
const dir = new URL("assets/", out);
let total = 0;
for (const name of readdirSync(dir).filter((n) => n.endsWith(".js"))) {
  const size = gzipSync(readFileSync(new URL(name, dir)), { level: 9 }).length;
  total += size;
  console.log(`${name.padEnd(40)} ${(size / 1024).toFixed(1)} KB gzipped`);
}
console.log(`JavaScript, gzipped: ${(total / 1024).toFixed(1)} KB of ${BUDGET / 1024} KB`);
if (total > BUDGET) {
  console.error("Over the JavaScript budget.");
  process.exit(1);
}

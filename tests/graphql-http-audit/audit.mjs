// Runs graphql-http's server audit against the URL given, prints every audit that did not pass
// with its level (MUST, SHOULD, MAY) and a closing "N passed, N failed" line; exits 1 when a MUST
// or a SHOULD failed. (MAYs are reported: GET requests are refused here on purpose, see README.)
import { auditServer } from 'graphql-http';

const results = await auditServer({ url: process.argv[2] });
let failed = 0;
for (const result of results) {
  if (result.status === 'ok') continue;
  const required = result.name.startsWith('MUST') || result.name.startsWith('SHOULD');
  if (required) failed++;
  console.log(`${required ? 'FAILED' : 'notice'} ${result.name}: ${result.reason}`);
}
const required = results.filter((r) => r.name.startsWith('MUST') || r.name.startsWith('SHOULD')).length;
console.log(`graphql-http audit: ${required - failed} of ${required} MUST and SHOULD audits pass`);
process.exit(failed ? 1 : 0);

// Typed operations from the server's schema and the portal's own .graphql files: a field the
// schema drops, or an operation that no longer matches it, fails `npm run build`.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/operations/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    "src/generated/": {
      preset: "client",
      presetConfig: { fragmentMasking: false, gqlTagName: "graphql" },
      config: {
        // Strings as the API writes them: a Decimal keeps its digits, a Date its calendar day.
        scalars: { Date: "string", DateTime: "string", Decimal: "string" },
        enumsAsTypes: true,
        useTypeImports: true,
        skipTypename: false,
      },
    },
    // What graphcache needs to match fragments on interfaces (Node) and know embedded types.
    "src/generated/schema.ts": { plugins: ["urql-introspection"], config: { useTypeImports: true, minify: true } },
  },
};
export default config;

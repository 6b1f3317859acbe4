// Typed operations from the server's schema and the portal's own .graphql files: a field the
// schema drops, or an operation that no longer matches it, fails `npm run build`.
import type { CodegenConfig } from "@graphql-codegen/cli";
import { addTypenameSelectionDocumentTransform } from "@graphql-codegen/client-preset";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  // The contract's operations, as the API tests run them (one copy in the repository), and the
  // portal's own.
  documents: ["../tests/api/operations/*.graphql", "src/operations/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    "src/generated/": {
      preset: "client",
      // __typename in every selection, in the text the server runs too: graphcache normalizes by it,
      // and a persisted operation's answer has only what its listed text asks for.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      // persistedDocuments: each operation's SHA-256, and persisted-documents.json ({hash: text}),
      // which the build copies into dist/ and the server trusts: the portal works where only listed
      // operations run (PERSISTED_OPERATIONS_ONLY), and sends a hash instead of each text.
      presetConfig: {
        fragmentMasking: false,
        gqlTagName: "graphql",
        persistedDocuments: { mode: "embedHashInDocument", hashAlgorithm: "sha256" },
      },
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

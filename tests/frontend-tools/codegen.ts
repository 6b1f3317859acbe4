// GraphQL Code Generator as a frontend team configures it: the schema read from the running
// server's introspection (SCHEMA_URL), the contract's operations, the client preset, and the
// custom scalars mapped to what travels (text).
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: process.env.SCHEMA_URL,
  documents: (process.env.OPERATIONS ?? '').split(',').filter(Boolean),
  generates: {
    [`${process.env.OUT_DIR}/`]: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        strictScalars: true,
        scalars: { Date: 'string', DateTime: 'string', Decimal: 'string' },
        enumsAsTypes: true,
      },
    },
  },
  silent: true,
};
export default config;

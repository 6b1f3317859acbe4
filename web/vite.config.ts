// The portal's build. Its output (dist/) is committed and compiled into the binary, so it must be
// the same bytes on every machine: no source maps, no inlined assets, no polyfill preloads, hashed
// names that change only when the content does.
import { defineConfig } from "vite";

export default defineConfig({
  base: "/",
  esbuild: undefined,
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  resolve: {
    alias: { react: "preact/compat", "react-dom": "preact/compat" },
  },
  build: {
    // PORTAL_OUT_DIR: where the drift check (tests/portal_bundle.rs) builds to compare with dist/.
    outDir: process.env.PORTAL_OUT_DIR ?? "dist",
    emptyOutDir: true,
    sourcemap: false,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: "es2022",
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev` beside `cargo run -- demo`: the API stays on the server's origin.
    proxy: {
      "/graphql": { target: "http://127.0.0.1:8000", ws: true }, "/downloads": "http://127.0.0.1:8000",
      "/mock-gateway": "http://127.0.0.1:8000",
    },
  },
});

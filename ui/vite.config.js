import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// Built straight into the Python package, which serves it; relative asset URLs so the UI
// works under any --path-prefix. `npm run dev` proxies the API to a local server.
export default defineConfig({
  base: "./",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: fileURLToPath(new URL("../src/headwater/webserver/static", import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    sourcemap: false,
  },
  server: {
    proxy: { "/graphql": { target: "http://127.0.0.1:3000", ws: true } },
  },
});

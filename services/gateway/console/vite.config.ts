import { defineConfig } from "vite";

// Served by the gateway under /console/ (same origin as /api/v1: no CORS, no token in URLs).
export default defineConfig({
  base: "/console/",
  worker: { format: "es" },
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2048 },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
});

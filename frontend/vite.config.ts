import { defineConfig } from "vite";

export default defineConfig({
  base: "/",
  build: { outDir: "dist", sourcemap: true },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
});

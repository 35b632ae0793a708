// Copy the API docs viewer into dist/vendor so /api/schema loads nothing from other hosts.
import { copyFileSync, mkdirSync } from "node:fs";

mkdirSync("dist/vendor", { recursive: true });
copyFileSync("node_modules/rapidoc/dist/rapidoc-min.js", "dist/vendor/rapidoc-min.js");
copyFileSync(
  "node_modules/rapidoc/dist/rapidoc-min.js.LICENSE.txt",
  "dist/vendor/rapidoc-min.js.LICENSE.txt",
);

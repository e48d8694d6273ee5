// Builds the CLI ahead of time (run by `npm install` through the `prepare` script, and by the launcher when the
// sources are newer than the build): one ESM entry plus a chunk per subcommand, so a run loads only what it uses.
// Packages stay in node_modules; only our TypeScript is compiled.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const outdir = path.join(root, "dist", "cli");

/** `server-only` guards modules against client bundles; outside Next.js it would throw, and the CLI is server code. */
const serverOnly = {
  name: "server-only",
  setup(b) {
    b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
    b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

/**
 * Large CommonJS packages are loaded with require, not imported: Node's ESM loader would first scan all of
 * typescript.js for its export names and module syntax (about 0.4 s on every run).
 */
const REQUIRED = ["typescript"];
const requireCjs = {
  name: "require-cjs",
  setup(b) {
    const filter = new RegExp(`^(?:${REQUIRED.join("|")})$`);
    // The require inside the stand-in stays a real require of the package.
    b.onResolve({ filter }, (args) => (args.namespace === "require-cjs" ? { path: args.path, external: true } : { path: args.path, namespace: "require-cjs" }));
    b.onLoad({ filter: /.*/, namespace: "require-cjs" }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: "js" }));
  },
};

/** Builds into a fresh folder, then swaps it in, so a CLI starting meanwhile never sees half a build. */
export async function buildCli() {
  const staging = `${outdir}.${process.pid}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    // The scan worker is a second entry: the app's pool of worker threads loads it (lib/jobs/scan-pool.ts).
    entryPoints: { main: "lib/cli/main.ts", "scan-worker": "lib/jobs/scan-worker.ts" },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    plugins: [serverOnly, requireCjs],
    tsconfig: path.join(root, "tsconfig.json"),
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    // Some packages are CommonJS; ESM output gets a require for them.
    banner: { js: 'import { createRequire as __lrCreateRequire } from "node:module"; const require = __lrCreateRequire(import.meta.url);' },
    logLevel: "warning",
    legalComments: "none",
  });
  fs.writeFileSync(path.join(staging, "BUILD_STAMP"), new Date().toISOString());
  const old = `${outdir}.${process.pid}.old`;
  if (fs.existsSync(outdir)) fs.renameSync(outdir, old);
  fs.renameSync(staging, outdir);
  fs.rmSync(old, { recursive: true, force: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCli();
}

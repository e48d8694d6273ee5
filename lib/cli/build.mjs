// Builds the CLI ahead of time (run by `npm install` through the `prepare` script, and by the launcher when the
// sources are newer than the build): a small CommonJS entry plus one bundle per subcommand, so a run loads only what
// it uses. The bundles are CommonJS and carry the pure-JavaScript packages they use: V8's code cache is made for them
// when they are built (code-cache.mjs), and one file costs one read where a package's hundreds of modules cost a
// resolution, a read and a compile each. `import()` in our code becomes a lazy require, so a package a scan doesn't
// need is never loaded.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, transformSync } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const outdir = path.join(root, "dist", "cli");
/** Packages as the project resolves them, to read at build time. */
const requireFromRoot = createRequire(path.join(root, "package.json"));
const COMMANDS = ["scan", "report", "submission", "tools", "serve", "user", "audit", "keys", "worker"];

/**
 * Packages loaded from node_modules rather than bundled: native addons and the packages around them, packages that
 * find files beside themselves (WebAssembly grammars; piscina's own thread entry), the app's own framework, the
 * Postgres driver and job queue (pg looks for an optional native binding), and the TypeScript compiler (9 MB,
 * already one CommonJS file: the bundles load a minified copy built beside them, see minifiedTypescript).
 */
const EXTERNAL = [
  "typescript",
  "better-sqlite3",
  "drizzle-orm",
  "better-auth",
  "@zxcvbn-ts/*",
  "web-tree-sitter",
  "tree-sitter-python",
  "next",
  "pino",
  "@modelcontextprotocol/sdk",
  "esbuild",
  "piscina",
  "pg",
  "pg-boss",
];

/** `server-only` guards modules against client bundles; outside Next.js it would throw, and the CLI is server code. */
const serverOnly = {
  name: "server-only",
  setup(b) {
    b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
    b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "", loader: "js" }));
  },
};

/**
 * minipass-fetch (under npm-registry-fetch) requires iconv-lite when it loads, in a try/catch, for a text-decoding
 * method nothing here calls. Bundled, it put 0.5 MB of character tables into every scan; left out, minipass-fetch
 * runs as it does when the optional package is not installed.
 */
const noIconv = {
  name: "no-iconv",
  setup(b) {
    b.onResolve({ filter: /^iconv-lite$/ }, (args) =>
      args.importer.includes(`${path.sep}minipass-fetch${path.sep}`) ? { path: "iconv-lite", namespace: "absent" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "absent" }, () => ({ contents: 'throw new Error("iconv-lite is not bundled");', loader: "js" }));
  },
};

/** main.ts loads each subcommand's bundle by its built name, so no command is bundled into another. */
const commandsApart = {
  name: "commands-apart",
  setup(b) {
    b.onResolve({ filter: /^\.\/commands\/[\w-]+$/ }, (args) =>
      args.importer.endsWith(path.join("lib", "cli", "main.ts")) ? { path: `./${path.basename(args.path)}.cjs`, external: true } : undefined,
    );
  },
};

/**
 * Modules whose classes cross bundles: main.cjs tells a command's AppError or UsageError by `instanceof`, so every
 * bundle requires the one copy built beside it instead of carrying its own.
 */
const SHARED = new Map([
  [path.join(root, "lib", "core", "errors.ts"), "./errors.cjs"],
  [path.join(root, "lib", "cli", "usage.ts"), "./usage.cjs"],
]);
const sharedModules = {
  name: "shared-modules",
  setup(b) {
    b.onResolve({ filter: /(?:^|\/)(?:errors|usage)$/ }, async (args) => {
      if (args.kind === "entry-point" || args.pluginData?.shared) return undefined;
      const resolved = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: { shared: true } });
      const shared = SHARED.get(resolved.path);
      return shared ? { path: shared, external: true } : resolved;
    });
  },
};

/**
 * Packages a scan may well not use load on first use, not when the bundle loads: the TypeScript compiler (9 MB; about
 * 40 MB of heap and 100 ms to load) when a scan first reads a JavaScript or TypeScript file, the YAML, yarn.lock and
 * Python version parsers when such a file is there, the JSON Schema validator when a submission file is. A bundle's
 * top level otherwise runs every package it carries, which took a scan of a small connector ~100 ms before it read a
 * file. `import ts from "typescript"` gets an object with the package's exports as getters that load it on first use,
 * then become the plain values; an export that is a function is called through. The TypeScript compiler is its own
 * file beside the bundles; the others are bundled and run when first used.
 */
const LAZY_PACKAGES = new Map([
  ["typescript", { external: "./typescript.cjs", fast: true }],
  ["yaml", {}],
  ["@yarnpkg/parsers", {}],
  ["ajv/dist/2020.js", {}],
  ["@renovatebot/pep440", {}],
  ["picomatch", {}],
]);
const lazyPackages = {
  name: "lazy-packages",
  setup(b) {
    const filter = new RegExp(`^(?:${[...LAZY_PACKAGES.keys()].map((k) => k.replace(/[./]/g, "\\$&")).join("|")})$`);
    b.onResolve({ filter }, (args) => {
      if (args.namespace !== "lazy-package") return { path: args.path, namespace: "lazy-package" };
      const { external } = LAZY_PACKAGES.get(args.path);
      return external ? { path: external, external: true } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: "lazy-package" }, (args) => ({ loader: "js", resolveDir: root, contents: lazyModule(args.path) }));
  },
};

/** The source of a lazy stand-in for `name`, from the names its exports have when it is loaded here. */
export function lazyModule(name) {
  const real = requireFromRoot(name);
  if (LAZY_PACKAGES.get(name).fast) return fastLazyModule(name, real);
  // Enum-like objects (names to numbers or strings) are copied as they are: a module may read one when it loads, and
  // reading it must not load the package. So is the __esModule flag, read on import.
  const isEnum = (v) =>
    v !== null && typeof v === "object" && Object.keys(v).length > 0 && Object.values(v).every((x) => typeof x === "number" || typeof x === "string");
  const eager = Object.fromEntries(Object.keys(real).filter((n) => isEnum(real[n])).map((n) => [n, real[n]]));
  const lazyNames = Object.keys(real).filter((n) => !(n in eager) && n !== "__esModule");
  const callable = typeof real === "function" && !real.__esModule;
  return `const eager = ${JSON.stringify(eager)};
const names = ${JSON.stringify(lazyNames)};
let real;
const load = () => (real ??= require(${JSON.stringify(name)}));
const lazy = ${callable ? "function (...args) { return load().apply(this, args); }" : "{}"};
${real.__esModule ? 'Object.defineProperty(lazy, "__esModule", { value: true });' : ""}
Object.assign(lazy, eager);
for (const name of names) {
  Object.defineProperty(lazy, name, {
    get() {
      const value = load()[name];
      Object.defineProperty(lazy, name, { value, enumerable: true });
      return value;
    },
    enumerable: true,
    configurable: true,
  });
}
module.exports = lazy;`;
}

/**
 * The TypeScript compiler's stand-in, read on every syntax node: its 2,244 exports (getters) are a dictionary to V8,
 * and so was a stand-in with all of them, so each `ts.isIdentifier(node)` was two hash lookups. This one is an ES
 * module whose default export holds only what our sources name (`ts.<name>`, about a hundred names): enums as they
 * are, functions as stubs that load the compiler and put its own functions in their place. Anything else is found
 * through a prototype that loads the compiler, so a name missed here still works, only slower.
 */
function fastLazyModule(name, real) {
  const used = new Set();
  for (const dir of ["lib", "checks"]) {
    for (const rel of fs.readdirSync(path.join(root, dir), { recursive: true })) {
      if (!/\.tsx?$/.test(String(rel)) || String(rel).endsWith(".test.ts")) continue;
      for (const m of fs.readFileSync(path.join(root, dir, String(rel)), "utf8").matchAll(/\bts\.([A-Za-z_$][\w$]*)/g)) if (m[1] in real) used.add(m[1]);
    }
  }
  const names = [...used].sort();
  const functions = names.filter((n) => typeof real[n] === "function");
  const values = names.filter((n) => typeof real[n] !== "function");
  const isData = (v) => v === null || typeof v !== "object" || Object.values(v).every((x) => typeof x === "number" || typeof x === "string");
  const eager = values.filter((n) => isData(real[n]));
  const later = values.filter((n) => !isData(real[n]));
  return `let real;
const load = () => (real ??= require(${JSON.stringify(name)}));
const fallback = new Proxy({}, { get: (_, key) => load()[key] });
const lazy = {
${eager.map((n) => `  ${n}: ${JSON.stringify(real[n])},`).join("\n")}
${functions.map((n) => `  ${n}(...args) { return swap().${n}(...args); },`).join("\n")}
${later.map((n) => `  get ${n}() { return load().${n}; },`).join("\n")}
};
Object.setPrototypeOf(lazy, fallback);
let swapped = false;
function swap() {
  const ts = load();
  if (!swapped) for (const name of ${JSON.stringify(functions)}) lazy[name] = ts[name];
  swapped = true;
  return ts;
}
export default lazy;`;
}

/**
 * The TypeScript compiler as the bundles load it: typescript.js minified (9.1 MB of source becomes 3.6 MB). Node
 * reads the whole file and V8 keeps a loaded script's source in the heap: the minified copy loads ~25 ms sooner and
 * holds ~12 MB less. Scans only parse with it, and nothing in the parser depends on its local names.
 */
function minifiedTypescript(outFile) {
  const source = requireFromRoot.resolve("typescript");
  const { code } = transformSync(fs.readFileSync(source, "utf8"), { loader: "js", format: "cjs", target: "node20", minify: true, legalComments: "none" });
  fs.writeFileSync(outFile, code);
}

/** Builds into a fresh folder, then swaps it in, so a CLI starting meanwhile never sees half a build. */
export async function buildCli() {
  const staging = `${outdir}.${process.pid}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: {
      main: "lib/cli/main.ts",
      errors: "lib/core/errors.ts",
      usage: "lib/cli/usage.ts",
      ...Object.fromEntries(COMMANDS.map((c) => [c, `lib/cli/commands/${c}.ts`])),
      // The app's pool of worker threads loads this one (lib/jobs/scan-pool.ts).
      "scan-worker": "lib/jobs/scan-worker.ts",
    },
    outdir: staging,
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    // import() of a bundled module or package becomes a require when it runs: no ESM loader, and the code cache applies.
    supported: { "dynamic-import": false },
    external: EXTERNAL,
    // jsonc-parser's "main" is a UMD build whose requires a bundler can't follow; its "module" is plain ESM.
    mainFields: ["module", "main"],
    plugins: [serverOnly, noIconv, commandsApart, sharedModules, lazyPackages],
    tsconfig: path.join(root, "tsconfig.json"),
    outExtension: { ".js": ".cjs" },
    logLevel: "warning",
    legalComments: "none",
    // Whitespace and comments out: less source for V8 to read and keep in memory (the source of every loaded function
    // stays in the heap), and no non-ASCII comment turns the whole source into a two-byte string of twice the size.
    minifyWhitespace: true,
    minifySyntax: true,
  });
  minifiedTypescript(path.join(staging, "typescript.cjs"));
  for (const rel of fs.readdirSync(staging, { recursive: true })) if (String(rel).endsWith(".cjs")) asciiOnly(path.join(staging, String(rel)));
  warmUp(staging);
  fs.writeFileSync(path.join(staging, "BUILD_STAMP"), new Date().toISOString());
  const old = `${outdir}.${process.pid}.old`;
  if (fs.existsSync(outdir)) fs.renameSync(outdir, old);
  fs.renameSync(staging, outdir);
  fs.rmSync(old, { recursive: true, force: true });
}

/**
 * esbuild escapes non-ASCII characters everywhere but in regular expression literals; one such character makes V8 keep
 * the whole bundle as a two-byte string, twice the memory. A \\u escape means the same character in a regex literal.
 */
function asciiOnly(file) {
  const text = fs.readFileSync(file, "utf8");
  if (/^[\x00-\x7f]*$/.test(text)) return;
  fs.writeFileSync(file, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

/** Records V8's code cache for a scan into the build (code-cache.mjs); without it the CLI works, only slower to start. */
function warmUp(buildDir) {
  const run = spawnSync(process.execPath, [path.join(root, "lib", "cli", "warm-up.mjs"), buildDir, root], {
    cwd: root,
    env: { ...process.env, LAUNCH_REVIEW_HOME: root, LAUNCH_REVIEW_LOG_LEVEL: "silent" },
    stdio: ["ignore", "ignore", "pipe"],
    timeout: 120_000,
  });
  // Exit 1 means the demo has findings, as it should.
  if (run.status !== 0 && run.status !== 1) {
    fs.rmSync(path.join(buildDir, "code-cache"), { recursive: true, force: true });
    console.warn(`launch-review: no code cache for the CLI (the warm-up scan failed: ${String(run.stderr ?? run.error).trim().split("\n")[0]})`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCli();
}

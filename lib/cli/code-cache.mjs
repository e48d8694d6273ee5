// V8's compiled code for the CLI's bundles and the TypeScript compiler, made when the CLI is built (build.mjs runs a
// warm-up scan of the demo connector and keeps the code cache beside the bundles) so a run deserializes code instead of
// compiling it. Node 20 has no module compile cache of its own (module.enableCompileCache came in Node 22). Nothing
// is written when the CLI runs: it keeps to --out and its cache folder. A cache made by another Node version or with
// other V8 flags is rejected by V8 and the code is compiled as usual.
import fs from "node:fs";
import Module from "node:module";
import path from "node:path";
import vm from "node:vm";

/** The files worth caching: the bundles of a build folder (the TypeScript compiler among them), by cache entry name. */
export function cachedFiles(buildDir) {
  const files = new Map();
  for (const rel of fs.readdirSync(buildDir, { recursive: true })) {
    if (String(rel).endsWith(".cjs")) files.set(path.join(buildDir, String(rel)), String(rel).replace(/[\\/]/g, "-"));
  }
  return files;
}

/**
 * Compiles the given CommonJS files with their cached code from `dir`. With `record`, caches nothing on load and
 * writes each file's code cache when the process exits, covering every function the run compiled.
 */
export function installCodeCache({ dir, files, record = false }) {
  const recorded = [];
  const original = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename) {
    const name = files.get(filename);
    if (name === undefined) return original.call(this, content, filename);
    const stat = fs.statSync(filename);
    const stamp = `${process.version} ${stat.size} ${Math.trunc(stat.mtimeMs)}`;
    const cachedData = record ? undefined : readEntry(dir, name, stamp);
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (record) recorded.push({ name, stamp, script });
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
  };
  if (record) {
    process.once("exit", () => {
      fs.mkdirSync(dir, { recursive: true });
      for (const { name, stamp, script } of recorded) {
        fs.writeFileSync(path.join(dir, `${name}.v8`), script.createCachedData());
        fs.writeFileSync(path.join(dir, `${name}.stamp`), stamp);
      }
    });
  }
}

/** An entry's cached code when it was made from this very file by this Node version; otherwise nothing. */
function readEntry(dir, name, stamp) {
  try {
    if (fs.readFileSync(path.join(dir, `${name}.stamp`), "utf8") !== stamp) return undefined;
    return fs.readFileSync(path.join(dir, `${name}.v8`));
  } catch {
    return undefined;
  }
}

/** The `require` Node gives a CommonJS module, for a module compiled here instead of by Node. */
function requireFor(mod) {
  const require = (id) => mod.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
  require.main = process.mainModule;
  require.cache = Module._cache;
  require.extensions = Module._extensions;
  return require;
}

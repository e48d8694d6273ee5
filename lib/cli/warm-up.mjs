// Run by build.mjs in a child process on a fresh build: one scan of the bundled demo connector with the code cache
// recording, so the build folder gets V8's compiled code for what a scan runs (see code-cache.mjs). It asks no advisory
// source, keeps no cache and writes its report nowhere.
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { cachedFiles, installCodeCache } from "./code-cache.mjs";

const [buildDir, home] = process.argv.slice(2);
installCodeCache({ dir: path.join(buildDir, "code-cache"), files: cachedFiles(buildDir), record: true });
const demo = path.join(home, "examples", "demo-connector");
process.argv = [process.argv[0], "launch-review", "scan", demo, "--advisories", "none", "--no-cache", "--quiet", "--format", "json", "--out", os.devNull];
createRequire(import.meta.url)(path.join(buildDir, "main.cjs"));

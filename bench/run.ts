// npm run bench [name…]: runs every benchmark in bench/<name>/index.ts (or the ones named), one after another.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const dir = __dirname;
const wanted = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const all = fs
  .readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "index.ts")))
  .map((d) => d.name)
  .sort();
const names = wanted.length > 0 ? wanted : all;
const unknown = names.filter((n) => !all.includes(n));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(", ")}. Available: ${all.join(", ")}`);
  process.exit(2);
}
async function runAll(): Promise<void> {
  for (const name of names) {
    console.log(`\n== bench/${name}`);
    const mod = (await import(pathToFileURL(path.join(dir, name, "index.ts")).href)) as { main: () => Promise<void> };
    await mod.main();
  }
}

runAll().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

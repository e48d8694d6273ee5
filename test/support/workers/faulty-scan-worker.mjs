// A scan worker that misbehaves on purpose, by scan id (the pool test creates scans in this order): 1 exits the
// thread, 2 never ends and never looks at a signal, 3 allocates until its heap limit; any other scan runs for real.
import path from "node:path";
import { pathToFileURL } from "node:url";

export default async function faultyScan(task) {
  if (task.scanId === 1) process.exit(3);
  if (task.scanId === 2) for (;;);
  if (task.scanId === 3) {
    const hoard = [];
    for (;;) hoard.push(new Array(1e6).fill(hoard.length));
  }
  const real = await import(pathToFileURL(path.resolve("dist/cli/scan-worker.cjs")).href);
  // A CommonJS bundle's exports arrive as the default export.
  return (real.default.default ?? real.default)(task);
}

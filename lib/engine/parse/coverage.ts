// Whether the code checks could read the code at all. A parser that failed to start (or a repository whose every
// source file is unreadable) must make the code checks "unavailable", never a clean "ok".
import type { Facts } from "../facts/container";
import { jsFiles } from "./js";
import { pythonFiles } from "./python";

/** Files skipped on purpose: bundles and generated code, not a failure to read the connector's source. */
const DELIBERATE = /^(?:minified|larger than)/;

/** A reason the code can't be judged, or null when it can. */
export async function codeCoverageProblem(facts: Facts): Promise<string | null> {
  return facts.memo("code:coverage", async () => {
    const results = [...jsFiles(facts).values(), ...(await pythonFiles(facts)).values()];
    const parserFailure = results.find((r) => !r.ok && r.reason.startsWith("parser error"));
    if (parserFailure && !parserFailure.ok) return `the parser failed on ${parserFailure.path} (${parserFailure.reason})`;
    const sources = results.filter((r) => r.ok || !DELIBERATE.test(r.reason));
    if (sources.length > 0 && sources.every((r) => !r.ok)) {
      const first = sources[0]!;
      return `none of the ${sources.length} source files could be parsed (${first.path}: ${first.ok ? "" : first.reason})`;
    }
    return null;
  });
}

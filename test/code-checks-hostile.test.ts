// Hostile repositories: every check finishes quickly and without throwing on minified bundles, binary files named
// .js/.py, regex-hostile text, deep nesting and very long files.
import { describe, expect, it } from "vitest";
import { CHECKS } from "@/checks";
import { Facts } from "@/lib/engine/facts/container";
import { checkContext, snapshotOf } from "./support/rules";

export function hostileRepo(): Record<string, string | Uint8Array> {
  const nearMisses =
    'console.log(token.length); fetch(u, { signal }); res.setHeader("Access-Control-Allow-Origin", "*"); jwt.verify(t, k, { audience }); ' +
    'el.innerHTML = DOMPurify.sanitize(x); const a = { rejectUnauthorized: true, structuredContent: { id } }; if (apiKey === "short") ok();';
  const binary = new Uint8Array(4096);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 31) % 256;
  return {
    "package.json": '{ "dependencies": { "@sentry/node": "1" } }',
    ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: npm\n",
    "PRIVACY.md": "Retention period: 30 days.",
    // A 2 MB minified bundle full of near-misses.
    "web/dist2/widget.js": `window.openai;${nearMisses}`.repeat(Math.ceil((2 * 1024 * 1024) / nearMisses.length)),
    // 1.5 MB of ordinary-looking code on short lines: parsed and judged, not skipped.
    "src/generated.ts": `${nearMisses.replace(/; /g, ";\n")}\n`.repeat(Math.ceil((1.5 * 1024 * 1024) / nearMisses.length)),
    "src/binary.js": binary,
    "app/binary.py": binary,
    // Regex-hostile text: long runs of quotes, braces, dollars, backslashes and keywords without their closers.
    "src/hostile.ts": `const s = "${'\\"'.repeat(50_000)}";\n// ${"${{ secrets.".repeat(20_000)}\nconst t = \`${"${".repeat(5_000)}\`;`,
    "config/hostile.yml": `NODE_TLS_REJECT_UNAUTHORIZED${" ".repeat(200_000)}=\n` + "a: ".repeat(50_000),
    ".github/workflows/hostile.yml": "on: push\njobs:\n" + "  j: {steps: [{run: 'echo ${{ secrets.X }}' }]}\n".repeat(5_000),
    // Deep nesting in both languages.
    "src/deep.ts": `const x = ${"[".repeat(5_000)}${"]".repeat(5_000)};\nconsole.log(${"(".repeat(3_000)}token${")".repeat(3_000)});`,
    "app/deep.py": `x = ${"(".repeat(5_000)}1${")".repeat(5_000)}\nlogger.info(${"[".repeat(2_000)}token${"]".repeat(2_000)})\n`,
    "app/long.py": "def f(a):\n    return requests.get(a, timeout=5).json()\n".repeat(20_000),
  };
}

describe("all checks on a hostile repository", () => {
  it("finish within a bounded time, and none throws", async () => {
    const snapshot = snapshotOf(hostileRepo());
    const facts = new Facts(snapshot);
    const started = performance.now();
    try {
      for (const check of CHECKS) {
        const t0 = performance.now();
        const outcome = await check.run(await checkContext(snapshot, {}, facts));
        expect(["ok", "unavailable"]).toContain(outcome.status);
        // Generous per-check bound on a shared CI machine: catastrophic backtracking takes minutes.
        expect(performance.now() - t0, check.id).toBeLessThan(15_000);
        for (const f of outcome.findings) expect((f.evidence ?? "").length, f.ruleId).toBeLessThanOrEqual(320);
      }
    } finally {
      facts.dispose();
    }
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 120_000);
});

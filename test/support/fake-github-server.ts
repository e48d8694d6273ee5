// The fake GitHub as a process of its own, for Playwright's webServer and the ingest benchmark:
//   node --import tsx test/support/fake-github-server.ts
// It listens on a free port (or FAKE_GITHUB_PORT) and prints its API URL; Playwright reads the port from that line.
// With FAKE_GITHUB_BENCH_FILES and FAKE_GITHUB_BENCH_BYTES it also serves "bench/generated", a generated repository
// whose archive is built before the URL is printed, so a benchmark times the ingest and not the fixture.
import { generatedRepoFiles } from "./generated-repo";
import { startFixtureGitHub } from "./github-fixtures";

async function main(): Promise<void> {
  const { github } = await startFixtureGitHub({ port: Number(process.env.FAKE_GITHUB_PORT ?? 0) });
  const benchFiles = Number(process.env.FAKE_GITHUB_BENCH_FILES ?? 0);
  if (benchFiles > 0) {
    const files = generatedRepoFiles(benchFiles, Number(process.env.FAKE_GITHUB_BENCH_BYTES ?? benchFiles * 10_000));
    github.addRepo({ owner: "bench", name: "generated", branches: { main: { files } } });
    await github.warm("bench/generated");
  }
  process.stdout.write(`fake GitHub API listening on ${github.apiUrl}\n`);
  const stop = () => {
    void github.close().finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`fake GitHub failed to start: ${String(error)}\n`);
  process.exit(1);
});

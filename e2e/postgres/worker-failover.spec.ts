// The Postgres deployment as it runs on several machines: the app serves pages only, two `launch-review worker`
// processes take the scans. Three connectors are registered in the browser; the worker that takes the big one is
// killed mid-scan (SIGKILL, as a lost machine); the other worker takes the scan over. Every scan succeeds once: none
// lost, none run twice into the database.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { expect, test, type Page } from "@playwright/test";
import { E2E_PG_SECRET, e2ePgDir } from "../postgres.config";
import { ConnectorPage } from "../pages/connector-page";
import { RegisterPage } from "../pages/register-page";
import { SignInPage } from "../pages/sign-in-page";
import { PASSWORD } from "../support/users";

const root = path.resolve(__dirname, "..", "..");
const connectorsDir = path.join(e2ePgDir, "connectors");
const databaseUrl = () => `postgres://postgres@127.0.0.1:${process.env.POSTGRES_PORT}/launch_review`;

interface Worker {
  name: string;
  process: ChildProcess;
  output: string;
}

/** What every process of the deployment shares: the database, the secret, the allowed folders, the registry. */
const deploymentEnv = () => ({
  ...process.env,
  DATABASE_URL: databaseUrl(),
  LAUNCH_REVIEW_LOCAL_ROOT: connectorsDir,
  LAUNCH_REVIEW_SECRET: E2E_PG_SECRET,
  npm_config_registry: `http://127.0.0.1:${process.env.FAKE_REGISTRY_PORT}/`,
});

function startWorker(name: string): Worker {
  const child = spawn(process.execPath, [path.join(root, "lib/cli/launch-review.mjs"), "worker", "--concurrency", "1"], {
    cwd: root,
    env: {
      ...deploymentEnv(),
      // Short deadlines so a lost worker's job comes back within the test: expiry 30 s, looked for every 15 s.
      LAUNCH_REVIEW_SCAN_TIMEOUT_MS: "20000",
      LAUNCH_REVIEW_LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const worker: Worker = { name, process: child, output: "" };
  child.stdout!.on("data", (chunk: Buffer) => (worker.output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (worker.output += chunk.toString()));
  return worker;
}

/** A connector folder: the demo connector, plus `extraFiles` generated modules that make its scan take a while. */
function writeConnector(name: string, extraFiles: number): string {
  const dir = path.join(connectorsDir, name);
  fs.cpSync(path.join(root, "examples", "demo-connector"), dir, { recursive: true });
  for (let i = 0; i < extraFiles; i++) {
    const file = path.join(dir, "src", "generated", `module${i % 40}`, `file${i}.ts`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `import { z } from "zod";\n`.concat(`export const schema${i} = z.object({ id: z.string(), count: z.number() });\n`.repeat(30)));
  }
  return dir;
}

async function register(page: Page, name: string, folder: string): Promise<void> {
  const form = new RegisterPage(page);
  await form.open();
  await form.register({ name, path: folder });
  await expect(page.getByRole("heading", { name })).toBeVisible();
}

async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

const workers: Worker[] = [];

/** Waits for `condition`; on timeout, fails with what the workers said (their logs are the story of a failure here). */
async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}. Workers said:\n${workers.map((w) => `--- ${w.name}\n${w.output.slice(-3000)}`).join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
test.afterAll(() => {
  for (const w of workers) w.process.kill("SIGKILL");
});

test("a scan whose worker dies mid-scan is finished by the other worker, and nothing is lost or duplicated", async ({ page }) => {
  const big = writeConnector("big", 600);
  const smallA = writeConnector("small-a", 0);
  const smallB = writeConnector("small-b", 0);
  workers.push(startWorker("first"), startWorker("second"));
  await waitFor(() => workers.every((w) => w.output.includes("worker started")), 120_000, "both workers to start");

  // A maintainer of a team, made with the CLI against the same database, registers the connectors.
  execFileSync(
    process.execPath,
    [path.join(root, "lib/cli/launch-review.mjs"), "user", "create", "--email", "maintainer@pg.test", "--team", "PG team", "--role", "maintainer", "--password-stdin"],
    { cwd: root, input: `${PASSWORD}\n`, env: { ...deploymentEnv(), LAUNCH_REVIEW_LOG_LEVEL: "silent" }, stdio: ["pipe", "pipe", "inherit"] },
  );
  await new SignInPage(page).signIn("maintainer@pg.test", PASSWORD);
  await expect(page.getByRole("heading", { name: "Connectors", exact: true })).toBeVisible();

  await register(page, "Big connector", big);
  const bigUrl = page.url();
  // The worker that took the big scan is lost, mid-scan.
  await waitFor(() => workers.some((w) => w.output.includes('"msg":"scan started"')), 60_000, "a worker to start the big scan");
  const lost = workers.find((w) => w.output.includes('"msg":"scan started"'))!;
  lost.process.kill("SIGKILL");
  const survivor = workers.find((w) => w !== lost)!;

  await register(page, "Small connector A", smallA);
  await register(page, "Small connector B", smallB);

  for (const url of [bigUrl, page.url()]) {
    await page.goto(url);
    await expect
      .poll(
        async () => {
          await page.reload();
          return new ConnectorPage(page).scanRows().first().innerText();
        },
        { timeout: 150_000, intervals: [2_000] },
      )
      .toMatch(/succeeded/i);
  }

  // The database: three scans, each succeeded once; the big one taken over (its job retried once) by the survivor.
  await expect.poll(async () => (await query<{ status: string }>("select status from scans")).map((r) => r.status).sort(), { timeout: 120_000 }).toEqual([
    "succeeded",
    "succeeded",
    "succeeded",
  ]);
  const [bigScan] = await query<{ id: number }>("select s.id from scans s join connectors c on c.id = s.connector_id where c.name = $1", ["Big connector"]);
  const [job] = await query<{ state: string; retry_count: number }>(
    "select state, retry_count from pgboss.job where name = 'launch-review-scan' and (data->>'scanId')::int = $1",
    [bigScan!.id],
  );
  expect(job).toEqual({ state: "completed", retry_count: 1 });
  const [counts] = await query<{ total: string; distinct_fingerprints: string }>(
    "select count(*) as total, count(distinct fingerprint) as distinct_fingerprints from findings where scan_id = $1",
    [bigScan!.id],
  );
  expect(Number(counts!.total)).toBeGreaterThan(0);
  expect(counts!.total).toBe(counts!.distinct_fingerprints);
  expect(await query("select id from audit_log where action = 'scan.queued'")).toHaveLength(3);
  expect(survivor.output).toContain('"msg":"scan succeeded"');
});

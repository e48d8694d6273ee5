import { describe, expect, it } from "vitest";
import { fakeSecret, runCheckOn } from "@/test/support/rules";
import { secretsCheck } from "./secrets";

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const ghp = `ghp_${fakeSecret(36, 3)}`;
const openai = `sk-proj-${fakeSecret(48, 5)}`;
const slack = `xoxb-${fakeSecret(12, 7, "0123456789")}-${fakeSecret(24, 8)}`;
const aws = `AKIA${fakeSecret(16, 9, UPPER)}`;
const stripeLive = `sk_live_${fakeSecret(24, 11)}`;
const stripeTest = `sk_test_${fakeSecret(24, 12)}`;
const pem = `-----BEGIN RSA PRIVATE KEY-----\n${fakeSecret(64, 13)}\n${fakeSecret(64, 14)}\n-----END RSA PRIVATE KEY-----\n`;

interface Case {
  name: string;
  files: Record<string, string | Uint8Array>;
}
interface InvalidCase extends Case {
  expected: Array<{ ruleId: string; path: string; line?: number; severity?: string }>;
}

const valid: Case[] = [
  {
    name: "secrets required at start-up, and fallbacks for names that are not secrets",
    files: {
      "src/config.ts":
        'const secret = process.env.JWT_SECRET;\nif (!secret) throw new Error("JWT_SECRET is required");\nconst port = process.env.PORT || "3000";\nconst clientId = process.env.OAUTH_CLIENT_ID ?? "notes-app";\n',
      "app/config.py": 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\nREGION = os.getenv("AWS_REGION", "us-east-1")\n',
      "test/setup.ts": 'process.env.JWT_SECRET = process.env.JWT_SECRET || "test-secret";\n',
    },
  },
  {
    name: "ordinary code reading secrets from the environment",
    files: { "src/a.ts": "const key = process.env.OPENAI_API_KEY;\nconst token = req.headers.authorization;" },
  },
  {
    name: "placeholder tokens",
    files: {
      "src/a.ts": 'const k = "sk-your-openai-key-goes-here-xxxxxxxxxxxxxxxx";\nconst g = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";',
    },
  },
  { name: "the AWS documentation example key", files: { "README.md": "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE" } },
  {
    name: ".env.example with empty and placeholder values",
    files: { ".env.example": "OPENAI_API_KEY=\nSECRET=changeme\nDATABASE_URL=postgres://localhost/db" },
  },
  {
    name: ".env with non-secret settings only",
    files: { ".env": "PORT=3000\nNODE_ENV=production\nAPI_BASE_URL=https://api.example.com\nLOG_LEVEL=info" },
  },
  { name: "code that checks for a PEM header", files: { "src/pem.ts": 'if (pem.startsWith("-----BEGIN PRIVATE KEY-----")) return true;' } },
  {
    name: "a public key and a certificate",
    files: { "keys/pub.pem": `-----BEGIN PUBLIC KEY-----\n${fakeSecret(64, 2)}\n-----END PUBLIC KEY-----` },
  },
  {
    name: "password fields in forms and schemas",
    files: {
      "src/form.tsx":
        '<input type="password" name="password" />\nconst schema = { password: z.string().min(12) };\nconst token = "Bearer";',
    },
  },
  {
    name: "identifiers that only look like secrets",
    files: { "src/k.ts": 'const tokenKey = "session-token-storage-key";\nconst secretName = "prod/database/password";' },
  },
  {
    name: "made-up credentials in tests, fixtures and vendored copies (the name-and-entropy guess judges shipped files only)",
    files: {
      "src/__tests__/session.test.ts": `process.env.SESSION_SECRET = "${fakeSecret(32, 41)}";`,
      "tests/fixtures/config.py": `api_token = "${fakeSecret(24, 42)}"`,
      "public/vendor/auth.min.js": `var c={password:"${fakeSecret(20, 43)}"};`,
    },
  },
  { name: "lockfile integrity hashes", files: { "package-lock.json": `{"integrity": "sha512-${fakeSecret(86, 4)}=="}` } },
];

const invalid: InvalidCase[] = [
  {
    name: "signing secrets that fall back to a literal",
    files: {
      "src/config.ts": 'export const config = {\n  jwtSecret: process.env.JWT_SECRET || "your-secret-key-change-in-production",\n};\n',
      "app/settings.py": 'import os\nSESSION_SECRET = os.environ.get("SESSION_SECRET", "dev-secret")\n',
    },
    expected: [
      { ruleId: "secrets/default-secret", path: "src/config.ts", line: 2, severity: "high" },
      { ruleId: "secrets/default-secret", path: "app/settings.py", line: 2, severity: "high" },
    ],
  },
  {
    name: "GitHub token in code",
    files: { "src/gh.ts": `\nconst octokit = new Octokit({ auth: "${ghp}" });` },
    expected: [{ ruleId: "secrets/token", path: "src/gh.ts", line: 2, severity: "critical" }],
  },
  {
    name: "OpenAI key in config",
    files: { "config.json": `{"openai": "${openai}"}` },
    expected: [{ ruleId: "secrets/token", path: "config.json", line: 1 }],
  },
  {
    name: "Slack bot token",
    files: { "src/slack.py": `client = WebClient(token="${slack}")` },
    expected: [{ ruleId: "secrets/token", path: "src/slack.py" }],
  },
  {
    name: "AWS access key id",
    files: { "deploy.sh": `export AWS_ACCESS_KEY_ID=${aws}` },
    expected: [{ ruleId: "secrets/token", path: "deploy.sh", severity: "high" }],
  },
  {
    name: "Stripe live key is critical, test key low",
    files: { "pay.ts": `const live = "${stripeLive}";\nconst test = "${stripeTest}";` },
    expected: [
      { ruleId: "secrets/token", path: "pay.ts", line: 1, severity: "critical" },
      { ruleId: "secrets/token", path: "pay.ts", line: 2, severity: "low" },
    ],
  },
  {
    name: "private key file",
    files: { "certs/server.key": pem },
    expected: [{ ruleId: "secrets/private-key", path: "certs/server.key", line: 1, severity: "critical" }],
  },
  {
    name: ".env with a secret value",
    files: { ".env": `PORT=3000\nSESSION_SECRET=${fakeSecret(32, 21)}\n` },
    expected: [{ ruleId: "secrets/env-file", path: ".env", line: 2, severity: "high" }],
  },
  {
    name: ".env.production with a database password",
    files: { ".env.production": `DATABASE_URL=postgres://app:${fakeSecret(20, 22)}@db.internal/app` },
    expected: [{ ruleId: "secrets/env-file", path: ".env.production", line: 1 }],
  },
  {
    name: "hard-coded client secret",
    files: { "src/oauth.ts": `const config = {\n  clientSecret: "${fakeSecret(32, 23)}",\n};` },
    expected: [{ ruleId: "secrets/hardcoded-credential", path: "src/oauth.ts", line: 2 }],
  },
  {
    name: "a real token format is reported in a test file too",
    files: { "tests/test_api.py": `GITHUB_TOKEN = "${ghp}"` },
    expected: [{ ruleId: "secrets/token", path: "tests/test_api.py", line: 1 }],
  },
  {
    name: "committed keystore",
    files: { "android/release.jks": new Uint8Array([0xfe, 0xed, 0xfe, 0xed, 0, 0]) },
    expected: [{ ruleId: "secrets/keystore-file", path: "android/release.jks" }],
  },
];

describe("secrets check", () => {
  for (const c of valid) {
    it(`stays silent: ${c.name}`, async () => {
      expect(await runCheckOn(secretsCheck, c.files)).toEqual([]);
    });
  }
  for (const c of invalid) {
    it(`reports: ${c.name}`, async () => {
      const findings = await runCheckOn(secretsCheck, c.files);
      expect(findings.map((f) => ({ ruleId: f.ruleId, path: f.location?.path, line: f.location?.line, severity: f.severity }))).toEqual(
        c.expected.map((e) => ({
          ruleId: e.ruleId,
          path: e.path,
          line: e.line ?? findings.find((f) => f.ruleId === e.ruleId)?.location?.line,
          severity: e.severity ?? findings.find((f) => f.ruleId === e.ruleId)?.severity,
        })),
      );
    });
  }

  it("redacts the secret in evidence to its first four characters", async () => {
    const [f] = await runCheckOn(secretsCheck, { "src/gh.ts": `const auth = "${ghp}";` });
    expect(f!.evidence).toContain("ghp_…");
    expect(f!.evidence).not.toContain(ghp.slice(4, 12));
    const [env] = await runCheckOn(secretsCheck, { ".env": `API_TOKEN=${fakeSecret(30, 31)}` });
    expect(env!.evidence).toBe(`API_TOKEN=${fakeSecret(30, 31).slice(0, 4)}…`);
  });

  it("keeps fingerprints stable when the secret moves to another line", async () => {
    const [a] = await runCheckOn(secretsCheck, { "a.ts": `const k = "${ghp}";` });
    const [b] = await runCheckOn(secretsCheck, { "a.ts": `\n\n\nconst k = "${ghp}";` });
    expect(a!.fingerprint).toBe(b!.fingerprint);
    expect(a!.location?.line).not.toBe(b!.location?.line);
  });

  it("every finding carries its why, fix and checklist item", async () => {
    const findings = await runCheckOn(secretsCheck, { "src/gh.ts": `const a = "${ghp}";`, ".env": `API_KEY=${fakeSecret(30, 32)}` });
    expect(findings.length).toBe(2);
    for (const f of findings) {
      expect(f.rationale.length).toBeGreaterThan(20);
      expect(f.remediation.length).toBeGreaterThan(20);
      expect(f.checklistItem).toBe("auth.no-long-lived-secrets");
    }
  });

  it("finishes quickly on a 2 MB minified line full of near-misses", async () => {
    const chunk = 'token="abc",secret:"x",sk-,ghp_,AKIA,password = "short" ';
    const big = chunk.repeat(Math.ceil((2 * 1024 * 1024) / chunk.length));
    const started = performance.now();
    const findings = await runCheckOn(secretsCheck, { "dist2/bundle.min.js": big, "config/app.json": big });
    expect(findings).toEqual([]);
    // Generous bound: catastrophic backtracking would take minutes, not seconds.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

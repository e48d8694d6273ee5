// The fixture repositories the fake GitHub serves to integration tests, the CLI test, the e2e run and the benchmark.
import path from "node:path";
import { FakeGitHub, type FakeGitHubOptions } from "./fake-github";
import { fakeSecret } from "./rules";
import { filesFromFolder } from "./tar-builder";

export const NOTES_REPO = "acme/notes-monorepo";
export const NOTES_SUBDIRECTORY = "servers/notes";
export const PRIVATE_REPO = "acme/private-notes";
/** Generated, never committed: fine-grained tokens look like this. */
export const PRIVATE_TOKEN = `github_pat_${fakeSecret(22, 5)}_${fakeSecret(59, 6)}`;
/** A well-formed token GitHub doesn't know (401). */
export const UNKNOWN_TOKEN = `github_pat_${fakeSecret(22, 7)}_${fakeSecret(59, 8)}`;

const FIXTURES = path.resolve(__dirname, "..", "fixtures", "github");

/** The notes monorepo, plus a generated .env with a secret-looking value so a scan has a finding to link. */
export function notesFiles(extra: Record<string, string> = {}): Record<string, string | Uint8Array> {
  return {
    ...filesFromFolder(path.join(FIXTURES, "notes-monorepo")),
    "servers/notes/.env": `# Local settings for the notes server\nNOTES_SIGNING_SECRET=${fakeSecret(32, 11)}\n`,
    ...extra,
  };
}

/** A fake GitHub serving the notes monorepo (public) and a private copy readable with PRIVATE_TOKEN. */
export async function startFixtureGitHub(options: FakeGitHubOptions = {}): Promise<{ github: FakeGitHub; heads: Record<string, string> }> {
  const github = await FakeGitHub.start(options);
  const heads = github.addRepo({
    owner: "acme",
    name: "notes-monorepo",
    defaultBranch: "main",
    branches: { main: { files: notesFiles() }, "feature/tags": { files: notesFiles({ "CHANGELOG.md": "# 0.4.0\n" }) } },
    tags: { "v0.3.0": { files: notesFiles({ VERSION: "0.3.0\n" }) } },
  });
  github.addRepo({ owner: "acme", name: "private-notes", private: true, branches: { main: { files: notesFiles() } } });
  github.addToken(PRIVATE_TOKEN, [PRIVATE_REPO]);
  return { github, heads };
}

// The labelled corpus (bench/detection/labels/*.json, format in LABELS.md) and the real repositories it describes,
// which stay outside the project: git directories under $LAUNCH_REVIEW_CORPUS_DIR named owner+name, read at the
// labelled commit with `git archive`. Nothing here runs or installs their code.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";

const Range = z.tuple([z.number().int().positive(), z.number().int().positive()]);

export const Label = z.object({
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
  commit: z.string().regex(/^[0-9a-f]{40}$/),
  subdirectory: z.string(),
  shape: z.string(),
  auth: z.string(),
  summary: z.string(),
  tools: z.array(z.object({ name: z.string(), path: z.string(), line: z.number().int(), writes: z.boolean().optional(), destructive: z.boolean().optional() })),
  widgets: z.array(z.object({ uri: z.string(), path: z.string(), line: z.number().int() })).default([]),
  problems: z.array(
    z.object({
      id: z.string(),
      category: z.string(),
      severity: z.enum(["critical", "high", "moderate", "low"]),
      path: z.string(),
      lines: Range,
      what: z.string(),
      related: z.array(z.object({ path: z.string(), lines: Range })).default([]),
    }),
  ),
  traps: z.array(z.object({ category: z.string(), path: z.string(), lines: Range, why: z.string() })),
  notes: z.string().optional(),
});
export type Label = z.infer<typeof Label>;

export function corpusDir(): string {
  return process.env.LAUNCH_REVIEW_CORPUS_DIR ?? "/work/.mirror";
}

export function loadLabels(dir = path.join(__dirname, "labels")): Array<{ file: string; label: Label }> {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => {
      const parsed = Label.safeParse(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")));
      if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
      return { file, label: parsed.data };
    });
}

/** The git directory of a repository in the corpus folder, or null when it was never fetched. */
export function gitDirOf(repo: string): string | null {
  const base = path.join(corpusDir(), repo.replace("/", "+"));
  for (const candidate of [path.join(base, "repo", ".git"), path.join(base, "repo"), base]) {
    if (fs.existsSync(path.join(candidate, "HEAD")) && fs.existsSync(path.join(candidate, "objects"))) return candidate;
  }
  return null;
}

/** Unpacks the labelled commit into a temporary folder; returns the folder of the server (with the subdirectory). */
export function checkout(label: Label): { root: string; dir: string; cleanup: () => void } | null {
  const gitDir = gitDirOf(label.repo);
  if (!gitDir) return null;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "lr-corpus-"));
  const archive = execFileSync("git", ["--git-dir", gitDir, "archive", "--format=tar", label.commit], { maxBuffer: 512 * 1024 * 1024 });
  execFileSync("tar", ["-x", "-C", root], { input: archive, maxBuffer: 64 * 1024 * 1024 });
  return { root, dir: label.subdirectory ? path.join(root, label.subdirectory) : root, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

// Parses what a user types as a source: a local folder, owner/repo, github:owner/repo, or a GitHub URL.
import { AppError } from "../errors";

export type ParsedSource =
  | { kind: "local"; path: string }
  | { kind: "github"; repository: string; ref: string | null; subdirectory: string | null; host: string | null };

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

function githubRepo(owner: string, repo: string): string {
  const name = repo.replace(/\.git$/, "");
  if (!NAME.test(owner) || !REPO.test(name) || name === "." || name === "..") {
    throw new AppError("invalid:repository", `"${owner}/${repo}" is not a valid GitHub repository name (owner/repo).`);
  }
  return `${owner}/${name}`;
}

/**
 * `looksLocal` tells whether a bare `owner/repo` string names an existing folder instead (the CLI checks the disk).
 */
export function parseSourceInput(input: string, looksLocal: (value: string) => boolean = () => false): ParsedSource {
  const value = input.trim();
  if (value.length === 0) throw new AppError("invalid:source", "Give a source: a folder, owner/repo, or a GitHub URL.");
  if (value.length > 2048) throw new AppError("invalid:source", "The source is too long.");

  if (value.startsWith("github:")) {
    const [owner, repo, ...rest] = value.slice("github:".length).split("/");
    if (!owner || !repo || rest.length > 0) throw new AppError("invalid:repository", `"${value}" should look like github:owner/repo.`);
    return { kind: "github", repository: githubRepo(owner, repo), ref: null, subdirectory: null, host: null };
  }

  if (/^https?:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new AppError("invalid:source", `"${value}" is not a valid URL.`);
    }
    const [owner, repo, kind, ref, ...sub] = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (!owner || !repo) throw new AppError("invalid:repository", `"${value}" does not name a repository (https://github.com/owner/repo).`);
    if (kind !== undefined && kind !== "tree") {
      throw new AppError("invalid:repository", `Only repository and /tree/<ref>/<folder> URLs are supported, not "/${kind}/".`);
    }
    return {
      kind: "github",
      repository: githubRepo(owner, repo),
      ref: kind === "tree" && ref ? ref : null,
      subdirectory: sub.length > 0 ? sub.join("/") : null,
      host: url.host.toLowerCase() === "github.com" ? null : url.host,
    };
  }

  const parts = value.split("/");
  if (parts.length === 2 && NAME.test(parts[0]!) && REPO.test(parts[1]!) && !value.startsWith(".") && !looksLocal(value)) {
    return { kind: "github", repository: githubRepo(parts[0]!, parts[1]!), ref: null, subdirectory: null, host: null };
  }
  return { kind: "local", path: value };
}

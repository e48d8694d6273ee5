// Parses what a user types as a source: a local folder, owner/repo, github:owner/repo, or a GitHub URL
// (https://github.com/owner/repo[/tree/<ref>/<subdir>]). Everything here is bounded and backtracking-free.
import { AppError } from "../../core/errors";
import { githubWebUrl } from "../github/client";
import { normalizeRepoPath } from "../snapshot";
import { parseNpmSource } from "./npm";

export interface ParsedGitHubSource {
  kind: "github";
  repository: string;
  ref: string | null;
  subdirectory: string | null;
  /** The web host a URL named ("github.com", or a GitHub Enterprise host); null for owner/repo and github:owner/repo. */
  host: string | null;
}

export type ParsedSource = { kind: "local"; path: string } | ParsedGitHubSource | { kind: "npm"; name: string; version: string | null };

// GitHub's own rules: owners are 1-39 letters, digits and single hyphens; repository names 1-100 of [A-Za-z0-9._-].
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const GITHUB_HOSTS = new Set(["github.com", "www.github.com"]);

function githubRepo(owner: string, repo: string): string {
  const name = repo.endsWith(".git") ? repo.slice(0, -4) : repo;
  if (!OWNER.test(owner) || !REPO.test(name) || name === "." || name === "..") {
    throw new AppError("invalid:repository", `"${printable(`${owner}/${repo}`)}" is not a valid GitHub repository name (owner/repo).`);
  }
  return `${owner}/${name}`;
}

function printable(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?").slice(0, 200);
}

/**
 * Whether `ref` is a usable branch, tag or commit name: git's check-ref-format rules, minus the exotic parts.
 * Letters, digits and . _ / + - @ only; no "..", no "//", no leading "-" or "/", no trailing "/", "." or ".lock".
 */
export function isValidRef(ref: string): boolean {
  if (ref.length === 0 || ref.length > 255) return false;
  if (!/^[A-Za-z0-9._/+@-]+$/.test(ref)) return false;
  if (ref.startsWith("-") || ref.startsWith("/") || ref.endsWith("/") || ref.endsWith(".") || ref.endsWith(".lock")) return false;
  if (ref.includes("..") || ref.includes("//") || ref.includes("/.") || ref.startsWith(".") || ref === "@") return false;
  return true;
}

export function assertValidRef(ref: string): string {
  if (!isValidRef(ref)) {
    throw new AppError("invalid:ref", `"${printable(ref)}" is not a valid branch, tag or commit name.`);
  }
  return ref;
}

/** A subfolder as typed ("servers/mcp/", "./api") normalized, or an error for "..", absolute paths and the like. */
export function normalizeSubdirectory(value: string): string {
  const trimmed = value.trim().replace(/^\.\/+/, "");
  if (trimmed === "" || trimmed === ".") return "";
  const normalized = normalizeRepoPath(trimmed);
  if (normalized === null)
    throw new AppError(
      "invalid:subdirectory",
      `The subfolder "${printable(value)}" must be a relative path inside the repository (no "..").`,
    );
  return normalized;
}

function parseGitHubUrl(value: string): ParsedGitHubSource {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError("invalid:source", `"${printable(value)}" is not a valid URL.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new AppError("invalid:source", "Only http(s) URLs name a repository.");
  if (url.username || url.password) throw new AppError("invalid:source", "Leave credentials out of the URL; set an access token instead.");
  let segments: string[];
  try {
    segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new AppError("invalid:source", `"${printable(value)}" is not a valid URL.`);
  }
  const [owner, repo, kind, ref, ...sub] = segments;
  if (!owner || !repo) {
    throw new AppError("invalid:repository", `"${printable(value)}" does not name a repository (https://github.com/owner/repo).`);
  }
  if (kind !== undefined && kind !== "tree") {
    throw new AppError(
      "invalid:repository",
      kind === "blob"
        ? `"${printable(value)}" links to a file. Use the repository URL, or https://…/owner/repo/tree/<ref>/<folder>.`
        : `Only repository and /tree/<ref>/<folder> URLs are supported, not "/${printable(kind)}/".`,
    );
  }
  const host = url.host.toLowerCase();
  return {
    kind: "github",
    repository: githubRepo(owner, repo),
    ref: kind === "tree" && ref ? assertValidRef(ref) : null,
    subdirectory: sub.length > 0 ? normalizeSubdirectory(sub.join("/")) || null : null,
    host: GITHUB_HOSTS.has(host) ? "github.com" : host,
  };
}

/** A GitHub repository as typed in the register form: owner/repo, github:owner/repo, or a URL. */
export function parseGitHubRepository(input: string): ParsedGitHubSource {
  const value = input.trim();
  if (value.length === 0) throw new AppError("invalid:repository", "Give the repository: owner/repo or its GitHub URL.");
  if (value.length > 2048) throw new AppError("invalid:repository", "The repository is too long.");
  if (/^(www\.)?github\.com\//i.test(value)) return parseGitHubUrl(`https://${value}`);
  if (value.startsWith("github:") || /^https?:\/\//i.test(value)) return parseSourceInput(value) as ParsedGitHubSource;
  const parts = value.split("/");
  if (parts.length === 2 || (parts.length === 3 && parts[2] === "")) {
    return { kind: "github", repository: githubRepo(parts[0]!, parts[1]!), ref: null, subdirectory: null, host: null };
  }
  throw new AppError(
    "invalid:repository",
    `"${printable(value)}" is not a GitHub repository: use owner/repo, or a URL like https://github.com/owner/repo/tree/<ref>/<folder>.`,
  );
}

/**
 * `looksLocal` tells whether a bare `owner/repo` string names an existing folder instead (the CLI checks the disk).
 */
export function parseSourceInput(input: string, looksLocal: (value: string) => boolean = () => false): ParsedSource {
  const value = input.trim();
  if (value.length === 0) throw new AppError("invalid:source", "Give a source: a folder, owner/repo, or a GitHub URL.");
  if (value.length > 2048) throw new AppError("invalid:source", "The source is too long.");

  if (value.startsWith("npm:")) return { kind: "npm", ...parseNpmSource(value) };

  if (value.startsWith("github:")) {
    const parts = value.slice("github:".length).split("/");
    const [owner, repo] = parts;
    // A trailing slash is forgiven; anything more is not owner/repo.
    if (!owner || !repo || parts.length > 3 || (parts.length === 3 && parts[2] !== "")) {
      throw new AppError("invalid:repository", `"${printable(value)}" should look like github:owner/repo.`);
    }
    return { kind: "github", repository: githubRepo(owner, repo), ref: null, subdirectory: null, host: null };
  }

  if (/^https?:\/\//i.test(value)) return parseGitHubUrl(value);

  const parts = value.split("/");
  if (parts.length === 2 && OWNER.test(parts[0]!) && REPO.test(parts[1]!) && !value.startsWith(".") && !looksLocal(value)) {
    return { kind: "github", repository: githubRepo(parts[0]!, parts[1]!), ref: null, subdirectory: null, host: null };
  }
  return { kind: "local", path: value };
}

/**
 * A URL on one host can't be read through another host's API: https://github.com/acme/x while GITHUB_API_URL points
 * at GitHub Enterprise would scan a different repository that happens to share the name.
 */
export function assertHostMatchesApi(parsed: ParsedGitHubSource, apiUrl: string): void {
  if (parsed.host === null) return;
  const apiWebHost = new URL(githubWebUrl(apiUrl)).host.toLowerCase();
  const urlHost = parsed.host;
  if (urlHost !== apiWebHost) {
    throw new AppError(
      "invalid:repository",
      `That URL is on ${printable(urlHost)}, but this server reads repositories from ${apiWebHost} (GITHUB_API_URL=${apiUrl}). Use owner/repo, or a URL on ${apiWebHost}.`,
    );
  }
}

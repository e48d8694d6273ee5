import { describe, expect, it } from "vitest";
import { assertHostMatchesApi, isValidRef, normalizeSubdirectory, parseGitHubRepository, parseSourceInput } from "@/lib/engine/sources/parse";

describe("parseSourceInput", () => {
  it.each([
    ["acme/notes", { repository: "acme/notes", ref: null, subdirectory: null, host: null }],
    ["github:acme/notes", { repository: "acme/notes", ref: null, subdirectory: null, host: null }],
    ["github:acme/notes/", { repository: "acme/notes", ref: null, subdirectory: null, host: null }],
    ["https://github.com/acme/notes", { repository: "acme/notes", ref: null, subdirectory: null, host: "github.com" }],
    ["https://github.com/acme/notes.git", { repository: "acme/notes", ref: null, subdirectory: null, host: "github.com" }],
    ["https://www.github.com/acme/notes/", { repository: "acme/notes", ref: null, subdirectory: null, host: "github.com" }],
    ["https://github.com/acme/notes/tree/v1.2.0", { repository: "acme/notes", ref: "v1.2.0", subdirectory: null, host: "github.com" }],
    [
      "https://github.com/acme/notes/tree/main/servers/mcp/",
      { repository: "acme/notes", ref: "main", subdirectory: "servers/mcp", host: "github.com" },
    ],
    [
      "https://ghe.example.com/team/notes/tree/dev/api",
      { repository: "team/notes", ref: "dev", subdirectory: "api", host: "ghe.example.com" },
    ],
  ])("%s is a GitHub source", (input, expected) => {
    expect(parseSourceInput(input)).toEqual({ kind: "github", ...expected });
  });

  it("treats folders as local, including owner/repo-looking ones that exist on disk", () => {
    expect(parseSourceInput("./connector")).toEqual({ kind: "local", path: "./connector" });
    expect(parseSourceInput("examples/demo-connector", () => true)).toEqual({ kind: "local", path: "examples/demo-connector" });
    expect(parseSourceInput("/abs/path")).toEqual({ kind: "local", path: "/abs/path" });
  });

  it.each([
    ["github:acme", /should look like github:owner\/repo/],
    ["github:acme/notes/extra", /should look like github:owner\/repo/],
    ["https://github.com/acme", /does not name a repository/],
    ["https://github.com/acme/notes/blob/main/a.ts", /links to a file/],
    ["https://github.com/acme/notes/pulls", /Only repository and \/tree/],
    ["https://github.com/acme/notes/tree/main/..%2Fetc", /must be a relative path inside the repository/],
    ["https://github.com/acme/notes/tree/main/../../etc", /Only repository and \/tree/],
    ["https://github.com/acme/notes/tree/bad..ref", /not a valid branch, tag or commit name/],
    ["https://user:pw@github.com/acme/notes", /Leave credentials out of the URL/],
    ["github:-acme/notes", /not a valid GitHub repository name/],
  ])("%s is refused", (input, message) => {
    expect(() => parseSourceInput(input)).toThrow(message);
  });
});

describe("parseGitHubRepository (the register form)", () => {
  it("accepts the short forms and URLs, including a scheme-less github.com URL", () => {
    expect(parseGitHubRepository("acme/notes").repository).toBe("acme/notes");
    expect(parseGitHubRepository("github.com/acme/notes/tree/main/api")).toMatchObject({ ref: "main", subdirectory: "api" });
  });

  it("refuses what is not a repository, in the user's own words", () => {
    expect(() => parseGitHubRepository("acme")).toThrow('"acme" is not a GitHub repository');
    expect(() => parseGitHubRepository("acme/notes/tree/main")).toThrow("is not a GitHub repository: use owner/repo, or a URL");
    expect(() => parseGitHubRepository("  ")).toThrow("Give the repository");
    expect(() => parseGitHubRepository("ftp://github.com/acme/notes")).toThrow("is not a GitHub repository");
  });

  it("answers quickly on long hostile input", () => {
    const started = performance.now();
    for (const input of [
      "a".repeat(2000),
      `${"a/".repeat(1000)}`,
      `https://github.com/${"a-".repeat(900)}/x`,
      `acme/${".".repeat(2000)}`,
    ]) {
      expect(() => parseGitHubRepository(input)).toThrow();
    }
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe("refs and subfolders", () => {
  it.each(["main", "feature/x", "v1.2.3", "release-2026.01", "v1.0.0+build.7", "a1b2c3d", "user@feature"])("%s is a valid ref", (ref) => {
    expect(isValidRef(ref)).toBe(true);
  });
  it.each(["", "-rf", "/main", "main/", "a..b", "a//b", "x.lock", "a b", "a~1", "a^", "a:b", "@", ".hidden", "x/.y", "a".repeat(256)])(
    "%j is not",
    (ref) => {
      expect(isValidRef(ref)).toBe(false);
    },
  );
  it("normalizes subfolders and refuses escapes", () => {
    expect(normalizeSubdirectory("./servers/mcp/")).toBe("servers/mcp");
    expect(normalizeSubdirectory(" . ")).toBe("");
    expect(() => normalizeSubdirectory("../x")).toThrow();
    expect(() => normalizeSubdirectory("/etc")).toThrow();
  });
});

describe("assertHostMatchesApi", () => {
  it("lets short forms through, and URLs only on the host GITHUB_API_URL reads", () => {
    expect(() => assertHostMatchesApi(parseGitHubRepository("acme/notes"), "https://ghe.example.com/api/v3")).not.toThrow();
    expect(() => assertHostMatchesApi(parseGitHubRepository("https://github.com/acme/notes"), "https://api.github.com")).not.toThrow();
    expect(() =>
      assertHostMatchesApi(parseGitHubRepository("https://ghe.example.com/a/b"), "https://ghe.example.com/api/v3"),
    ).not.toThrow();
    expect(() => assertHostMatchesApi(parseGitHubRepository("https://github.com/acme/notes"), "https://ghe.example.com/api/v3")).toThrow(
      "That URL is on github.com, but this server reads repositories from ghe.example.com",
    );
  });
});

// What a file is for, judged from its path: tests and fixtures are not production code, so code checks skip them.
import path from "node:path";

const TEST_FOLDERS = new Set([
  "test",
  "tests",
  "__tests__",
  "spec",
  "specs",
  "e2e",
  "fixtures",
  "__fixtures__",
  "__mocks__",
  "testdata",
  "test-utils",
]);

/** True for test files, test folders and fixtures: `a.test.ts`, `tests/x.py`, `test_x.py`, `conftest.py`, stories. */
export function isTestPath(repoPath: string): boolean {
  const segments = repoPath.split("/");
  const name = segments[segments.length - 1] ?? "";
  if (segments.slice(0, -1).some((s) => TEST_FOLDERS.has(s.toLowerCase()))) return true;
  const lower = name.toLowerCase();
  if (/\.(?:test|spec|stories|e2e)\.[cm]?[jt]sx?$/.test(lower)) return true;
  if (path.posix.extname(lower) === ".py" && (lower.startsWith("test_") || lower.endsWith("_test.py") || lower === "conftest.py"))
    return true;
  return false;
}

const TOOLING_FOLDERS = new Set(["scripts", "script", "tools", "tooling", ".github"]);

/** Development tooling (build and release scripts), which runs on developer machines or CI, not in the server. */
export function isToolingPath(repoPath: string): boolean {
  return repoPath
    .split("/")
    .slice(0, -1)
    .some((s) => TOOLING_FOLDERS.has(s.toLowerCase()));
}

// The registry the tests run against: fixture advisories (test/fixtures/registry/advisories.json) and packuments for
// every package the demo connector locks, plus newer releases so fixes and patch status have somewhere to go.
import fs from "node:fs";
import path from "node:path";
import { packumentsFromLockfile, type BulkAdvisory, type FakeRegistryOptions } from "./fake-registry";

const root = path.resolve(__dirname, "..", "..");

export function fixtureAdvisories(): Record<string, BulkAdvisory[]> {
  const raw = JSON.parse(fs.readFileSync(path.join(root, "test/fixtures/registry/advisories.json"), "utf8")) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith("_"))) as Record<string, BulkAdvisory[]>;
}

type Lock = { packages: Record<string, { version?: string; dependencies?: Record<string, string> }> };

export function demoLockfile(): Lock {
  return JSON.parse(fs.readFileSync(path.join(root, "examples/demo-connector/package-lock.json"), "utf8")) as Lock;
}

/** Newer releases than the demo locks, with the dependency ranges that carry (or don't carry) the fixes. */
export function fixtureReleases(
  lock: Lock = demoLockfile(),
): Array<{ name: string; version: string; dependencies?: Record<string, string>; time?: string }> {
  const express = lock.packages["node_modules/express"]?.dependencies ?? {};
  const serveStatic = lock.packages["node_modules/serve-static"]?.dependencies ?? {};
  return [
    { name: "express", version: "4.19.2", dependencies: { ...express, "body-parser": "1.20.2" }, time: "2024-03-25T00:00:00.000Z" },
    {
      name: "express",
      version: "4.21.2",
      dependencies: {
        ...express,
        "body-parser": "1.20.3",
        "path-to-regexp": "0.1.12",
        cookie: "0.7.1",
        send: "0.19.0",
        "serve-static": "1.16.2",
      },
      time: "2024-12-05T00:00:00.000Z",
    },
    { name: "body-parser", version: "1.20.2", time: "2023-02-22T00:00:00.000Z" },
    { name: "body-parser", version: "1.20.3", time: "2024-09-10T00:00:00.000Z" },
    { name: "path-to-regexp", version: "0.1.12", time: "2024-12-05T00:00:00.000Z" },
    { name: "cookie", version: "0.7.1", time: "2024-10-07T00:00:00.000Z" },
    { name: "send", version: "0.19.0", time: "2024-09-10T00:00:00.000Z" },
    { name: "serve-static", version: "1.16.2", dependencies: { ...serveStatic, send: "0.19.0" }, time: "2024-09-11T00:00:00.000Z" },
    { name: "jsonwebtoken", version: "9.0.2", time: "2023-08-30T00:00:00.000Z" },
    { name: "@modelcontextprotocol/sdk", version: "1.24.0", time: "2025-11-20T00:00:00.000Z" },
    { name: "@modelcontextprotocol/sdk", version: "1.25.2", time: "2026-02-01T00:00:00.000Z" },
    { name: "react", version: "19.0.1", time: "2025-12-03T00:00:00.000Z" },
    { name: "react", version: "19.2.1", time: "2026-03-01T00:00:00.000Z" },
    { name: "react-dom", version: "19.0.1", time: "2025-12-03T00:00:00.000Z" },
    { name: "react-dom", version: "19.2.1", time: "2026-03-01T00:00:00.000Z" },
    { name: "zod", version: "4.1.0", time: "2026-01-10T00:00:00.000Z" },
  ];
}

export function demoRegistry(): FakeRegistryOptions {
  const lock = demoLockfile();
  return {
    advisories: fixtureAdvisories(),
    packuments: packumentsFromLockfile(lock, fixtureReleases(lock)),
    pypi: {
      mcp: { version: "1.22.0", releases: { "1.9.0": "2025-05-01T00:00:00Z", "1.22.0": "2026-02-01T00:00:00Z" } },
      fastmcp: { version: "2.12.0", releases: { "2.3.0": "2025-05-01T00:00:00Z", "2.12.0": "2026-01-15T00:00:00Z" } },
    },
  };
}

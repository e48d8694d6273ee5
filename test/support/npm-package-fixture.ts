// The demo connector published as an npm package on the registry stub: packuments whose tarballs the stub serves,
// each with the integrity of the tarball it names (or, for a tampered release, of another one).
import path from "node:path";
import ssri from "ssri";
import type { FakePackument, FakeRegistry } from "./fake-registry";
import { filesFromFolder, tarGz } from "./tar-builder";

export const DEMO_PACKAGE = "@acme/notes-mcp";
const DEMO = path.resolve(__dirname, "..", "..", "examples", "demo-connector");

export interface Release {
  version: string;
  /** Extra files in this release's tarball, beside the demo connector's. */
  extra?: Record<string, string>;
  /** Publish the integrity of the plain demo tarball while serving this one: a tarball changed after publishing. */
  tampered?: boolean;
}

/** The demo's files as npm packs them: everything under "package/". */
async function packDemo(extra: Record<string, string> = {}): Promise<Buffer> {
  const files = { ...filesFromFolder(DEMO), ...extra };
  return tarGz(
    Object.entries(files).map(([p, content]) => ({ path: p, content })),
    { prefix: "package/" },
  );
}

/** Publishes releases of the demo package on the stub (the last one is `latest`); returns each release's integrity. */
export async function publishDemoPackage(registry: FakeRegistry, releases: Release[], name = DEMO_PACKAGE): Promise<Record<string, string>> {
  const plain = await packDemo();
  const integrityOf = (data: Buffer) => ssri.fromData(data, { algorithms: ["sha512"] }).toString();
  registry.options.tarballs ??= {};
  registry.options.packuments ??= {};
  const packument: FakePackument = registry.options.packuments[name] ?? { name, "dist-tags": { latest: "" }, versions: {}, time: {} };
  const integrities: Record<string, string> = {};
  for (const release of releases) {
    const tarball = release.extra ? await packDemo(release.extra) : plain;
    const file = `/tarballs/${name.replace(/[@/]/g, "_")}-${release.version}.tgz`;
    registry.options.tarballs[file] = tarball;
    integrities[release.version] = integrityOf(release.tampered ? plain : tarball);
    packument.versions[release.version] = {
      name,
      version: release.version,
      dist: { tarball: `${registry.url}${file.slice(1)}`, integrity: integrities[release.version] },
    };
    packument.time[release.version] = "2026-01-01T00:00:00.000Z";
    packument["dist-tags"].latest = release.version;
  }
  registry.options.packuments[name] = packument;
  return integrities;
}

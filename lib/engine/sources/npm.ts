// A published npm package as a source: `npm:name@version`. The packument names the tarball and its integrity; the
// tarball is downloaded through npm-registry-fetch from the configured registry, checked against that integrity
// before anything in it is read, and unpacked in memory like a GitHub archive. It is never installed or run.
import { Readable } from "node:stream";
import { npmFetch, type NpmFetchOptions } from "../net/npm-fetch";
import semver from "semver";
import ssri from "ssri";
import validateName from "validate-npm-package-name";
import { z } from "zod";
import { AppError } from "../../core/errors";
import { formatBytes, SnapshotBuilder } from "../snapshot";
import { archiveTooLarge, unpackTarball } from "./tarball";
import { DEFAULT_ARCHIVE_LIMITS, type SourceOptions, type SourceResult } from "./types";

export interface NpmSourceSpec {
  kind: "npm";
  name: string;
  /** An exact version or a dist-tag; null for "latest". */
  version: string | null;
  subdirectory?: string;
  /** The registry URL (npm's own configuration decides it when absent). */
  registry: string;
}

const Packument = z.object({
  name: z.string(),
  "dist-tags": z.record(z.string(), z.string()).default({}),
  versions: z.record(
    z.string(),
    z.object({ dist: z.object({ tarball: z.string().url(), integrity: z.string().optional(), shasum: z.string().optional() }).passthrough() }).passthrough(),
  ),
});

const MAX_PACKUMENT_BYTES = 64 * 1024 * 1024;

/** `npm:@scope/name@1.2.3`, `npm:name@latest`, `npm:name`: the name and the version or tag. */
export function parseNpmSource(input: string): { name: string; version: string | null } {
  const rest = input.slice("npm:".length).trim();
  const at = rest.lastIndexOf("@");
  const name = at > 0 ? rest.slice(0, at) : rest;
  const version = at > 0 ? rest.slice(at + 1) : null;
  const valid = validateName(name);
  if (!name || !valid.validForOldPackages) {
    throw new AppError("invalid:source", `"${name.slice(0, 100)}" is not an npm package name (npm:name@version or npm:@scope/name@version).`);
  }
  if (version !== null && !(semver.valid(version) || /^[a-z][a-z0-9._-]{0,63}$/i.test(version))) {
    throw new AppError("invalid:source", `"${version.slice(0, 100)}" is not a version or a dist-tag of ${name}.`);
  }
  return { name, version };
}

export async function readNpmPackage(spec: NpmSourceSpec, options: SourceOptions): Promise<SourceResult> {
  const { signal } = options;
  const limits = options.archiveLimits ?? DEFAULT_ARCHIVE_LIMITS;
  const registry = spec.registry;
  let requests = 0;
  const get = async (url: string, what: string) => {
    requests += 1;
    const fetch = await npmFetch();
    try {
      return await fetch(url, { registry, signal, timeout: 30_000, retry: { retries: 1, minTimeout: 500 } } as NpmFetchOptions);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404) throw new AppError("not_found:package", `The registry has no ${what}.`);
      throw new AppError("unavailable:npm", `The registry could not send ${what}${status ? ` (it answered ${status})` : ""}. Try again later.`);
    }
  };

  // 1. The packument: which versions exist, and the tarball and integrity of each.
  const encoded = spec.name.startsWith("@") ? `@${encodeURIComponent(spec.name.slice(1))}` : encodeURIComponent(spec.name);
  const res = await get(`/${encoded}`, `package ${spec.name}`);
  if (Number(res.headers.get("content-length") ?? 0) > MAX_PACKUMENT_BYTES) throw new AppError("limit:tarball", `The packument of ${spec.name} is larger than 64 MB.`);
  const parsed = Packument.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new AppError("unexpected:npm", `The registry's answer for ${spec.name} is not a packument.`);
  const wanted = spec.version ?? "latest";
  const version = parsed.data.versions[wanted] ? wanted : parsed.data["dist-tags"][wanted];
  const meta = version ? parsed.data.versions[version] : undefined;
  if (!version || !meta) {
    const latest = parsed.data["dist-tags"].latest;
    throw new AppError("not_found:version", `${spec.name} has no version or tag "${wanted}"${latest ? ` (latest is ${latest})` : ""}.`);
  }
  const integrity = meta.dist.integrity ?? (meta.dist.shasum ? ssri.fromHex(meta.dist.shasum, "sha1").toString() : null);
  if (!integrity) throw new AppError("invalid:integrity", `The registry publishes no integrity for ${spec.name}@${version}; refusing to scan an unverifiable tarball.`);

  // 2. The tarball, bounded while it downloads, then checked against the published integrity before it is read.
  const describe = `${spec.name}@${version}`;
  const tarball = await get(meta.dist.tarball, `the tarball of ${describe}`);
  const declared = Number(tarball.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limits.maxArchiveBytes) throw archiveTooLarge(describe, limits.maxArchiveBytes, "LAUNCH_REVIEW_MAX_ARCHIVE_BYTES", "download");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of tarball.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limits.maxArchiveBytes) throw archiveTooLarge(describe, limits.maxArchiveBytes, "LAUNCH_REVIEW_MAX_ARCHIVE_BYTES", "download");
    chunks.push(chunk);
  }
  const bytes = Buffer.concat(chunks);
  if (!ssri.checkData(bytes, integrity)) {
    throw new AppError(
      "conflict:integrity",
      `The tarball of ${describe} (${formatBytes(bytes.length)}) does not match the integrity the registry publishes (${integrity.slice(0, 24)}…): it was changed after publishing or on the way. Refusing to scan it.`,
    );
  }

  // 3. Unpacked in memory: npm tarballs keep everything under one top folder ("package/").
  const builder = new SnapshotBuilder(options.limits);
  const subdirectory = spec.subdirectory ?? "";
  const unpacked = await unpackTarball(Readable.from([bytes]), { builder, subdirectory, limits, signal, onProgress: options.onProgress, describe });
  if (!unpacked.sawSubdirectory) throw new AppError("invalid:subdirectory", `${describe} has no folder "${subdirectory}".`);
  return {
    snapshot: builder.build(null),
    source: {
      kind: "npm",
      repository: null,
      ref: version,
      commit: null,
      subdirectory,
      package: { name: spec.name, version, integrity },
      webUrl: `https://www.npmjs.com/package/${spec.name}/v/${version}`,
    },
    githubRequests: 0,
    registryRequests: requests,
  };
}

// Picks the source for a spec. All return the same Snapshot, so checks never know where files came from.
import { readGitHubRepository } from "./github";
import { readLocalFolder } from "./local";
import { readNpmPackage } from "./npm";
import type { SourceOptions, SourceResult, SourceSpec } from "./types";

export async function readSource(spec: SourceSpec, options: SourceOptions): Promise<SourceResult> {
  switch (spec.kind) {
    case "local":
      return readLocalFolder(spec.path, spec.subdirectory ?? "", options);
    case "github":
      return readGitHubRepository(spec, options);
    case "npm":
      return readNpmPackage(spec, options);
  }
}

// Validates SARIF against the official SARIF 2.1.0 JSON schema, as shipped in Microsoft's SARIF Multitool package.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";

const PLATFORM_PACKAGES = ["@microsoft/sarif-multitool-linux", "@microsoft/sarif-multitool-darwin", "@microsoft/sarif-multitool-win32"];

function schemaPath(): string {
  const require = createRequire(path.resolve("package.json"));
  for (const pkg of PLATFORM_PACKAGES) {
    try {
      return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), "sarif-2.1.0.json");
    } catch {
      // not installed on this platform
    }
  }
  throw new Error("The SARIF schema was not found: install dev dependencies (@microsoft/sarif-multitool).");
}

let validator: ReturnType<Ajv2020["compile"]> | undefined;

/** The schema errors of a SARIF document; an empty list when it is valid. */
export function sarifErrors(doc: unknown): string[] {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile(JSON.parse(fs.readFileSync(schemaPath(), "utf8")));
  }
  return validator(doc) ? [] : (validator.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

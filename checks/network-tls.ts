// Outbound TLS: certificate verification switched off in code (rejectUnauthorized, verify=False) or the environment.
import path from "node:path";
import { lineOf, ts } from "@/lib/engine/parse/js";
import { isBooleanLiteral, jsIndex, memberName, stringValue, unwrap } from "@/lib/engine/parse/js-index";
import { keywordArgs, pyIndex, pyLine } from "@/lib/engine/parse/py-index";
import { isTestPath } from "@/lib/engine/parse/source-kind";
import { lineAt, lineStarts } from "@/lib/engine/text";
import { codeCoverageProblem } from "@/lib/engine/parse/coverage";
import { codeFinding, finish } from "./evidence";
import { defineRule } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";

const ITEM = "network.outbound-tls";
const WHY =
  "Without certificate verification anyone on the network path (a proxy, a compromised Wi-Fi, a cloud neighbour) can read and change the traffic, including the tokens it carries.";

export const rules = {
  rejectUnauthorized: defineRule({
    id: "tls/reject-unauthorized",
    severity: "high",
    title: "TLS certificate verification disabled",
    rationale: WHY,
    remediation:
      "Remove `rejectUnauthorized: false` (and `strictSSL: false`, custom `checkServerIdentity`). For a private CA, pass its certificate with the `ca` option or NODE_EXTRA_CA_CERTS instead.",
    checklistItem: ITEM,
  }),
  envDisabled: defineRule({
    id: "tls/env-disables-verification",
    severity: "high",
    title: "TLS verification disabled for the whole process",
    rationale: `${WHY} An environment switch turns verification off for every outbound call of the process, not just one.`,
    remediation:
      "Remove NODE_TLS_REJECT_UNAUTHORIZED=0 / PYTHONHTTPSVERIFY=0. Trust a private CA with NODE_EXTRA_CA_CERTS or REQUESTS_CA_BUNDLE instead.",
    checklistItem: ITEM,
  }),
  pythonVerify: defineRule({
    id: "tls/python-verify-false",
    severity: "high",
    title: "TLS certificate verification disabled (Python)",
    rationale: WHY,
    remediation:
      'Remove `verify=False` / `ssl=False` and unverified SSL contexts. For a private CA, pass its bundle path as `verify="/path/ca.pem"` or build the context with `ssl.create_default_context(cafile=...)`.',
    checklistItem: ITEM,
  }),
};

const ENV_SWITCHES = ["NODE_TLS_REJECT_UNAUTHORIZED", "PYTHONHTTPSVERIFY"];
// Code is read through its syntax tree above; prose (docs that warn against the switch) is not configuration.
const SKIPPED_EXTENSIONS = new Set([
  ".ts",
  ".tsx",
  ".mts",
  ".cts",
  ".js",
  ".jsx",
  ".mjs",
  ".cjs",
  ".py",
  ".md",
  ".mdx",
  ".txt",
  ".rst",
  ".html",
]);
const LOCKFILES = new Set(["package-lock.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock", "uv.lock", "poetry.lock"]);
const HTTP_VERBS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "request", "ws_connect", "TCPConnector"]);

export const networkTlsCheck: Check = {
  id: "network-tls",
  title: "Outbound TLS: certificate verification stays on",
  section: "network",
  async run({ snapshot, facts, signal }) {
    const unreadable = await codeCoverageProblem(facts);
    if (unreadable) return { status: "unavailable", findings: [], error: `Could not read the code: ${unreadable}.` };
    const findings: Finding[] = [];

    for (const file of jsIndex(facts)) {
      if (isTestPath(file.path)) continue;
      for (const { name, node } of file.properties) {
        const value = ts.isPropertyAssignment(node) ? node.initializer : undefined;
        const line = lineOf(node, file.sourceFile);
        if ((name === "rejectUnauthorized" || name === "strictSSL") && isFalsy(value)) {
          findings.push(
            codeFinding(rules.rejectUnauthorized, {
              path: file.path,
              line,
              text: file.text,
              message: `\`${name}: false\` turns off certificate checks for this connection.`,
            }),
          );
        } else if (name === "checkServerIdentity" && value && acceptsAnyServer(value)) {
          findings.push(
            codeFinding(rules.rejectUnauthorized, {
              path: file.path,
              line,
              text: file.text,
              message: "`checkServerIdentity` accepts every certificate.",
            }),
          );
        } else if (name === "NODE_TLS_REJECT_UNAUTHORIZED" && isFalsy(value)) {
          findings.push(
            codeFinding(rules.envDisabled, {
              path: file.path,
              line,
              text: file.text,
              message: "A child process is started with NODE_TLS_REJECT_UNAUTHORIZED=0.",
            }),
          );
        }
      }
      for (const a of file.assignments) {
        const target = memberName(a.left);
        if (target === null) continue;
        const line = lineOf(a, file.sourceFile);
        if (target.endsWith("NODE_TLS_REJECT_UNAUTHORIZED") && isFalsy(a.right)) {
          findings.push(
            codeFinding(rules.envDisabled, {
              path: file.path,
              line,
              text: file.text,
              message: "The process sets NODE_TLS_REJECT_UNAUTHORIZED=0, turning off certificate checks for every call.",
            }),
          );
        } else if (target.endsWith(".rejectUnauthorized") && isFalsy(a.right)) {
          findings.push(
            codeFinding(rules.rejectUnauthorized, {
              path: file.path,
              line,
              text: file.text,
              message: "`rejectUnauthorized` is set to false.",
            }),
          );
        }
      }
    }

    for (const file of await pyIndex(facts)) {
      if (isTestPath(file.path)) continue;
      for (const { node, callee } of file.calls) {
        signal.throwIfAborted();
        const kw = keywordArgs(node);
        const method = callee?.slice(callee.lastIndexOf(".") + 1) ?? "";
        const off = (name: string) => kw.get(name)?.type === "false";
        let message: string | null = null;
        if (off("verify")) message = "`verify=False` turns off certificate checks for this request.";
        else if (off("verify_ssl")) message = "`verify_ssl=False` turns off certificate checks.";
        else if (off("ssl") && HTTP_VERBS.has(method)) message = "`ssl=False` turns off certificate checks for this connection.";
        else if (callee === "ssl._create_unverified_context") message = "An unverified SSL context accepts any certificate.";
        if (message) findings.push(codeFinding(rules.pythonVerify, { path: file.path, line: pyLine(node), text: file.text, message }));
      }
      for (const a of file.assignments) {
        const left = a.childForFieldName("left")?.text ?? "";
        const right = a.childForFieldName("right");
        let message: string | null = null;
        if (left.endsWith(".check_hostname") && right?.type === "false")
          message = "`check_hostname = False` accepts certificates issued for any host.";
        else if (left.endsWith(".verify_mode") && right?.text.endsWith("CERT_NONE"))
          message = "`verify_mode = CERT_NONE` accepts any certificate.";
        else if (left === "ssl._create_default_https_context" && right?.text.endsWith("_create_unverified_context"))
          message = "Every HTTPS connection of the process skips certificate checks.";
        else if (ENV_SWITCHES.some((e) => left.includes(e)) && /^["']?0["']?$/.test(right?.text ?? "")) {
          findings.push(
            codeFinding(rules.envDisabled, {
              path: file.path,
              line: pyLine(a),
              text: file.text,
              message: "The process turns off certificate checks for every call through an environment switch.",
            }),
          );
        }
        if (message) findings.push(codeFinding(rules.pythonVerify, { path: file.path, line: pyLine(a), text: file.text, message }));
      }
    }

    // Environment switches in configuration, scripts, Dockerfiles and CI (code files are read above).
    for (const file of snapshot.files()) {
      const name = path.posix.basename(file.path);
      if (file.omitted || file.size > 1024 * 1024 || LOCKFILES.has(name) || SKIPPED_EXTENSIONS.has(path.posix.extname(name).toLowerCase()))
        continue;
      const text = snapshot.text(file.path);
      if (text === null || !ENV_SWITCHES.some((s) => text.includes(s))) continue;
      let starts: number[] | undefined;
      for (const s of ENV_SWITCHES) {
        for (let i = text.indexOf(s); i !== -1; i = text.indexOf(s, i + s.length)) {
          if (!setsToZero(text, i + s.length)) continue;
          const line = lineAt((starts ??= lineStarts(text)), i);
          findings.push(
            codeFinding(rules.envDisabled, {
              path: file.path,
              line,
              text,
              message: `${s} is set to 0 here, turning off certificate checks for the whole process.`,
            }),
          );
        }
      }
    }
    return finish(findings);
  },
};

function isFalsy(e: ts.Expression | undefined): boolean {
  if (!e) return false;
  if (isBooleanLiteral(e, false)) return true;
  const u = unwrap(e);
  if (ts.isNumericLiteral(u)) return Number(u.text) === 0;
  const s = stringValue(u);
  return s === "0" || s === "false";
}

/** `() => undefined`, `() => {}`, `function () { return undefined; }`: a server identity check that accepts anything. */
function acceptsAnyServer(e: ts.Expression): boolean {
  const f = unwrap(e);
  if (!ts.isArrowFunction(f) && !ts.isFunctionExpression(f)) return false;
  if (ts.isBlock(f.body)) {
    return f.body.statements.every(
      (s) =>
        ts.isReturnStatement(s) &&
        (!s.expression ||
          s.expression.kind === ts.SyntaxKind.UndefinedKeyword ||
          (ts.isIdentifier(s.expression) && s.expression.text === "undefined")),
    );
  }
  return ts.isIdentifier(f.body) && f.body.text === "undefined";
}

/** After `NAME`, an `=` or `:` then an optional quote and `0` (YAML, .env, shell, JSON, Dockerfile ENV). */
function setsToZero(text: string, from: number): boolean {
  let i = from;
  const skip = (chars: string) => {
    while (i < text.length && i < from + 12 && chars.includes(text[i]!)) i++;
  };
  skip(" \t\"'");
  if (text[i] !== "=" && text[i] !== ":") {
    // Dockerfile `ENV NAME 0`
    if (text[i - 1] !== " ") return false;
  } else i++;
  skip(" \t\"'");
  return text[i] === "0" && !/[0-9A-Za-z_.]/.test(text[i + 1] ?? "");
}

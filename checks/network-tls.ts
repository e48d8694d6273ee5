// Outbound TLS: certificate verification switched off in code (`rejectUnauthorized: false`, `verify=False`,
// unverified SSL contexts) or for the whole process (NODE_TLS_REJECT_UNAUTHORIZED=0), in either language.
import path from "node:path";
import type { FnId } from "@/lib/core/facts";
import type { Finding } from "@/lib/core/types";
import type { SettingFact } from "@/lib/engine/facts/settings";
import { isOff } from "@/lib/engine/facts/settings";
import { lineAt, lineStarts } from "@/lib/engine/text";
import { codeFinding, finish, unreadableCode } from "./evidence";
import { defineRule } from "./rule";
import type { Check, CheckContext } from "./types";

const ITEM = "network.outbound-tls";
const WHY =
  "Without certificate verification anyone on the network path (a proxy, a compromised Wi-Fi, a cloud neighbour) can read and change the traffic, including the tokens it carries.";
const TAGS = { owasp: "MCP01:2025 Token Mismanagement & Secret Exposure", cwe: ["CWE-295"] } as const;

export const rules = {
  rejectUnauthorized: defineRule({
    id: "tls/reject-unauthorized",
    item: ITEM,
    severity: "high",
    title: "TLS certificate verification disabled",
    rationale: WHY,
    remediation:
      "Remove `rejectUnauthorized: false` (and `strictSSL: false`, custom `checkServerIdentity`). For a private CA, pass its certificate with the `ca` option or NODE_EXTRA_CA_CERTS instead.",
    tags: TAGS,
  }),
  envDisabled: defineRule({
    id: "tls/env-disables-verification",
    item: ITEM,
    severity: "high",
    title: "TLS verification disabled for the whole process",
    rationale: `${WHY} An environment switch turns verification off for every outbound call of the process, not just one.`,
    remediation: "Remove NODE_TLS_REJECT_UNAUTHORIZED=0 / PYTHONHTTPSVERIFY=0. Trust a private CA with NODE_EXTRA_CA_CERTS or REQUESTS_CA_BUNDLE instead.",
    tags: TAGS,
  }),
  pythonVerify: defineRule({
    id: "tls/python-verify-false",
    item: ITEM,
    severity: "high",
    title: "TLS certificate verification disabled (Python)",
    rationale: WHY,
    remediation:
      'Remove `verify=False` / `ssl=False` and unverified SSL contexts. For a private CA, pass its bundle path as `verify="/path/ca.pem"` or build the context with `ssl.create_default_context(cafile=...)`.',
    tags: TAGS,
  }),
};

const ENV_SWITCHES = ["NODE_TLS_REJECT_UNAUTHORIZED", "PYTHONHTTPSVERIFY"];
/** Settings that switch verification off when false, with what to say. */
const OFF_SWITCHES: Record<string, { rule: keyof typeof rules; message: string; httpOnly?: boolean }> = {
  rejectUnauthorized: { rule: "rejectUnauthorized", message: "`rejectUnauthorized: false` turns off certificate checks for this connection." },
  strictSSL: { rule: "rejectUnauthorized", message: "`strictSSL: false` turns off certificate checks for this connection." },
  verify: { rule: "pythonVerify", message: "`verify=False` turns off certificate checks for this request." },
  verify_ssl: { rule: "pythonVerify", message: "`verify_ssl=False` turns off certificate checks." },
  ssl: { rule: "pythonVerify", message: "`ssl=False` turns off certificate checks for this connection.", httpOnly: true },
  check_hostname: { rule: "pythonVerify", message: "`check_hostname = False` accepts certificates issued for any host." },
};
/** The keys the settings rule below reads (`ssl._create_default_https_context = …` is keyed by its last name). */
const readsTls = (key: string): boolean =>
  Object.hasOwn(OFF_SWITCHES, key) || ENV_SWITCHES.includes(key) || ["checkServerIdentity", "verify_mode", "_create_default_https_context"].includes(key);
const HTTP_METHODS = /\.(?:get|post|put|patch|delete|head|options|request|ws_connect)$|(?:^|\.)TCPConnector$/;
// Code is read as facts above; prose (docs that warn against the switch) is not configuration.
const CODE_OR_PROSE = /\.(?:[cm]?[jt]sx?|py|md|mdx|txt|rst|html)$/i;
const LOCKFILES = new Set(["package-lock.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock", "uv.lock", "poetry.lock"]);

export const networkTlsCheck: Check = {
  id: "network-tls",
  title: "Outbound TLS: certificate verification stays on",
  section: "network",
  rules: Object.values(rules),
  run(ctx) {
    const unreadable = unreadableCode(ctx);
    if (unreadable) return unreadable;
    const findings: Finding[] = [];
    const { facts, snapshot } = ctx;
    const at = (s: { path: string; line: number; fn: FnId }, rule: keyof typeof rules, message: string) => {
      const optIn = optInSetting(ctx, s.fn);
      findings.push(
        codeFinding(rules[rule], {
          path: s.path,
          line: s.line,
          text: snapshot.text(s.path) ?? "",
          message: optIn ? `${message.replace(/\.$/, "")}, but only where the code is told to (${optIn}): an operator's opt-in for a private server. Keep it off in production.` : message,
          ...(optIn ? { severity: "low" as const } : {}),
        }),
      );
    };

    for (const s of facts.settingsWhere(readsTls)) {
      if (!isJudged(ctx, s.path)) continue;
      const off = OFF_SWITCHES[s.key];
      if (off && isOff(s.value) && (!off.httpOnly || (s.call !== null && HTTP_METHODS.test(s.call.resolved || s.call.callee)))) {
        at(s, off.rule, s.target ? `\`${s.target}\` is set to false: certificate checks are off.` : off.message);
      } else if (ENV_SWITCHES.some((e) => s.key === e) && isOff(s.value)) {
        at(s, "envDisabled", s.target ? "The process sets an environment switch that turns off certificate checks for every call." : "A child process is started with certificate checks off.");
      } else if (s.key === "checkServerIdentity" && acceptsAnyServer(ctx, s)) {
        at(s, "rejectUnauthorized", "`checkServerIdentity` accepts every certificate.");
      } else if (s.key === "verify_mode" && s.value.kind === "ref" && s.value.path.endsWith("CERT_NONE")) {
        at(s, "pythonVerify", "`verify_mode = CERT_NONE` accepts any certificate.");
      } else if (s.target === "ssl._create_default_https_context" && s.value.kind === "ref" && s.value.path.endsWith("_create_unverified_context")) {
        at(s, "pythonVerify", "Every HTTPS connection of the process skips certificate checks.");
      }
    }
    for (const call of facts.code.callsWhere(makesUnverifiedContext)) {
      if ((call.resolved || call.callee) === "ssl._create_unverified_context" && isJudged(ctx, call.path))
        at(call, "pythonVerify", "An unverified SSL context accepts any certificate.");
    }
    findings.push(...environmentSwitches(ctx));
    return finish(findings);
  },
};

// Settings that mean "skip certificate checks" when an operator turns them on (or verification when turned off).
const TLS_SETTING = /\b[\w.]*(?:ssl_?verif\w*|verif\w*_?ssl|tls_?verif\w*|verif\w*_?(?:certs?|certificates?|tls)|insecure\w*|skip_?(?:tls|ssl|verif)\w*|no_?verif\w*|reject_?unauthori[sz]ed)\b/i;

/**
 * Whether code that turns checks off runs only where a setting asks for it: every use of its function (or of its
 * class, for an adapter's methods) sits in a function that reads a TLS setting (`if not config.ssl_verify:
 * session.mount(..., SSLIgnoreAdapter())`). Returns the setting's name as written, or null.
 */
function optInSetting(ctx: CheckContext, fnId: FnId): string | null {
  const code = ctx.facts.code;
  const fn = code.fn(fnId);
  const own = TLS_SETTING.exec(fn.words)?.[0];
  if (own && fn.shape.branches > 0) return own;
  // Tests construct the adapter on its own; only the uses that run in the product say when it is switched on.
  const users = (
    fn.className
      ? code.calls.filter((c) => c.callee === fn.className || c.callee.endsWith(`.${fn.className}`))
      : fn.isModule
        ? []
        : code.callersOf(fn.id)
  ).filter((use) => isJudged(ctx, use.path));
  if (users.length === 0) return null;
  let name: string | null = null;
  for (const use of users) {
    const found = TLS_SETTING.exec(code.fn(use.fn).words)?.[0];
    if (!found) return null;
    name ??= found;
  }
  return name;
}

/** Server code, scripts and configuration are judged; tests, fixtures, docs and examples are not. */
const makesUnverifiedContext = (callee: string, resolved: string): boolean => (resolved || callee) === "ssl._create_unverified_context";

function isJudged(ctx: CheckContext, p: string): boolean {
  const role = ctx.facts.code.file(p)?.role;
  return role === "server" || role === "script";
}

/** `() => undefined`, `() => {}`: a server identity check that accepts anything. */
function acceptsAnyServer(ctx: CheckContext, s: SettingFact): boolean {
  if (s.value.kind !== "function") return false;
  const fn = ctx.facts.code.fn(s.value.fn);
  return fn.calls.length === 0 && fn.shape.branches === 0 && fn.shape.throws === 0 && fn.returns.every((r) => r.kind === "null");
}

/** Environment switches in configuration, scripts, Dockerfiles and CI files (code files are read as facts). */
function environmentSwitches(ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const { snapshot } = ctx;
  for (const file of snapshot.files()) {
    const name = path.posix.basename(file.path);
    if (file.omitted || file.size > 1024 * 1024 || LOCKFILES.has(name) || CODE_OR_PROSE.test(name)) continue;
    const text = snapshot.text(file.path);
    if (text === null || !ENV_SWITCHES.some((s) => text.includes(s))) continue;
    let starts: number[] | undefined;
    for (const s of ENV_SWITCHES) {
      for (let i = text.indexOf(s); i !== -1; i = text.indexOf(s, i + s.length)) {
        if (!setsToZero(text, i + s.length)) continue;
        const line = lineAt((starts ??= lineStarts(text)), i);
        findings.push(
          codeFinding(rules.envDisabled, { path: file.path, line, text, message: `${s} is set to 0 here, turning off certificate checks for the whole process.` }),
        );
      }
    }
  }
  return findings;
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

import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "@/lib/logger";
import { fakeSecret } from "./support/rules";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger(stream, "info"), text: () => lines.join("") };
}

describe("logging", () => {
  it("writes JSON with the bindings given (correlation id)", () => {
    const { log, text } = capture();
    log.child({ correlationId: "c-123", scanId: 7 }).info("scan started");
    const record = JSON.parse(text());
    expect(record).toMatchObject({ level: "info", correlationId: "c-123", scanId: 7, msg: "scan started", service: "launch-review" });
  });

  it("redacts tokens, authorization headers, cookies, passwords and emails by key", () => {
    const { log, text } = capture();
    log.info(
      {
        token: "t0ps3cret",
        headers: { authorization: "Bearer abc.def.ghi", cookie: "launch-review.session_token=zzz" },
        user: { email: "ana@example.com", password: "hunter2hunter2" },
      },
      "request",
    );
    const out = text();
    for (const leaked of ["t0ps3cret", "abc.def.ghi", "session_token=zzz", "ana@example.com", "hunter2hunter2"])
      expect(out).not.toContain(leaked);
    expect(out).toContain("[redacted]");
  });

  it("masks emails, bearer tokens and known token formats anywhere in values and messages", () => {
    const { log, text } = capture();
    const gh = `ghp_${fakeSecret(36, 77)}`;
    log
      .child({ module: "security" })
      .warn(
        { actor: "bob@corp.example", detail: `auth header was Bearer ${fakeSecret(30, 3)}`, nested: [{ note: `key ${gh}` }] },
        `sign-in failed for carol@corp.example`,
      );
    const out = text();
    expect(out).not.toContain("bob@corp.example");
    expect(out).not.toContain("carol@corp.example");
    expect(out).not.toContain(fakeSecret(30, 3));
    expect(out).not.toContain(gh);
    expect(out).toContain("[email]");
    expect(out).toContain("Bearer [redacted]");
    expect(out).toContain("ghp_…");
  });

  it("scrubs error messages too", () => {
    const { log, text } = capture();
    log.error(
      { err: new Error("upstream rejected token lrt_abcdEFGH_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG for dan@x.example") },
      "failed",
    );
    const out = text();
    expect(out).not.toContain("0123456789abcdefghij");
    expect(out).not.toContain("dan@x.example");
  });
});

// The one wrapper every server action goes through (app/_server/action.ts): what a form gets back for each kind of
// failure, what is kept and what never is, and when pages are refreshed. Access per caller is tested as a property
// of every real action in test/access/actions.test.ts.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/core/errors";
import { resetEnvForTests } from "@/lib/env";
import { useTestDb } from "./support/db";
import { makeTeam, makeUser, sessionCookie } from "./support/auth";

let requestHeaders = new Headers();
const revalidated: string[] = [];
vi.mock("next/headers", () => ({
  headers: async () => requestHeaders,
  cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => {}, delete: () => {}, has: () => false }),
}));
vi.mock("next/cache", () => ({ revalidatePath: (p: string) => revalidated.push(p), revalidateTag: () => {} }));

const { buttonAction, formAction } = await import("@/app/_server/action");

function form(entries: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.set(k, v);
  return f;
}

function digestOf(error: unknown): string {
  return (error as { digest?: string }).digest ?? String(error);
}

beforeEach(async () => {
  process.env.DATABASE_PATH = ":memory:";
  resetEnvForTests();
  await useTestDb();
  requestHeaders = new Headers({ host: "localhost", "x-correlation-id": "corr-1" });
  revalidated.length = 0;
});

const Input = z.object({ title: z.string().min(3, "At least 3 characters."), password: z.string().max(100) });

describe("formAction", () => {
  it("puts zod messages beside their fields and sends back what was typed, never the secrets", async () => {
    const act = formAction({ name: "t.zod", access: "public", input: Input, secrets: ["password"], run: () => ({ notice: "ok" }) });
    const state = await act({}, form({ title: "ab", password: "hunter2-hunter2" }));
    expect(state.fieldErrors).toEqual({ title: "At least 3 characters." });
    expect(state.values).toEqual({ title: "ab" });
    expect(state.dropped).toEqual(["password"]);
    expect(JSON.stringify(state)).not.toContain("hunter2");
  });

  it("places a typed AppError beside the field its surface names, and others at the top", async () => {
    const fail = (error: Error) =>
      formAction({ name: "t.app", access: "public", input: Input, fields: { note: "title" }, run: () => Promise.reject(error) });
    const beside = await fail(new AppError("invalid:note", "Say why."))({}, form({ title: "abc", password: "" }));
    expect(beside).toMatchObject({ fieldErrors: { title: "Say why." } });
    const top = await fail(new AppError("not_found:item", "No such item."))({}, form({ title: "abc", password: "" }));
    expect(top).toMatchObject({ error: "No such item.", values: { title: "abc" } });
    expect(top.fieldErrors).toBeUndefined();
  });

  it("shows an unexpected error only as a reference to the logs", async () => {
    const act = formAction({
      name: "t.crash",
      access: "public",
      input: Input,
      run: () => {
        throw new Error("SELECT * FROM secrets failed at /srv/app/db.ts:12");
      },
    });
    const state = await act({}, form({ title: "abc", password: "" }));
    expect(state.error).toBe("Something went wrong (ref corr-1).");
  });

  it("refreshes the pages after success and after a conflict, not after other failures", async () => {
    const make = (run: () => unknown) =>
      formAction({ name: "t.refresh", access: "public", input: Input, revalidate: () => ["/a", "/b"], run: run as () => void });
    await make(() => ({ notice: "saved" }))({}, form({ title: "abc", password: "" }));
    expect(revalidated).toEqual(["/a", "/b"]);
    revalidated.length = 0;
    await make(() => Promise.reject(new AppError("conflict:item", "Someone decided first.")))({}, form({ title: "abc", password: "" }));
    expect(revalidated).toEqual(["/a", "/b"]);
    revalidated.length = 0;
    await make(() => Promise.reject(new AppError("invalid:note", "No.")))({}, form({ title: "abc", password: "" }));
    expect(revalidated).toEqual([]);
  });

  it("redirects where the body says, after refreshing", async () => {
    const act = formAction({
      name: "t.redirect",
      access: "public",
      input: Input,
      revalidate: () => "/",
      run: () => ({ redirectTo: "/done" }),
    });
    const error = await act({}, form({ title: "abc", password: "" })).catch((e: unknown) => e);
    expect(digestOf(error)).toMatch(/^NEXT_REDIRECT;replace;\/done;/);
    expect(revalidated).toEqual(["/"]);
  });

  it("checks access before it looks at the input: a malformed id is a 404, a signed-out caller goes to sign in", async () => {
    const run = vi.fn(() => ({ notice: "ran" }));
    const act = formAction({ name: "t.access", access: { connector: "connectorId", can: "connector.manage" }, input: Input, run });
    expect(digestOf(await act({}, form({ connectorId: "1", title: "" })).catch((e: unknown) => e))).toMatch(/^NEXT_REDIRECT;.*\/sign-in/);
    const team = await makeTeam("T");
    await makeUser("m@example.com", { teamId: team.id, role: "maintainer" });
    requestHeaders.set("cookie", await sessionCookie("m@example.com"));
    for (const id of ["", "abc", "-1", "1.5", "1e99"]) {
      expect(digestOf(await act({}, form({ connectorId: id, title: "" })).catch((e: unknown) => e))).toBe("NEXT_HTTP_ERROR_FALLBACK;404");
    }
    expect(run).not.toHaveBeenCalled();
  });
});

describe("buttonAction", () => {
  it("changes nothing on invalid input and hands failures to onFailure", async () => {
    const run = vi.fn();
    const onFailure = vi.fn();
    const act = buttonAction({ name: "t.button", access: "public", input: z.object({ n: z.coerce.number().int() }), run, onFailure });
    await act(form({ n: "x" }));
    expect(run).not.toHaveBeenCalled();
    expect(onFailure).toHaveBeenCalledWith(expect.objectContaining({ fieldErrors: { n: expect.any(String) } }), expect.anything());
  });
});

// The Register page as it renders: the form for whoever may register into a team; for an administrator before any
// team exists, the way to make one (not "Not allowed"); a refusal for a member who may not register anywhere.
import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { makeTeam } from "./support/auth";
import { useTestDb } from "./support/db";

let user: SessionUser;
vi.mock("@/app/_server/session", () => ({ requireUser: async () => user }));
vi.mock("next/navigation", () => ({
  forbidden: () => {
    throw new Error("NEXT_HTTP_ERROR_FALLBACK;403");
  },
}));

const { default: NewConnectorPage } = await import("@/app/connectors/new/page");
const render = async () => renderToStaticMarkup(await NewConnectorPage());

const person = (isAdmin: boolean, memberships: SessionUser["memberships"] = []) =>
  ({ id: "u", email: "u@x", name: "U", sessionId: "s", isAdmin, memberships }) as unknown as SessionUser;

beforeEach(async () => {
  await useTestDb();
});

describe("the Register page", () => {
  it("points an administrator to creating a team when there is none", async () => {
    user = person(true);
    const html = await render();
    expect(html).toContain("there is no team yet");
    expect(html).toContain('href="/admin/teams"');
    expect(html).not.toContain("<form");
  });

  it("shows an administrator the form once a team exists", async () => {
    await makeTeam("Platform");
    user = person(true);
    const html = await render();
    expect(html).toContain("Platform");
    expect(html).not.toContain("there is no team yet");
  });

  it("refuses a viewer, who may register into no team", async () => {
    const team = await makeTeam("Platform");
    user = person(false, [{ teamId: team.id, teamName: team.name, role: "viewer" }] as SessionUser["memberships"]);
    await expect(render()).rejects.toThrow("403");
  });
});

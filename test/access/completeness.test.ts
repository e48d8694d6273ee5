import { describe, expect, it } from "vitest";
import { discoverActions, discoverRoutes } from "./discover";
import { ACTIONS, ROUTES, WHO } from "./matrix";

describe("the access table", () => {
  it("has an entry for every page and route handler, and none for routes that don't exist", () => {
    expect(Object.keys(ROUTES).sort()).toEqual(discoverRoutes());
  });

  it("has an entry for every server action, and none for actions that don't exist", () => {
    expect(Object.keys(ACTIONS).sort()).toEqual(discoverActions());
  });

  it("says what every kind of caller gets", () => {
    for (const entry of [...Object.values(ROUTES), ...Object.values(ACTIONS)])
      expect(Object.keys(entry.expect).sort()).toEqual([...WHO].sort());
  });

  it("lets nobody signed out do anything but sign in, read the privacy page, accept an invitation and check health", () => {
    const open = Object.entries(ROUTES)
      .filter(([, e]) => e.expect.anonymous === "ok")
      .map(([k]) => k);
    expect(open.sort()).toEqual(["GET /api/health", "GET /invite/[token]", "GET /privacy", "GET /sign-in"]);
    const openActions = Object.entries(ACTIONS)
      .filter(([, e]) => e.expect.anonymous === "ok")
      .map(([k]) => k);
    expect(openActions.sort()).toEqual(["invite/[token]/actions.ts#acceptInvitationAction", "sign-in/actions.ts#signInAction"]);
  });
});

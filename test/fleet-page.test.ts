// The dashboard page itself, rendered to HTML as a signed-in administrator would get it: page 2 of a seeded fleet, its
// count, the page links keeping the filters, and the empty states.
import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { DASHBOARD_PAGE_SIZE as SIZE } from "@/lib/fleet/dashboard";
import { makeTeam } from "./support/auth";
import { useTestDb } from "./support/db";
import { byName, seedFleet, type SeededConnector } from "./support/fleet-seed";

const admin: SessionUser = {
  id: "u-admin",
  email: "a@x",
  name: "Admin",
  sessionId: "s",
  isAdmin: true,
  memberships: [],
} as unknown as SessionUser;
vi.mock("@/app/_server/session", () => ({ requireUser: async () => admin }));

const { default: DashboardPage } = await import("@/app/page");

async function render(search: Record<string, string>): Promise<string> {
  return renderToStaticMarkup(await DashboardPage({ searchParams: Promise.resolve(search) }));
}

/** The connector names in the matrix, in order. */
const namesIn = (html: string) => [...html.matchAll(/<tr data-connector="([^"]+)"/g)].map((m) => m[1]);

let fleet: SeededConnector[];
let teams: [number, number];

beforeEach(async () => {
  await useTestDb();
  teams = [(await makeTeam("Even")).id, (await makeTeam("Odd")).id];
  fleet = await seedFleet(teams, 120);
});

describe("the dashboard page", () => {
  it("renders page 2: the next connectors, the count of everything, and page links that keep the filters", async () => {
    const html = await render({ sort: "name", page: "2" });
    expect(namesIn(html)).toEqual(
      [...fleet]
        .sort(byName)
        .slice(SIZE, 2 * SIZE)
        .map((c) => c.name),
    );
    expect(html).toContain(`Connectors ${SIZE + 1}–${2 * SIZE} of 120`);
    expect(html).toContain('<strong aria-current="page">2</strong>');
    expect(html).toContain('href="/?sort=name" rel="prev"');
    expect(html).toContain('href="/?sort=name&amp;page=3" rel="next"');
    expect(html).toContain('href="/api/v1/fleet/matrix.csv?sort=name"');
  });

  it("draws each cell with its worst lag, and its versions, advisories and unknowns in the title", async () => {
    const html = await render({ sort: "name" });
    const cell = (name: string) =>
      html.match(new RegExp(`<tr data-connector="${name}">.*?(<td class="cell[^"]*"[^>]*data-package="react"[^>]*>)`))?.[1];
    expect(cell("connector-0004")).toBe(
      '<td class="cell lag-vulnerable" title="react@1.4.0: vulnerable, latest 2.0.0, advisories GHSA-4" data-package="react" data-lag="vulnerable">',
    );
    expect(cell("connector-0013")).toBe(
      '<td class="cell lag-unknown" title="react@1.13.0: major, latest 2.0.0, advisories unknown (the advisory source could not answer)" data-package="react" data-lag="unknown">',
    );
  });

  it("keeps the team filter in the page links and says how many match", async () => {
    const even = fleet.filter((c) => c.teamId === teams[0]).length;
    const last = Math.ceil(even / SIZE);
    const html = await render({ team: String(teams[0]), page: String(last) });
    expect(html).toContain(`Connectors ${(last - 1) * SIZE + 1}–${even} of ${even} matching the filters (120 in all)`);
    expect(html).toContain(`href="/?team=${teams[0]}&amp;page=${last - 1}" rel="prev"`);
    expect(html).not.toContain('rel="next"');
  });

  it("has an empty state for a page past the end and for filters nothing matches", async () => {
    expect(await render({ page: "99" })).toContain("Page 99 is past the end of the list");
    expect(await render({ page: "99" })).toContain(`href="/?page=${Math.ceil(120 / SIZE)}" rel="prev"`);
    expect(namesIn(await render({ page: "99" }))).toEqual([]);
    expect(await render({ package: "no-such-package" })).toContain("No connector matches these filters.");
  });

  it("ignores a page number that isn't one", async () => {
    expect(namesIn(await render({ sort: "name", page: "2; drop table" }))).toEqual(
      [...fleet]
        .sort(byName)
        .slice(0, SIZE)
        .map((c) => c.name),
    );
  });
});

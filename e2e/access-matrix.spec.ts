// Every page and route handler × every kind of caller, over real HTTP against the built app, from the one access
// table in test/access/matrix.ts (server actions are covered by test/access/actions.test.ts from the same table).
import { request as playwrightRequest, type APIResponse } from "@playwright/test";
import { ROUTES, WHO, type Ids, type Outcome, type Who } from "../test/access/matrix";
import { expect, test } from "./fixtures";
import { storageStateOf, type E2eRole } from "./support/users";

// The server seeds the demo team (id 1) with the demo connector (id 1) and its first scan (id 1) at first start;
// the setup project then adds the outsider's team and starts review 1 of the demo connector.
const ids: Ids = { team: 1, otherTeam: 2, connector: 1, scan: 1, review: 1 };

function outcomeOf(response: APIResponse): Outcome {
  const status = response.status();
  if (status >= 300 && status < 400) return (response.headers().location ?? "").startsWith("/sign-in") ? "sign-in" : "ok";
  if (status >= 200 && status < 300) return "ok";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not-found";
  throw new Error(`unexpected status ${status}`);
}

test("the fixture ids are the demo team's", async ({ baseURL }) => {
  const admin = await playwrightRequest.newContext({ baseURL, storageState: storageStateOf("admin") });
  const scan = await admin.get(`/api/v1/scans/${ids.scan}`);
  expect(scan.status()).toBe(200);
  expect((await scan.json()).connectorId).toBe(ids.connector);
  await admin.dispose();
});

for (const who of WHO) {
  test(`every route answers ${who} as the access table says`, async ({ baseURL }) => {
    const context = await playwrightRequest.newContext({
      baseURL,
      storageState: who === "anonymous" ? { cookies: [], origins: [] } : storageStateOf(who as E2eRole),
    });
    const got: Record<string, Outcome> = {};
    const want: Record<string, Outcome> = {};
    for (const [key, entry] of Object.entries(ROUTES)) {
      const method = key.split(" ")[0]!;
      const response = await context.fetch(entry.path(ids), {
        method,
        maxRedirects: 0,
        failOnStatusCode: false,
        ...(method === "POST" ? { data: {} } : {}),
      });
      got[key] = outcomeOf(response);
      want[key] = entry.expect[who as Who];
    }
    expect(got).toEqual(want);
    await context.dispose();
  });
}

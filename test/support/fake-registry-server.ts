// The registry stub as its own process, for Playwright's webServer: fixture advisories and packuments for the demo.
import { startFakeRegistry } from "./fake-registry";
import { demoRegistry } from "./registry-fixture";

void startFakeRegistry(demoRegistry()).then((registry) => {
  process.stdout.write(`fake registry listening on ${registry.url}\n`);
});

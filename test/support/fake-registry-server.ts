// The registry stub as its own process, for Playwright's webServer: fixture advisories and packuments for the demo,
// and the demo connector published as the package @acme/notes-mcp (1.2.0, then 1.3.0 as latest).
import { startFakeRegistry } from "./fake-registry";
import { publishDemoPackage } from "./npm-package-fixture";
import { demoRegistry } from "./registry-fixture";

void startFakeRegistry(demoRegistry()).then(async (registry) => {
  await publishDemoPackage(registry, [{ version: "1.2.0" }, { version: "1.3.0" }]);
  process.stdout.write(`fake registry listening on ${registry.url}\n`);
});

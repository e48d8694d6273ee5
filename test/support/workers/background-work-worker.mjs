// A scan worker whose task returns at once but leaves work behind, as a real scan leaves its last log line and its
// advisory alerts: 100 ms later it writes the marker file named by LR_TEST_MARKER.
import fs from "node:fs";

export default async function leaveWorkBehind(task) {
  setTimeout(() => fs.writeFileSync(process.env.LR_TEST_MARKER, String(task.scanId)), 100);
}

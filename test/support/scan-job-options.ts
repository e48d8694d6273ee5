import type { ScanJobOptions } from "@/lib/jobs/scan-jobs";

/** Scan job timings shrunk so a lost job comes back within seconds: expiry after 2 s, checked every second. */
export const testScanJobOptions: ScanJobOptions = {
  scanTimeoutMs: 1000,
  expiryGraceSeconds: 1,
  maintenanceSeconds: 1,
  retryDelaySeconds: 1,
  pollingSeconds: 0.5,
};

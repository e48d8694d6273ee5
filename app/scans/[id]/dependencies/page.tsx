import { loadScanView } from "../load";

export const dynamic = "force-dynamic";

export default async function ScanDependenciesPage({ params }: { params: Promise<{ id: string }> }) {
  const { report } = await loadScanView(params);
  if (!report) return null;
  const deps = report.dependencies;
  return (
    <section aria-labelledby="deps-heading">
      <h2 id="deps-heading">Dependencies</h2>
      {deps.advisorySource.status === "unavailable" ? (
        <div className="notice" role="note">
          Advisory data unavailable: {deps.advisorySource.error ?? "no reason given"}. Dependency items stay “unknown”.
        </div>
      ) : null}
      <p className="subtle">{deps.lockfiles.length} lockfiles read.</p>
    </section>
  );
}

import { loadScanView } from "../load";

export const dynamic = "force-dynamic";

export default async function ScanToolsPage({ params }: { params: Promise<{ id: string }> }) {
  const { report } = await loadScanView(params);
  if (!report) return null;
  return (
    <section aria-labelledby="tools-heading">
      <h2 id="tools-heading">Tools</h2>
      {report.tools.length === 0 ? <p className="subtle">No tools were read from this connector.</p> : null}
      <ul>
        {report.tools.map((t) => (
          <li key={`${t.location.path}:${t.location.line}:${t.name}`} className="mono">
            {t.name} ({t.location.path}:{t.location.line})
          </li>
        ))}
      </ul>
    </section>
  );
}

import { isSettled } from "@/lib/review/model";
import type { ReportFinding } from "@/lib/core/report";
import { Time } from "../../../ui/time";
import { ReviewItemCard } from "../item-card";
import { loadReviewView, personLabel } from "../load";

export const dynamic = "force-dynamic";

/** Every section on one page, without forms: for printing or saving as PDF. */
export default async function PrintReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { review, template, items, report, settlements, comments, people, signOff, now, proposals } = await loadReviewView(params);
  const byFingerprint = new Map<string, ReportFinding>(report.findings.map((f) => [f.fingerprint, f]));
  return (
    <article>
      <p className="subtle">
        Printed <Time value={now} />. {items.filter((i) => isSettled(settlements.get(i.itemId)!)).length} of {items.length} items settled.
        {signOff ? ` Signed off by ${personLabel(people, signOff.signedBy)} at ${signOff.commit.slice(0, 7)}.` : " Not signed off."}
      </p>
      {template.sections.map((section) => (
        <section key={section.id} className="section">
          <header>
            <h2>{section.title}</h2>
          </header>
          {template.items
            .filter((d) => d.section === section.id)
            .map((def) => {
              const item = items.find((i) => i.itemId === def.id)!;
              return (
                <ReviewItemCard
                  key={def.id}
                  reviewId={review.id}
                  def={def}
                  item={item}
                  settlement={settlements.get(def.id)!}
                  findings={item.findings.map((f) => byFingerprint.get(f.fingerprint)).filter((f): f is ReportFinding => f !== undefined)}
                  comments={comments.filter((c) => c.itemId === def.id)}
                  people={people}
                  editable={false}
                  webUrl={report.source.webUrl}
                  commit={report.source.commit}
                  proposals={proposals.filter((p) => p.itemId === def.id)}
                />
              );
            })}
        </section>
      ))}
    </article>
  );
}

"use client";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";

export interface Step {
  href: string;
  label: string;
  detail?: string;
  complete?: boolean;
}

/** Steps of a guided walk; the step matching the current URL (path and query) is marked current. */
export function Stepper({ steps, label }: { steps: Step[]; label: string }) {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const here = search ? `${pathname}?${search}` : pathname;
  return (
    <nav className="stepper" aria-label={label}>
      <ol>
        {steps.map((s, i) => {
          const current = here === s.href || (i === 0 && here === s.href.split("?")[0]);
          return (
            <li key={s.href}>
              <Link href={s.href} aria-current={current ? "step" : undefined} data-complete={s.complete ? "true" : undefined}>
                {s.label} {s.detail ? <span className="subtle">{s.detail}</span> : null}
              </Link>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

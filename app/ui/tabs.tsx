"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

/** Tab links; the one matching the current path is marked for assistive tech and styling. */
export function Tabs({ tabs, label }: { tabs: Array<{ href: string; label: string }>; label: string }) {
  const pathname = usePathname();
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((t) => (
        <Link key={t.href} href={t.href} aria-current={pathname === t.href ? "page" : undefined}>
          {t.label}
        </Link>
      ))}
    </nav>
  );
}

import type { ReactNode } from "react";
import { requireAdmin } from "../_server/session";
import { Tabs } from "../ui/tabs";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdmin();
  return (
    <>
      <h1>Administration</h1>
      <Tabs
        label="Administration"
        tabs={[
          { href: "/admin", label: "Users" },
          { href: "/admin/teams", label: "Teams" },
          { href: "/admin/security", label: "Security events" },
          { href: "/admin/alerts", label: "Alerts" },
          { href: "/admin/dependencies", label: "Dependencies" },
          { href: "/admin/settings", label: "Settings" },
        ]}
      />
      {children}
    </>
  );
}

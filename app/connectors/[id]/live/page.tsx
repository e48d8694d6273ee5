import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getConnector } from "@/db/queries/connectors";
import { idParam } from "../../../ui/params";
import { LiveForm } from "./live-form";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Live tools" };

export default async function LiveToolsPage({ params }: { params: Promise<{ id: string }> }) {
  const connector = getConnector(await idParam(params));
  if (!connector) notFound();
  return (
    <>
      <div className="page-head">
        <div>
          <p className="subtle">
            <Link href={`/connectors/${connector.id}`}>{connector.name}</Link> › Live tools
          </p>
          <h1>Compare with a running server</h1>
          <p className="subtle">
            Connects to the server you name, lists the tools and resources it serves, and compares them with the tools read from the code in
            the latest scan.
          </p>
        </div>
      </div>
      <LiveForm connectorId={connector.id} />
    </>
  );
}

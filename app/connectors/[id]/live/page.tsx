import type { Metadata } from "next";
import Link from "next/link";
import { requireConnector } from "../../../_server/session";
import { idParam } from "../../../ui/params";
import { LiveForm } from "./live-form";
import { Name } from "../../../ui/name";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Live tools" };

export default async function LiveToolsPage({ params }: { params: Promise<{ id: string }> }) {
  // The app contacts the URL a user types: only people who may scan the connector get to do that.
  const { connector } = await requireConnector(await idParam(params), "connector.scan");
  return (
    <>
      <div className="page-head">
        <div>
          <p className="subtle">
            <Link href={`/connectors/${connector.id}`}>
              <Name value={connector.name} />
            </Link>{" "}
            › Live tools
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

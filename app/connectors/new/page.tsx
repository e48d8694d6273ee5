import type { Metadata } from "next";
import { env } from "@/lib/env";
import { githubWebUrl } from "@/lib/github/client";
import { RegisterForm } from "./register-form";

export const metadata: Metadata = { title: "Register a connector" };
export const dynamic = "force-dynamic";

export default function NewConnectorPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Register a connector</h1>
          <p className="subtle">Launch Review reads the connector&apos;s files and never runs, installs or imports them.</p>
        </div>
      </div>
      <div className="panel">
        <RegisterForm localRoot={env().localRoot} githubHost={new URL(githubWebUrl(env().GITHUB_API_URL)).host} />
      </div>
    </>
  );
}

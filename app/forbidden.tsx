import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="panel empty">
      <h1>Not allowed</h1>
      <p>Your role doesn&apos;t allow this. Ask a security lead or an administrator of your team if you need it.</p>
      <p>
        <Link href="/">Back to your connectors</Link>
      </p>
    </div>
  );
}

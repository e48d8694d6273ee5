import Link from "next/link";

export default function NotFound() {
  return (
    <div className="panel empty">
      <h1>Not found</h1>
      <p>There is nothing here, or it belongs to a team you are not in.</p>
      <p>
        <Link href="/">Back to your connectors</Link>
      </p>
    </div>
  );
}

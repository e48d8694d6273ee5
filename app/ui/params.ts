import { notFound } from "next/navigation";

/** A positive integer id from a route segment, or a 404. */
export async function idParam(params: Promise<{ id: string }>): Promise<number> {
  const raw = (await params).id;
  const id = /^[0-9]{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  return id;
}

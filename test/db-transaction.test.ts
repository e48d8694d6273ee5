// inTransaction: async bodies on SQLite, all-or-nothing, one at a time, and loud when a body yields to the event loop;
// prepareInsert: statements built before the write lock is taken.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type Db } from "@/db/client";
import { inTransaction, prepareInsert, TransactionYieldedError } from "@/db/transaction";
import { teams } from "@/db/schema";
import { recordInserts } from "./support/db";

let db: Db;
beforeEach(() => {
  db = createTestDb();
});
afterEach(() => {
  db.$client.close();
});

const teamNames = async () => (await db.select({ name: teams.name }).from(teams).orderBy(teams.name)).map((t) => t.name);

describe("inTransaction", () => {
  it("commits what the body wrote and returns its result", async () => {
    const id = await inTransaction(db, async (tx) => {
      const [row] = await tx.insert(teams).values({ name: "Alpha" }).returning();
      await tx.insert(teams).values({ name: "Beta" });
      return row!.id;
    });
    expect(id).toBeGreaterThan(0);
    expect(await teamNames()).toEqual(["Alpha", "Beta"]);
    expect(db.$client.inTransaction).toBe(false);
  });

  it("rolls back everything when the body throws, and rethrows", async () => {
    const failing = inTransaction(db, async (tx) => {
      await tx.insert(teams).values({ name: "Gone" });
      throw new Error("boom");
    });
    await expect(failing).rejects.toThrow("boom");
    expect(await teamNames()).toEqual([]);
    expect(db.$client.inTransaction).toBe(false);
  });

  it("rolls back and says why when the body waits on a timer between BEGIN and COMMIT", async () => {
    const yielding = inTransaction(db, async (tx) => {
      await tx.insert(teams).values({ name: "Slow" });
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
    await expect(yielding).rejects.toBeInstanceOf(TransactionYieldedError);
    expect(await teamNames()).toEqual([]);
  });

  it("rolls back a body that waits on real I/O", async () => {
    const { readFile } = await import("node:fs/promises");
    const yielding = inTransaction(db, async (tx) => {
      await tx.insert(teams).values({ name: "Reader" });
      await readFile(import.meta.filename);
    });
    await expect(yielding).rejects.toThrow(/waited on the event loop/);
    expect(await teamNames()).toEqual([]);
  });

  it("runs concurrent transactions one after the other, never one inside the other", async () => {
    const order: string[] = [];
    const run = (name: string, fail: boolean) =>
      inTransaction(db, async (tx) => {
        order.push(`begin ${name}`);
        await tx.insert(teams).values({ name });
        order.push(`end ${name}`);
        if (fail) throw new Error(`${name} failed`);
      });
    const results = await Promise.allSettled([run("One", false), run("Two", true), run("Three", false)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(order).toEqual(["begin One", "end One", "begin Two", "end Two", "begin Three", "end Three"]);
    expect(await teamNames()).toEqual(["One", "Three"]);
  });

  it("runs a nested call in a savepoint: its failure undoes its own writes only", async () => {
    await inTransaction(db, async (tx) => {
      await tx.insert(teams).values({ name: "Outer" });
      await inTransaction(tx, async (inner) => {
        await inner.insert(teams).values({ name: "Kept" });
      });
      await expect(
        inTransaction(tx, async (inner) => {
          await inner.insert(teams).values({ name: "Undone" });
          throw new Error("inner failed");
        }),
      ).rejects.toThrow("inner failed");
    });
    expect(await teamNames()).toEqual(["Kept", "Outer"]);
  });

  it("a nested call's writes go when the outer transaction rolls back", async () => {
    await expect(
      inTransaction(db, async (tx) => {
        await inTransaction(tx, async (inner) => {
          await inner.insert(teams).values({ name: "Inner" });
        });
        throw new Error("outer failed");
      }),
    ).rejects.toThrow("outer failed");
    expect(await teamNames()).toEqual([]);
  });

  it("starts its own transaction when called from a promise a finished body left behind", async () => {
    let later: Promise<void> | undefined;
    await inTransaction(db, async () => {
      later = Promise.resolve().then(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        await inTransaction(db, async (tx) => {
          await tx.insert(teams).values({ name: "Afterwards" });
        });
      });
    });
    await later;
    expect(await teamNames()).toEqual(["Afterwards"]);
    expect(db.$client.inTransaction).toBe(false);
  });
});

describe("prepareInsert", () => {
  it("builds the statements before the transaction, so inside it they only run", async () => {
    const built = recordInserts(db);
    const names = Array.from({ length: 450 }, (_, i) => ({ name: `Team ${String(i).padStart(3, "0")}` }));
    const ready = prepareInsert(db, teams, names);
    await inTransaction(db, async (tx) => {
      await ready(tx);
    });
    // 450 rows in batches of 200: three statements, none of them built while the write lock was held.
    expect(built).toEqual([
      { table: "teams", locked: false },
      { table: "teams", locked: false },
      { table: "teams", locked: false },
    ]);
    expect(await teamNames()).toEqual(names.map((n) => n.name));
  });

  it("writes nothing when the transaction it ran in rolls back", async () => {
    const ready = prepareInsert(db, teams, [{ name: "Rolled back" }]);
    await expect(
      inTransaction(db, async (tx) => {
        await ready(tx);
        throw new Error("later step failed");
      }),
    ).rejects.toThrow("later step failed");
    expect(await teamNames()).toEqual([]);
  });

  it("refuses to run in a transaction on another connection, where it would write outside it", async () => {
    const other = createTestDb();
    try {
      const ready = prepareInsert(db, teams, [{ name: "Elsewhere" }]);
      await expect(inTransaction(other, async (tx) => ready(tx))).rejects.toThrow(/another connection/);
      expect(await teamNames()).toEqual([]);
    } finally {
      other.$client.close();
    }
  });
});

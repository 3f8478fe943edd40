// The client's transactions are isolated on both databases: a statement issued by other code while an
// interactive transaction is open neither reads the transaction's uncommitted rows nor is rolled back with it.
// On SQLite the adapter shares one connection between the two, which made both happen until server/db.ts
// ordered the connection's work (remove `serialised(...)` there and this test fails).
import { expect, it } from "vitest";
import { useTestDb } from "./test/test-db";

const t = useTestDb();
const user = (email: string) => ({ email, name: email, role: "labeller", passwordHash: "x" });

it("a statement outside an open transaction neither sees its uncommitted rows nor is rolled back with it", async () => {
  const db = t.db();
  let finish!: () => void;
  const gate = new Promise<void>((resolve) => (finish = resolve));
  let inserted!: () => void;
  const insertedInside = new Promise<void>((resolve) => (inserted = resolve));
  const transaction = db
    .$transaction(async (tx) => {
      await tx.user.create({ data: user("inside@tx.test") });
      inserted();
      await gate;
      throw new Error("the transaction fails");
    })
    .catch((e: Error) => e.message);
  await insertedInside;
  // Other requests meanwhile, a read and a write (`.then` sends them now: Prisma queries are lazy).
  const read = db.user.findMany({ where: { email: "inside@tx.test" } }).then((rows) => rows.length);
  const write = db.user.create({ data: user("outside@tx.test") }).then(() => "written");
  await new Promise((resolve) => setTimeout(resolve, 100));
  finish();
  expect(await transaction).toBe("the transaction fails");
  expect(await read).toBe(0);
  expect(await write).toBe("written");
  const emails = (await db.user.findMany({ select: { email: true }, orderBy: { email: "asc" } })).map((u) => u.email);
  expect(emails).toEqual(["outside@tx.test"]);
});

it("transactions and lone statements all complete when many run at once", async () => {
  const db = t.db();
  const work: Promise<unknown>[] = Array.from({ length: 40 }, (_, i) =>
    i % 2 === 0
      ? db.$transaction(async (tx) => {
          await tx.user.create({ data: user(`t${i}@tx.test`) });
          await new Promise((resolve) => setTimeout(resolve, 2));
          await tx.user.update({ where: { email: `t${i}@tx.test` }, data: { name: "done" } });
        })
      : db.user.create({ data: user(`s${i}@tx.test`) }).then(() => undefined),
  );
  await Promise.all(work);
  expect(
    await db.user.count({
      where: { email: { endsWith: "@tx.test" }, OR: [{ name: "done" }, { email: { startsWith: "s" } }] },
    }),
  ).toBe(40);
});

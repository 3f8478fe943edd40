// The comparisons migration on a filled database: every prompt's candidates, leases, judgments and
// skips move onto its round-0 comparison, judgment counts carry over, and prompts of an unfinished
// import stay hidden ("pending"). Runs the committed SQL through the driver, on this run's database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { testPgAdminUrl, withDatabase } from "../server/test/migrations";

const provider = inject("dbProvider");
const MIGRATION = "20261203130000_comparisons";
const dir = path.join(import.meta.dirname, provider, "migrations");
const names = fs
  .readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const sqlOf = (name: string) => fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");

type TConn = {
  exec(sql: string): Promise<void>;
  rows(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
};

async function connect(): Promise<TConn> {
  if (provider === "sqlite") {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-mig-"));
    const db = new Database(path.join(tmp, "m.db"));
    return {
      exec: (sql) => {
        db.exec(sql);
        return Promise.resolve();
      },
      rows: (sql) => Promise.resolve(db.prepare(sql).all() as Record<string, unknown>[]),
      close: () => {
        db.close();
        fs.rmSync(tmp, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  const name = `prefloop_t_${inject("runId")}_mig`;
  const admin = new pg.Client({ connectionString: testPgAdminUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const c = new pg.Client({ connectionString: withDatabase(testPgAdminUrl(), name) });
  await c.connect();
  return {
    exec: async (sql) => void (await c.query(sql)),
    rows: async (sql) => (await c.query(sql)).rows as Record<string, unknown>[],
    close: () => c.end(),
  };
}

let conn: TConn | undefined;
afterAll(() => conn?.close());

describe(`comparisons migration (${provider})`, () => {
  it("moves a filled database onto round-0 comparisons without losing a row", async () => {
    conn = await connect();
    const before = names.filter((n) => n < MIGRATION);
    expect(names).toContain(MIGRATION);
    for (const n of before) await conn.exec(sqlOf(n));
    const now = "CURRENT_TIMESTAMP";
    await conn.exec(`
      INSERT INTO "Project" ("id","slug","name","updatedAt","overlap") VALUES ('pj','pj','P',${now},2);
      INSERT INTO "User" ("id","email","passwordHash","role","updatedAt") VALUES ('u1','a@x','h','labeller',${now}), ('u2','b@x','h','labeller',${now});
      INSERT INTO "ImportBatch" ("id","projectId","filename","format","status") VALUES ('done1','pj','a.jsonl','auto','done'), ('run1','pj','b.jsonl','auto','running');
      INSERT INTO "Prompt" ("id","projectId","seq","messages","contentHash","importId","isComplete") VALUES
        ('p1','pj',1,'[]','h1',NULL,FALSE), ('p2','pj',2,'[]','h2','done1',TRUE), ('p3','pj',3,'[]','h3','run1',FALSE);
      INSERT INTO "Candidate" ("id","promptId","position","text","source") VALUES
        ('c11','p1',0,'a','imported'), ('c12','p1',1,'b','imported'), ('c21','p2',0,'a','imported'), ('c22','p2',1,'b','imported'),
        ('c31','p3',0,'a','imported'), ('c32','p3',1,'b','imported');
      INSERT INTO "Assignment" ("id","projectId","promptId","userId","slot","status","shownOrder","guidelineVersion","expiresAt") VALUES
        ('a1','pj','p1','u1',0,'submitted','["c11","c12"]',1,${now}), ('a2','pj','p1','u2',1,'active','["c12","c11"]',1,${now}),
        ('a3','pj','p2','u1',0,'submitted','["c21","c22"]',1,${now}), ('a4','pj','p2','u2',1,'submitted','["c21","c22"]',1,${now});
      INSERT INTO "Judgment" ("id","projectId","promptId","userId","assignmentId","tiers","flags","shownOrder","totalMs","activeMs","guidelineVersion") VALUES
        ('j1','pj','p1','u1','a1','[["c11"],["c12"]]','{}','["c11","c12"]',1,1,1),
        ('j3','pj','p2','u1','a3','[["c21"],["c22"]]','{}','["c21","c22"]',1,1,1),
        ('j4','pj','p2','u2','a4','[["c22"],["c21"]]','{}','["c21","c22"]',1,1,1);
      INSERT INTO "Skip" ("id","projectId","promptId","userId","reason") VALUES ('s1','pj','p3','u1','unclear_prompt');
    `);
    await conn.exec(sqlOf(MIGRATION));
    for (const n of names.filter((x) => x > MIGRATION)) await conn.exec(sqlOf(n));

    const comparisons = await conn.rows(
      `SELECT "id","promptId","promptSeq","round","status","judgmentCount" FROM "Comparison" ORDER BY "promptSeq"`,
    );
    expect(comparisons.map((c) => ({ ...c, judgmentCount: Number(c.judgmentCount) }))).toEqual([
      { id: "p1", promptId: "p1", promptSeq: 1, round: 0, status: "open", judgmentCount: 1 },
      { id: "p2", promptId: "p2", promptSeq: 2, round: 0, status: "open", judgmentCount: 2 },
      { id: "p3", promptId: "p3", promptSeq: 3, round: 0, status: "pending", judgmentCount: 0 },
    ]);
    for (const table of ["Candidate", "Assignment", "Judgment", "Skip"]) {
      const rows = await conn.rows(`SELECT "promptId","comparisonId" FROM "${table}"`);
      expect(rows.length, table).toBeGreaterThan(0);
      for (const r of rows) expect(r.comparisonId, table).toBe(r.promptId);
    }
    expect((await conn.rows(`SELECT "id" FROM "Candidate"`)).length).toBe(6);
    expect((await conn.rows(`SELECT "id" FROM "Judgment"`)).length).toBe(3);
    expect((await conn.rows(`SELECT "id" FROM "Assignment"`)).length).toBe(4);
  });
});

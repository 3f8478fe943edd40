// The Node.js version check of the entry points against package.json's engines range.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { engineRange, nodeVersionProblem, satisfiesNodeRange } from "./node-version";

const RANGE = ">=20.19 <21 || >=22.12";

describe("satisfiesNodeRange", () => {
  it("accepts 20.19+ on the 20 line and 22.12 onwards, and nothing else", () => {
    const yes = ["v20.19.0", "v20.19.5", "v20.20.1", "v22.12.0", "v22.20.3", "v23.0.0", "v24.4.1"];
    const no = ["v18.20.4", "v20.0.0", "v20.18.3", "v21.0.0", "v21.7.3", "v22.0.0", "v22.11.9"];
    expect(yes.filter((v) => !satisfiesNodeRange(v, RANGE))).toEqual([]);
    expect(no.filter((v) => satisfiesNodeRange(v, RANGE))).toEqual([]);
  });

  it("reads the other comparators and refuses a range it does not understand", () => {
    expect(satisfiesNodeRange("v20.1.0", "20.1.0")).toBe(true);
    expect(satisfiesNodeRange("v20.1.0", ">20.1")).toBe(false);
    expect(satisfiesNodeRange("v20.1.0", "<=20.1")).toBe(true);
    expect(() => satisfiesNodeRange("v20.1.0", "^20.1")).toThrow('"^20.1" in the range "^20.1"');
  });

  it("says in one line what is needed and what is running", () => {
    expect(nodeVersionProblem("v22.12.0", RANGE)).toBeNull();
    expect(nodeVersionProblem("v21.1.0", RANGE)).toBe(
      `prefloop needs Node.js ${RANGE} (package.json "engines"); this is Node.js v21.1.0. Install a supported version and try again.`,
    );
  });

  it("checks against package.json's range, which the running Node satisfies", () => {
    expect(engineRange()).toBe(RANGE);
    expect(nodeVersionProblem(process.version, engineRange())).toBeNull();
  });

  it("is what the worker entry runs first: a faked old Node stops it with that line", () => {
    // process.version is read-only for code, but a preload can redefine it before the entry's imports run.
    const fake = "Object.defineProperty(process, 'version', { value: 'v21.0.0' });";
    const r = spawnSync(
      process.execPath,
      ["--import", `data:text/javascript,${encodeURIComponent(fake)}`, "--import", "tsx", "workers/index.ts"],
      {
        cwd: path.resolve(import.meta.dirname, "../.."),
        encoding: "utf8",
        env: { ...process.env, DATABASE_URL: "file:/nonexistent/never-opened.db" },
        timeout: 60_000,
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      `prefloop needs Node.js ${RANGE} (package.json "engines"); this is Node.js v21.0.0. Install a supported version and try again.`,
    );
  });
});

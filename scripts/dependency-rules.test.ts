// The import rules must be able to fire: every rule has a probe in scripts/boundary-probes/ that violates it and
// nothing else, and the real tree (what `npm run lint:deps` cruises) is clean and still sees the packages the
// rules are about.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const PROBES = path.join(ROOT, "scripts/boundary-probes");
const CONFIG = path.join(ROOT, ".dependency-cruiser.cjs");
const BIN = path.join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");

type TDependency = { resolved: string; coreModule: boolean; rules?: { name: string }[] };
type TCruise = {
  modules: { source: string; dependencies: TDependency[] }[];
  summary: { violations: { from: string; to: string; rule: { name: string } }[] };
};

function cruise(cwd: string, targets: string[]): TCruise {
  const run = spawnSync(process.execPath, [BIN, ...targets, "--config", CONFIG, "--output-type", "json"], {
    cwd,
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
  });
  if (!run.stdout) throw new Error(`dependency-cruiser failed in ${cwd}: ${run.stderr}`);
  return JSON.parse(run.stdout) as TCruise;
}

const ruleNames = (createRequire(import.meta.url)(CONFIG) as { forbidden: { name: string }[] }).forbidden.map(
  (r) => r.name,
);

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(full) : e.name.endsWith(".ts") ? [full] : [];
  });
}

/** Each probe file names, on its first line, the one rule it violates (or none: a target or an allowed import). */
const probes = listFiles(PROBES).map((file) => {
  const header = /^\/\/ probe: ([a-z0-9-]+)/.exec(fs.readFileSync(file, "utf8"));
  if (!header) throw new Error(`${file}: the first line must be "// probe: <rule name>" or "// probe: none"`);
  return {
    source: path.relative(PROBES, file).split(path.sep).join("/"),
    rule: header[1] === "none" ? null : header[1],
  };
});

describe("import rules", () => {
  const probeGraph = cruise(PROBES, ["app", "server", "workers", "e2e"]);

  it("has a probe for every rule, and every probe names a rule that exists", () => {
    const probed = new Set(probes.map((p) => p.rule).filter((r) => r !== null));
    expect([...probed].sort()).toEqual([...ruleNames].sort());
  });

  it.each(probes)("probe $source violates exactly $rule", ({ source, rule }) => {
    const module = probeGraph.modules.find((m) => m.source === source);
    if (!module) throw new Error(`${source} is not in the probe graph`);
    const imports = module.dependencies.filter((d) => !d.coreModule);
    if (rule) expect(imports.length, `${source} imports nothing`).toBeGreaterThan(0);
    // Every import of a probe trips its rule and no other; an allowed import trips nothing.
    for (const dep of imports) {
      expect(
        (dep.rules ?? []).map((r) => r.name),
        `${source} → ${dep.resolved}`,
      ).toEqual(rule ? [rule] : []);
    }
  });

  it("finds the real tree clean, with the packages and clients the rules guard still in the graph", () => {
    const script = (
      JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
    ).scripts["lint:deps"];
    const targets =
      script
        ?.split(" ")
        .slice(1)
        .filter((t) => !t.startsWith("-") && !t.endsWith(".cjs")) ?? [];
    expect(targets.length).toBeGreaterThan(0);
    const graph = cruise(ROOT, targets);
    expect(graph.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
    // An `exclude` of node_modules or generated/ would drop these edges and silently disarm the rules on them.
    const edges = graph.modules.flatMap((m) => m.dependencies.map((d) => `${m.source} → ${d.resolved}`));
    for (const edge of [
      /^workers\/ml\/runtime\/session\.ts → (.*\/)?node_modules\/onnxruntime-node\//,
      /^workers\/ml\/onnx\/schema\.ts → (.*\/)?node_modules\/protobufjs\//,
      /^server\/db\.ts → generated\/sqlite\/client/,
      /^server\/db\.ts → (.*\/)?node_modules\/@prisma\/adapter-pg\//,
      /^server\/test\/test-db\.ts → (.*\/)?node_modules\/pg\//,
    ]) {
      expect(
        edges.some((e) => edge.test(e)),
        String(edge),
      ).toBe(true);
    }
  });
});

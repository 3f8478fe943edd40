// `--oracle <name | path/to/module.js>`: a built-in panel by name, or any module exporting
// `rank(prompt, candidates) => tiers of candidate indices | null` (default export or named `rank`).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { validateTiers, type TOracle, type TOraclePrompt, type TRankFn } from "./oracle";
import { BUILTIN_ORACLES, type TBuiltinOracle } from "./panels";

/** An oracle whose every ranking is checked against its candidates (a plug-in's mistakes get a clear error). */
export function checkedOracle(o: TOracle): TOracle {
  return {
    name: o.name,
    rank: async (prompt: TOraclePrompt, candidates: readonly string[]) =>
      validateTiers(await o.rank(prompt, candidates), candidates.length, `oracle ${o.name} on prompt ${prompt.id}`),
  };
}

export async function loadOracle(spec: string): Promise<TOracle> {
  if (Object.hasOwn(BUILTIN_ORACLES, spec)) return checkedOracle(BUILTIN_ORACLES[spec as TBuiltinOracle]());
  const file = path.resolve(spec);
  if (!fs.existsSync(file))
    throw new Error(
      `--oracle ${spec}: not a built-in oracle (${Object.keys(BUILTIN_ORACLES).join(", ")}) nor an existing module file`,
    );
  let mod: { rank?: unknown; default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as typeof mod;
  } catch (e) {
    throw new Error(`--oracle ${spec}: the module did not load: ${e instanceof Error ? e.message : String(e)}`);
  }
  const fromDefault = mod.default as { rank?: unknown } | ((...a: unknown[]) => unknown) | undefined;
  const rank =
    typeof mod.rank === "function" ? mod.rank : typeof fromDefault === "function" ? fromDefault : fromDefault?.rank;
  if (typeof rank !== "function")
    throw new Error(
      `--oracle ${spec}: the module exports no rank(prompt, candidates) function (named export "rank" or default)`,
    );
  return checkedOracle({ name: path.basename(file), rank: rank as TRankFn });
}

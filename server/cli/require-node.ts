// Imported first by `npm start` (server/cli/start.ts) and the worker (workers/index.ts): stops at once, with
// one line on stderr, when the running Node.js is outside package.json's engines range.
import { engineRange, nodeVersionProblem } from "./node-version";

const problem = nodeVersionProblem(process.version, engineRange());
if (problem) {
  console.error(problem);
  process.exit(1);
}

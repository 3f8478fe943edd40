// Import boundaries (ARCHITECTURE.md explains them); `npm test` fails on any violation.
// Every rule has a probe in scripts/boundary-probes/ that must trip it (scripts/dependency-rules.test.ts),
// so a rule that can no longer fire fails the suite instead of passing silently.
const path = require("node:path");

// npm packages are matched on their resolved path, which is `node_modules/<pkg>/...` from the repository root
// and `../../node_modules/<pkg>/...` from the probe tree.
const npm = (...pkgs) => `(^|/)node_modules/(${pkgs.join("|")})/`;
const TEST = "\\.test\\.tsx?$";
// Helpers that only tests may use: the op harness, the op and gradient cases, the golden-fixture loader.
const TEST_SUPPORT = [
  "^workers/ml/testing/",
  "^workers/ml/(ops|autodiff)/cases/",
  "^workers/ml/autodiff/testing/",
  "^workers/ml/model/test-fixtures\\.ts$",
];
const NOT_TESTS = [TEST, ...TEST_SUPPORT];
const DATABASE = ["^generated/", npm("@prisma/[^/]+", "pg", "better-sqlite3")];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Import cycles make layers meaningless.",
      from: {},
      to: { circular: true },
    },
    {
      name: "pages-use-server-through-trpc",
      severity: "error",
      comment:
        "Pages and components reach the server through the tRPC client; they may import server types, the zod-only domain module, and (server components) the page viewer.",
      from: { path: "^app/", pathNot: "^app/api/" },
      to: {
        path: "^server/",
        pathNot: ["^server/domain\\.ts$", "^server/auth/page-viewer\\.ts$"],
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "web-imports-only-engine-formats",
      severity: "error",
      comment:
        "onnxruntime-node and model code must never reach the Next bundle: app and server may import workers/ml/formats (pure zod schemas shared with the engine) and nothing else of workers/.",
      from: { path: "^(app|server)/" },
      to: { path: "^workers/", pathNot: "^workers/ml/formats/" },
    },
    {
      name: "engine-formats-are-pure",
      severity: "error",
      comment: "workers/ml/formats is imported by the web app: it may import zod and itself only.",
      from: { path: "^workers/ml/formats/", pathNot: TEST },
      to: { pathNot: ["^workers/ml/formats/", npm("zod")] },
    },
    {
      name: "ml-is-a-pure-library",
      severity: "error",
      comment: "workers/ml imports no app, server, Prisma or database code.",
      from: { path: "^workers/ml/" },
      to: { path: ["^app/", "^server/", "^prisma/", ...DATABASE] },
    },
    {
      name: "one-onnxruntime-importer",
      severity: "error",
      comment: "Only workers/ml/runtime talks to onnxruntime-node.",
      from: { pathNot: "^workers/ml/runtime/" },
      to: { path: npm("onnxruntime-node") },
    },
    {
      name: "one-protobuf-importer",
      severity: "error",
      comment: "Only workers/ml/onnx touches protobuf.",
      from: { pathNot: "^workers/ml/onnx/" },
      to: { path: npm("protobufjs") },
    },
    {
      name: "e2e-is-black-box",
      severity: "error",
      comment: "Browser tests drive the product from outside.",
      from: { path: "^e2e/" },
      to: { path: "^(app|server|workers)/" },
    },
    {
      name: "services-not-routers",
      severity: "error",
      comment: "Services never depend on the transport layer.",
      from: { path: "^server/services/" },
      to: { path: "^server/api/" },
    },
    {
      name: "services-own-the-database",
      severity: "error",
      comment:
        "Only services query the database. auth (sessions, sign-in attempts) and jobs (the job table) own their tables; process entry points (server/cli, workers/index.ts, the benchmark commands in scripts/bench) import server/db.ts to open or close the client; the test harness and tests set up databases.",
      from: {
        pathNot: [
          "^server/db\\.ts$",
          "^server/services/",
          "^server/auth/",
          "^server/jobs/",
          "^server/cli/",
          "^workers/index\\.ts$",
          "^scripts/bench/",
          "^server/test/",
          TEST,
        ],
      },
      to: { path: "^server/db\\.ts$" },
    },
    {
      name: "database-clients-only-in-db",
      severity: "error",
      comment:
        "The Prisma clients, adapters and drivers are built in server/db.ts only (services may import Prisma types); the test harness, prisma/ tooling and scripts/ talk to the databases directly to create and migrate them.",
      from: { pathNot: ["^server/db\\.ts$", "^server/test/", "^prisma/", "^scripts/", TEST] },
      to: { path: DATABASE, dependencyTypesNot: ["type-only"] },
    },
    {
      name: "ml-reference-only-from-tests",
      severity: "error",
      comment:
        "The float64 reference implementation checks the engine; tests and the test helpers may use it, the engine never runs on it.",
      from: { pathNot: ["^workers/ml/reference/", ...NOT_TESTS] },
      to: { path: "^workers/ml/reference/" },
    },
    {
      name: "ml-test-support-only-from-tests",
      severity: "error",
      comment: "Test helpers (op harness, cases, fixtures) never become part of the engine.",
      from: { pathNot: NOT_TESTS },
      to: { path: TEST_SUPPORT },
    },
    {
      name: "ml-ir-imports-no-engine",
      severity: "error",
      comment: "The graph IR is the engine's base layer (ir < ops < autodiff < model < train).",
      from: { path: "^workers/ml/ir/", pathNot: NOT_TESTS },
      to: { path: "^workers/ml/", pathNot: "^workers/ml/ir/" },
    },
    {
      name: "ml-ops-import-only-ir",
      severity: "error",
      comment: "Op builders and their gradient rules depend on the IR alone.",
      from: { path: "^workers/ml/ops/", pathNot: NOT_TESTS },
      to: { path: "^workers/ml/", pathNot: "^workers/ml/(ir|ops)/" },
    },
    {
      name: "ml-autodiff-imports-only-ops-and-ir",
      severity: "error",
      comment: "The backward pass is built from op builders over the IR; it knows no model and no trainer.",
      from: { path: "^workers/ml/autodiff/", pathNot: NOT_TESTS },
      to: { path: "^workers/ml/", pathNot: "^workers/ml/(ir|ops|autodiff)/" },
    },
    {
      name: "ml-model-never-imports-train",
      severity: "error",
      comment: "The model definition serves inference and training alike; training builds on it, never the reverse.",
      from: { path: "^workers/ml/model/", pathNot: NOT_TESTS },
      to: { path: "^workers/ml/(train|autodiff)/" },
    },
    {
      name: "ml-runtime-imports-only-onnxruntime",
      severity: "error",
      comment: "The runtime wraps onnxruntime-node over IR tensors: no other package, no other engine layer.",
      from: { path: "^workers/ml/runtime/", pathNot: NOT_TESTS },
      to: {
        path: ["^workers/ml/", "(^|/)node_modules/"],
        pathNot: ["^workers/ml/(ir|runtime)/", npm("onnxruntime-node")],
      },
    },
    {
      name: "ml-onnx-imports-only-protobuf",
      severity: "error",
      comment: "ONNX serialization is the IR written with protobufjs: no other package, no other engine layer.",
      from: { path: "^workers/ml/onnx/", pathNot: NOT_TESTS },
      to: { path: ["^workers/ml/", "(^|/)node_modules/"], pathNot: ["^workers/ml/(ir|onnx)/", npm("protobufjs")] },
    },
  ],
  options: {
    // npm packages and the generated Prisma clients stay in the graph (rules match them) but are not cruised.
    doNotFollow: { path: ["(^|/)node_modules/", "^generated/"] },
    exclude: { path: ["^\\.next/", "^scripts/boundary-probes/"] },
    // The same resolved paths whether node_modules is a directory or a link to another checkout's.
    preserveSymlinks: true,
    tsPreCompilationDeps: true,
    // Absolute, so the probe tree (cruised from its own folder) resolves like the repository.
    tsConfig: { fileName: path.join(__dirname, "tsconfig.json") },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};

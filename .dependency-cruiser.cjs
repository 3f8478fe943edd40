// Import boundaries (ARCHITECTURE.md explains them); `npm test` fails on any violation.
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
      name: "web-never-imports-workers",
      severity: "error",
      comment: "onnxruntime-node and model code must never reach the Next bundle.",
      from: { path: "^(app|server)/" },
      to: { path: "^workers/" },
    },
    {
      name: "ml-is-a-pure-library",
      severity: "error",
      comment: "workers/ml imports no app, server, Prisma or database code.",
      from: { path: "^workers/ml/" },
      to: { path: ["^app/", "^server/", "^prisma/", "^generated/", "@prisma", "better-sqlite3", "^pg$"] },
    },
    {
      name: "one-onnxruntime-importer",
      severity: "error",
      comment: "Only workers/ml/runtime talks to onnxruntime-node.",
      from: { pathNot: "^workers/ml/runtime/" },
      to: { path: "onnxruntime-node" },
    },
    {
      name: "one-protobuf-importer",
      severity: "error",
      comment: "Only workers/ml/onnx touches protobuf.",
      from: { pathNot: "^workers/ml/onnx/" },
      to: { path: "protobufjs" },
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
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["^generated/", "^\\.next/", "^node_modules/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};

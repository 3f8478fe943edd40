-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ImportBatch" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "createdById" TEXT,
    "filename" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "phase" TEXT,
    "isAllOrNothing" BOOLEAN NOT NULL DEFAULT true,
    "spoolPath" TEXT,
    "ownsFile" BOOLEAN NOT NULL DEFAULT true,
    "jobId" TEXT,
    "linesRead" INTEGER NOT NULL DEFAULT 0,
    "promptsAdded" INTEGER NOT NULL DEFAULT 0,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "ImportBatch_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ImportBatch_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_ImportBatch" ("createdAt", "createdById", "duplicates", "errorCount", "errors", "filename", "finishedAt", "format", "id", "linesRead", "projectId", "promptsAdded", "status") SELECT "createdAt", "createdById", "duplicates", "errorCount", "errors", "filename", "finishedAt", "format", "id", "linesRead", "projectId", "promptsAdded", "status" FROM "ImportBatch";
DROP TABLE "ImportBatch";
ALTER TABLE "new_ImportBatch" RENAME TO "ImportBatch";
CREATE INDEX "ImportBatch_projectId_createdAt_idx" ON "ImportBatch"("projectId", "createdAt");
CREATE TABLE "new_Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 5,
    "runAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "concurrencyKey" TEXT,
    "lockedBy" TEXT,
    "lockedAt" DATETIME,
    "lockedUntil" DATETIME,
    "progress" JSONB,
    "result" JSONB,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);
INSERT INTO "new_Job" ("attempts", "createdAt", "error", "finishedAt", "id", "kind", "lockedAt", "lockedBy", "payload", "progress", "result", "runAt", "status", "version") SELECT "attempts", "createdAt", "error", "finishedAt", "id", "kind", "lockedAt", "lockedBy", "payload", "progress", "result", "runAt", "status", "version" FROM "Job";
DROP TABLE "Job";
ALTER TABLE "new_Job" RENAME TO "Job";
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");
CREATE INDEX "Job_kind_status_idx" ON "Job"("kind", "status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Imports that were running in a web process when this version was installed can never finish.
UPDATE "ImportBatch" SET "status" = 'failed', "errorCount" = "errorCount" + 1, "finishedAt" = CURRENT_TIMESTAMP WHERE "status" = 'running';
-- Jobs left running by a worker without leases: run them again.
UPDATE "Job" SET "status" = 'queued', "lockedBy" = NULL, "lockedAt" = NULL WHERE "status" = 'running';


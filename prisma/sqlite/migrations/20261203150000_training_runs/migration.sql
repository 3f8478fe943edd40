-- Training rounds: one row per run of a project (objective, lineage, data cut-off, metrics, evaluation), and the judgments between scheduled runs.

-- CreateTable
CREATE TABLE "TrainingRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "objective" TEXT NOT NULL DEFAULT 'dpo',
    "trigger" TEXT NOT NULL DEFAULT 'admin',
    "parentVersionId" TEXT,
    "policyVersionId" TEXT,
    "judgments" INTEGER NOT NULL DEFAULT 0,
    "pairs" INTEGER NOT NULL DEFAULT 0,
    "dataCutoff" DATETIME,
    "hyperParams" JSONB,
    "metrics" JSONB,
    "evaluation" JSONB,
    "isPromoted" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "TrainingRun_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TrainingRun_parentVersionId_fkey" FOREIGN KEY ("parentVersionId") REFERENCES "ModelVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "TrainingRun_policyVersionId_fkey" FOREIGN KEY ("policyVersionId") REFERENCES "ModelVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Project" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'active',
    "candidatesPerPrompt" INTEGER NOT NULL DEFAULT 2,
    "overlap" INTEGER NOT NULL DEFAULT 1,
    "leaseMinutes" INTEGER NOT NULL DEFAULT 30,
    "guidelineVersion" INTEGER NOT NULL DEFAULT 1,
    "policyVersionId" TEXT,
    "samplingParams" JSONB,
    "candidateBuffer" INTEGER NOT NULL DEFAULT 8,
    "currentRound" INTEGER NOT NULL DEFAULT 0,
    "trainEvery" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Project_policyVersionId_fkey" FOREIGN KEY ("policyVersionId") REFERENCES "ModelVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Project" ("candidateBuffer", "candidatesPerPrompt", "createdAt", "currentRound", "description", "guidelineVersion", "id", "leaseMinutes", "name", "overlap", "policyVersionId", "samplingParams", "slug", "status", "updatedAt") SELECT "candidateBuffer", "candidatesPerPrompt", "createdAt", "currentRound", "description", "guidelineVersion", "id", "leaseMinutes", "name", "overlap", "policyVersionId", "samplingParams", "slug", "status", "updatedAt" FROM "Project";
DROP TABLE "Project";
ALTER TABLE "new_Project" RENAME TO "Project";
CREATE UNIQUE INDEX "Project_slug_key" ON "Project"("slug");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "TrainingRun_policyVersionId_key" ON "TrainingRun"("policyVersionId");

-- CreateIndex
CREATE INDEX "TrainingRun_projectId_status_idx" ON "TrainingRun"("projectId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingRun_projectId_number_key" ON "TrainingRun"("projectId", "number");


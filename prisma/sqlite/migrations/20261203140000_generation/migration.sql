-- Candidate generation: the active policy of a project, sampling settings, buffer and current round, and why a prompt cannot be generated.

-- AlterTable
ALTER TABLE "Prompt" ADD COLUMN "generationError" TEXT;

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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Project_policyVersionId_fkey" FOREIGN KEY ("policyVersionId") REFERENCES "ModelVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Project" ("candidatesPerPrompt", "createdAt", "description", "guidelineVersion", "id", "leaseMinutes", "name", "overlap", "slug", "status", "updatedAt") SELECT "candidatesPerPrompt", "createdAt", "description", "guidelineVersion", "id", "leaseMinutes", "name", "overlap", "slug", "status", "updatedAt" FROM "Project";
DROP TABLE "Project";
ALTER TABLE "new_Project" RENAME TO "Project";
CREATE UNIQUE INDEX "Project_slug_key" ON "Project"("slug");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


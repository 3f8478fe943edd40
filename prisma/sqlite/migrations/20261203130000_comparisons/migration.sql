-- Comparisons: the unit that is ranked (a prompt with one candidate set, of a round and a policy version).
-- The existing data moves onto round 0: one comparison per prompt, with the prompt id as its id, holding the
-- candidates of the prompt, leases, judgments and skips. judgmentCount is the judgments of the prompt so far.
-- prompts of an import that has not finished stay "pending" (not handed out). Prompt.isComplete goes:
-- completion is derived (judgmentCount >= overlap).

-- CreateTable
CREATE TABLE "Comparison" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "promptId" TEXT NOT NULL,
    "promptSeq" INTEGER NOT NULL,
    "round" INTEGER NOT NULL DEFAULT 0,
    "policyVersionId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "judgmentCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Comparison_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Comparison_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Comparison_policyVersionId_fkey" FOREIGN KEY ("policyVersionId") REFERENCES "ModelVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- Fill round 0 from the existing prompts.
INSERT INTO "Comparison" ("id", "projectId", "promptId", "promptSeq", "round", "status", "judgmentCount", "createdAt")
SELECT p."id", p."projectId", p."id", p."seq", 0,
       CASE WHEN p."importId" IS NULL OR (SELECT b."status" FROM "ImportBatch" b WHERE b."id" = p."importId") = 'done' THEN 'open' ELSE 'pending' END,
       (SELECT COUNT(*) FROM "Judgment" j WHERE j."promptId" = p."id"),
       p."createdAt"
FROM "Prompt" p;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Assignment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "promptId" TEXT NOT NULL,
    "comparisonId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "shownOrder" JSONB NOT NULL,
    "guidelineVersion" INTEGER NOT NULL,
    "leasedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    CONSTRAINT "Assignment_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Assignment_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Assignment_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Assignment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Assignment" ("expiresAt", "finishedAt", "guidelineVersion", "id", "leasedAt", "projectId", "promptId", "shownOrder", "slot", "status", "userId", "comparisonId") SELECT "expiresAt", "finishedAt", "guidelineVersion", "id", "leasedAt", "projectId", "promptId", "shownOrder", "slot", "status", "userId", "promptId" FROM "Assignment";
DROP TABLE "Assignment";
ALTER TABLE "new_Assignment" RENAME TO "Assignment";
CREATE INDEX "Assignment_promptId_idx" ON "Assignment"("promptId");
CREATE INDEX "Assignment_projectId_status_expiresAt_idx" ON "Assignment"("projectId", "status", "expiresAt");
CREATE INDEX "Assignment_userId_status_idx" ON "Assignment"("userId", "status");
CREATE UNIQUE INDEX "Assignment_comparisonId_slot_key" ON "Assignment"("comparisonId", "slot");
CREATE UNIQUE INDEX "Assignment_comparisonId_userId_key" ON "Assignment"("comparisonId", "userId");
CREATE TABLE "new_Candidate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "promptId" TEXT NOT NULL,
    "comparisonId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "modelVersionId" TEXT,
    "generationParams" JSONB,
    "authorId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Candidate_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Candidate_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Candidate_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Candidate_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Candidate" ("authorId", "createdAt", "generationParams", "id", "modelVersionId", "position", "promptId", "source", "text", "comparisonId") SELECT "authorId", "createdAt", "generationParams", "id", "modelVersionId", "position", "promptId", "source", "text", "promptId" FROM "Candidate";
DROP TABLE "Candidate";
ALTER TABLE "new_Candidate" RENAME TO "Candidate";
CREATE INDEX "Candidate_promptId_idx" ON "Candidate"("promptId");
CREATE UNIQUE INDEX "Candidate_comparisonId_position_key" ON "Candidate"("comparisonId", "position");
CREATE TABLE "new_Judgment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "promptId" TEXT NOT NULL,
    "comparisonId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "assignmentId" TEXT NOT NULL,
    "tiers" JSONB NOT NULL,
    "noneAcceptable" BOOLEAN NOT NULL DEFAULT false,
    "flags" JSONB NOT NULL,
    "rationale" TEXT NOT NULL DEFAULT '',
    "shownOrder" JSONB NOT NULL,
    "totalMs" INTEGER NOT NULL,
    "activeMs" INTEGER NOT NULL,
    "guidelineVersion" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Judgment_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Judgment_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Judgment_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Judgment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Judgment_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "Assignment" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Judgment" ("activeMs", "assignmentId", "createdAt", "flags", "guidelineVersion", "id", "noneAcceptable", "projectId", "promptId", "rationale", "shownOrder", "tiers", "totalMs", "userId", "comparisonId") SELECT "activeMs", "assignmentId", "createdAt", "flags", "guidelineVersion", "id", "noneAcceptable", "projectId", "promptId", "rationale", "shownOrder", "tiers", "totalMs", "userId", "promptId" FROM "Judgment";
DROP TABLE "Judgment";
ALTER TABLE "new_Judgment" RENAME TO "Judgment";
CREATE UNIQUE INDEX "Judgment_assignmentId_key" ON "Judgment"("assignmentId");
CREATE INDEX "Judgment_promptId_idx" ON "Judgment"("promptId");
CREATE INDEX "Judgment_projectId_createdAt_idx" ON "Judgment"("projectId", "createdAt");
CREATE INDEX "Judgment_userId_createdAt_idx" ON "Judgment"("userId", "createdAt");
CREATE UNIQUE INDEX "Judgment_comparisonId_userId_key" ON "Judgment"("comparisonId", "userId");
CREATE TABLE "new_Prompt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "messages" JSONB NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'import',
    "externalId" TEXT,
    "contentHash" TEXT NOT NULL,
    "metadata" JSONB,
    "importId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Prompt_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Prompt_importId_fkey" FOREIGN KEY ("importId") REFERENCES "ImportBatch" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Prompt" ("contentHash", "createdAt", "externalId", "id", "importId", "messages", "metadata", "projectId", "seq", "source") SELECT "contentHash", "createdAt", "externalId", "id", "importId", "messages", "metadata", "projectId", "seq", "source" FROM "Prompt";
DROP TABLE "Prompt";
ALTER TABLE "new_Prompt" RENAME TO "Prompt";
CREATE UNIQUE INDEX "Prompt_projectId_seq_key" ON "Prompt"("projectId", "seq");
CREATE UNIQUE INDEX "Prompt_projectId_contentHash_key" ON "Prompt"("projectId", "contentHash");
CREATE UNIQUE INDEX "Prompt_projectId_externalId_key" ON "Prompt"("projectId", "externalId");
CREATE TABLE "new_Skip" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "promptId" TEXT NOT NULL,
    "comparisonId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "totalMs" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Skip_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Skip_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Skip_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Skip_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Skip" ("createdAt", "id", "note", "projectId", "promptId", "reason", "totalMs", "userId", "comparisonId") SELECT "createdAt", "id", "note", "projectId", "promptId", "reason", "totalMs", "userId", "promptId" FROM "Skip";
DROP TABLE "Skip";
ALTER TABLE "new_Skip" RENAME TO "Skip";
CREATE INDEX "Skip_promptId_idx" ON "Skip"("promptId");
CREATE INDEX "Skip_projectId_createdAt_idx" ON "Skip"("projectId", "createdAt");
CREATE UNIQUE INDEX "Skip_comparisonId_userId_key" ON "Skip"("comparisonId", "userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Comparison_projectId_status_judgmentCount_promptSeq_idx" ON "Comparison"("projectId", "status", "judgmentCount", "promptSeq");

-- CreateIndex
CREATE UNIQUE INDEX "Comparison_promptId_round_key" ON "Comparison"("promptId", "round");


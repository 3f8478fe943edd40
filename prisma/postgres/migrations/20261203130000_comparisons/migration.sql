-- Comparisons: the unit that is ranked (a prompt with one candidate set, of a round and a policy version).
-- The existing data moves onto round 0: one comparison per prompt, with the prompt id as its id, holding the
-- candidates of the prompt, leases, judgments and skips. judgmentCount is the judgments of the prompt so far.
-- prompts of an import that has not finished stay "pending" (not handed out). Prompt.isComplete goes:
-- completion is derived (judgmentCount >= overlap).

-- CreateTable
CREATE TABLE "Comparison" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "promptId" TEXT NOT NULL,
    "promptSeq" INTEGER NOT NULL,
    "round" INTEGER NOT NULL DEFAULT 0,
    "policyVersionId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "judgmentCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Comparison_pkey" PRIMARY KEY ("id")
);

-- Fill round 0 from the existing prompts.
INSERT INTO "Comparison" ("id", "projectId", "promptId", "promptSeq", "round", "status", "judgmentCount", "createdAt")
SELECT p."id", p."projectId", p."id", p."seq", 0,
       CASE WHEN p."importId" IS NULL OR b."status" = 'done' THEN 'open' ELSE 'pending' END,
       (SELECT COUNT(*) FROM "Judgment" j WHERE j."promptId" = p."id"),
       p."createdAt"
FROM "Prompt" p LEFT JOIN "ImportBatch" b ON b."id" = p."importId";

-- DropIndex
DROP INDEX "Assignment_promptId_slot_key";
DROP INDEX "Assignment_promptId_userId_key";
DROP INDEX "Candidate_promptId_position_key";
DROP INDEX "Judgment_promptId_userId_key";
DROP INDEX "Prompt_projectId_isComplete_createdAt_idx";
DROP INDEX "Skip_promptId_userId_key";

-- AlterTable: add the column, fill it from the prompt (round 0 has the prompt id), then require it
ALTER TABLE "Assignment" ADD COLUMN "comparisonId" TEXT;
UPDATE "Assignment" SET "comparisonId" = "promptId";
ALTER TABLE "Assignment" ALTER COLUMN "comparisonId" SET NOT NULL;

ALTER TABLE "Candidate" ADD COLUMN "comparisonId" TEXT;
UPDATE "Candidate" SET "comparisonId" = "promptId";
ALTER TABLE "Candidate" ALTER COLUMN "comparisonId" SET NOT NULL;

ALTER TABLE "Judgment" ADD COLUMN "comparisonId" TEXT;
UPDATE "Judgment" SET "comparisonId" = "promptId";
ALTER TABLE "Judgment" ALTER COLUMN "comparisonId" SET NOT NULL;

ALTER TABLE "Skip" ADD COLUMN "comparisonId" TEXT;
UPDATE "Skip" SET "comparisonId" = "promptId";
ALTER TABLE "Skip" ALTER COLUMN "comparisonId" SET NOT NULL;

ALTER TABLE "Prompt" DROP COLUMN "isComplete";

-- CreateIndex
CREATE INDEX "Comparison_projectId_status_judgmentCount_promptSeq_idx" ON "Comparison"("projectId", "status", "judgmentCount", "promptSeq");

-- CreateIndex
CREATE UNIQUE INDEX "Comparison_promptId_round_key" ON "Comparison"("promptId", "round");

-- CreateIndex
CREATE INDEX "Assignment_promptId_idx" ON "Assignment"("promptId");

-- CreateIndex
CREATE UNIQUE INDEX "Assignment_comparisonId_slot_key" ON "Assignment"("comparisonId", "slot");

-- CreateIndex
CREATE UNIQUE INDEX "Assignment_comparisonId_userId_key" ON "Assignment"("comparisonId", "userId");

-- CreateIndex
CREATE INDEX "Candidate_promptId_idx" ON "Candidate"("promptId");

-- CreateIndex
CREATE UNIQUE INDEX "Candidate_comparisonId_position_key" ON "Candidate"("comparisonId", "position");

-- CreateIndex
CREATE INDEX "Judgment_promptId_idx" ON "Judgment"("promptId");

-- CreateIndex
CREATE UNIQUE INDEX "Judgment_comparisonId_userId_key" ON "Judgment"("comparisonId", "userId");

-- CreateIndex
CREATE INDEX "Skip_promptId_idx" ON "Skip"("promptId");

-- CreateIndex
CREATE UNIQUE INDEX "Skip_comparisonId_userId_key" ON "Skip"("comparisonId", "userId");

-- AddForeignKey
ALTER TABLE "Comparison" ADD CONSTRAINT "Comparison_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Comparison" ADD CONSTRAINT "Comparison_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Comparison" ADD CONSTRAINT "Comparison_policyVersionId_fkey" FOREIGN KEY ("policyVersionId") REFERENCES "ModelVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Candidate" ADD CONSTRAINT "Candidate_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Judgment" ADD CONSTRAINT "Judgment_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Skip" ADD CONSTRAINT "Skip_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Reward-model assistance: each candidate keeps the reward model score it got when generated (and which reward
-- model gave it), each comparison the smallest gap between its candidates' scores (uncertainty sampling serves
-- the smallest first), a project says whether labellers see the reward model's order and how tasks are picked,
-- and leases and judgments record how their task was picked and the order suggested, if any. Added columns only.

-- AlterTable
ALTER TABLE "Project" ADD COLUMN "suggestOrder" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Project" ADD COLUMN "taskSelection" TEXT NOT NULL DEFAULT 'queue';

-- AlterTable
ALTER TABLE "Comparison" ADD COLUMN "rewardMargin" REAL;

-- AlterTable
ALTER TABLE "Candidate" ADD COLUMN "rewardScore" REAL;
ALTER TABLE "Candidate" ADD COLUMN "rewardVersionId" TEXT REFERENCES "ModelVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "Assignment" ADD COLUMN "selection" TEXT NOT NULL DEFAULT 'queue';
ALTER TABLE "Assignment" ADD COLUMN "suggestedOrder" JSONB;

-- AlterTable
ALTER TABLE "Judgment" ADD COLUMN "selection" TEXT NOT NULL DEFAULT 'queue';
ALTER TABLE "Judgment" ADD COLUMN "suggestedOrder" JSONB;

-- CreateIndex
CREATE INDEX "Comparison_projectId_status_rewardMargin_idx" ON "Comparison"("projectId", "status", "rewardMargin");

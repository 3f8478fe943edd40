-- Reward-model assistance: each candidate keeps the reward model score it got when generated (and which reward
-- model gave it), each comparison the smallest gap between its candidates' scores (uncertainty sampling serves
-- the smallest first), a project says whether labellers see the reward model's order and how tasks are picked,
-- and leases and judgments record how their task was picked and the order suggested, if any. Added columns only.


-- AlterTable
ALTER TABLE "Assignment" ADD COLUMN     "selection" TEXT NOT NULL DEFAULT 'queue',
ADD COLUMN     "suggestedOrder" JSONB;

-- AlterTable
ALTER TABLE "Candidate" ADD COLUMN     "rewardScore" DOUBLE PRECISION,
ADD COLUMN     "rewardVersionId" TEXT;

-- AlterTable
ALTER TABLE "Comparison" ADD COLUMN     "rewardMargin" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "Judgment" ADD COLUMN     "selection" TEXT NOT NULL DEFAULT 'queue',
ADD COLUMN     "suggestedOrder" JSONB;

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "suggestOrder" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "taskSelection" TEXT NOT NULL DEFAULT 'queue';

-- CreateIndex
CREATE INDEX "Comparison_projectId_status_rewardMargin_idx" ON "Comparison"("projectId", "status", "rewardMargin");

-- AddForeignKey
ALTER TABLE "Candidate" ADD CONSTRAINT "Candidate_rewardVersionId_fkey" FOREIGN KEY ("rewardVersionId") REFERENCES "ModelVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;


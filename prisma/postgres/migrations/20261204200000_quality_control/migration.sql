-- Quality control: gold comparisons and their scoring, labeller pauses, the reviewer's adjudications,
-- per-comparison agreement, strength of preference, accounts that hold imported judgments, the reward
-- model a training round trained. Added columns and new tables only: existing rows keep everything.

-- AlterTable
ALTER TABLE "Comparison" ADD COLUMN     "agreement" DOUBLE PRECISION,
ADD COLUMN     "gold" JSONB,
ADD COLUMN     "isGold" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Judgment" ADD COLUMN     "goldResult" JSONB,
ADD COLUMN     "isGoldMiss" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "strengths" JSONB;

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "goldFeedback" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "goldMinJudgments" INTEGER NOT NULL DEFAULT 5,
ADD COLUMN     "goldPauseBelow" DOUBLE PRECISION,
ADD COLUMN     "goldRate" DOUBLE PRECISION NOT NULL DEFAULT 0.1,
ADD COLUMN     "reviewBelowAgreement" DOUBLE PRECISION,
ADD COLUMN     "strengthOfPreference" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "TrainingRun" ADD COLUMN     "rewardVersionId" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "importedFrom" TEXT;

-- CreateTable
CREATE TABLE "LabellerPause" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resumedAt" TIMESTAMP(3),
    "resumedById" TEXT,

    CONSTRAINT "LabellerPause_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Adjudication" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "comparisonId" TEXT NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "tiers" JSONB NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Adjudication_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LabellerPause_projectId_userId_resumedAt_idx" ON "LabellerPause"("projectId", "userId", "resumedAt");

-- CreateIndex
CREATE INDEX "Adjudication_comparisonId_createdAt_idx" ON "Adjudication"("comparisonId", "createdAt");

-- CreateIndex
CREATE INDEX "Adjudication_projectId_createdAt_idx" ON "Adjudication"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "Comparison_projectId_isGold_status_idx" ON "Comparison"("projectId", "isGold", "status");

-- AddForeignKey
ALTER TABLE "TrainingRun" ADD CONSTRAINT "TrainingRun_rewardVersionId_fkey" FOREIGN KEY ("rewardVersionId") REFERENCES "ModelVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabellerPause" ADD CONSTRAINT "LabellerPause_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabellerPause" ADD CONSTRAINT "LabellerPause_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabellerPause" ADD CONSTRAINT "LabellerPause_resumedById_fkey" FOREIGN KEY ("resumedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Adjudication" ADD CONSTRAINT "Adjudication_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Adjudication" ADD CONSTRAINT "Adjudication_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Adjudication" ADD CONSTRAINT "Adjudication_reviewerId_fkey" FOREIGN KEY ("reviewerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


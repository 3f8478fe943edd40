-- Quality control: gold comparisons and their scoring, labeller pauses, the reviewer's adjudications,
-- per-comparison agreement, strength of preference, accounts that hold imported judgments, the reward
-- model a training round trained. Added columns (no table rewrite), so existing rows keep everything and
-- other migrations adding columns to the same tables keep theirs.

-- AlterTable
ALTER TABLE "User" ADD COLUMN "importedFrom" TEXT;

-- AlterTable
ALTER TABLE "Project" ADD COLUMN "goldRate" REAL NOT NULL DEFAULT 0.1;
ALTER TABLE "Project" ADD COLUMN "goldPauseBelow" REAL;
ALTER TABLE "Project" ADD COLUMN "goldMinJudgments" INTEGER NOT NULL DEFAULT 5;
ALTER TABLE "Project" ADD COLUMN "goldFeedback" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Project" ADD COLUMN "reviewBelowAgreement" REAL;
ALTER TABLE "Project" ADD COLUMN "strengthOfPreference" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Comparison" ADD COLUMN "gold" JSONB;
ALTER TABLE "Comparison" ADD COLUMN "isGold" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Comparison" ADD COLUMN "agreement" REAL;

-- AlterTable
ALTER TABLE "Judgment" ADD COLUMN "strengths" JSONB;
ALTER TABLE "Judgment" ADD COLUMN "goldResult" JSONB;
ALTER TABLE "Judgment" ADD COLUMN "isGoldMiss" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "TrainingRun" ADD COLUMN "rewardVersionId" TEXT REFERENCES "ModelVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "LabellerPause" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resumedAt" DATETIME,
    "resumedById" TEXT,
    CONSTRAINT "LabellerPause_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LabellerPause_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "LabellerPause_resumedById_fkey" FOREIGN KEY ("resumedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Adjudication" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "comparisonId" TEXT NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "tiers" JSONB NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Adjudication_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Adjudication_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Adjudication_reviewerId_fkey" FOREIGN KEY ("reviewerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Comparison_projectId_isGold_status_idx" ON "Comparison"("projectId", "isGold", "status");

-- CreateIndex
CREATE INDEX "LabellerPause_projectId_userId_resumedAt_idx" ON "LabellerPause"("projectId", "userId", "resumedAt");

-- CreateIndex
CREATE INDEX "Adjudication_comparisonId_createdAt_idx" ON "Adjudication"("comparisonId", "createdAt");

-- CreateIndex
CREATE INDEX "Adjudication_projectId_createdAt_idx" ON "Adjudication"("projectId", "createdAt");

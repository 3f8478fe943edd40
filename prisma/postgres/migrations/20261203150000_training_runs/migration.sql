-- Training rounds: one row per run of a project (objective, lineage, data cut-off, metrics, evaluation), and the judgments between scheduled runs.

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "trainEvery" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "TrainingRun" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "objective" TEXT NOT NULL DEFAULT 'dpo',
    "trigger" TEXT NOT NULL DEFAULT 'admin',
    "parentVersionId" TEXT,
    "policyVersionId" TEXT,
    "judgments" INTEGER NOT NULL DEFAULT 0,
    "pairs" INTEGER NOT NULL DEFAULT 0,
    "dataCutoff" TIMESTAMP(3),
    "hyperParams" JSONB,
    "metrics" JSONB,
    "evaluation" JSONB,
    "isPromoted" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "TrainingRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TrainingRun_policyVersionId_key" ON "TrainingRun"("policyVersionId");

-- CreateIndex
CREATE INDEX "TrainingRun_projectId_status_idx" ON "TrainingRun"("projectId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingRun_projectId_number_key" ON "TrainingRun"("projectId", "number");

-- AddForeignKey
ALTER TABLE "TrainingRun" ADD CONSTRAINT "TrainingRun_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRun" ADD CONSTRAINT "TrainingRun_parentVersionId_fkey" FOREIGN KEY ("parentVersionId") REFERENCES "ModelVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRun" ADD CONSTRAINT "TrainingRun_policyVersionId_fkey" FOREIGN KEY ("policyVersionId") REFERENCES "ModelVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;


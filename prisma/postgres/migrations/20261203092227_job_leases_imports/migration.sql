-- AlterTable
ALTER TABLE "ImportBatch" ADD COLUMN     "isAllOrNothing" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "jobId" TEXT,
ADD COLUMN     "phase" TEXT,
ADD COLUMN     "spoolPath" TEXT,
ADD COLUMN     "ownsFile" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ALTER COLUMN "status" SET DEFAULT 'queued';

-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "concurrencyKey" TEXT,
ADD COLUMN     "lockedUntil" TIMESTAMP(3),
ADD COLUMN     "maxAttempts" INTEGER NOT NULL DEFAULT 5;

-- CreateIndex
CREATE INDEX "Job_kind_status_idx" ON "Job"("kind", "status");


-- Imports that were running in a web process when this version was installed can never finish.
UPDATE "ImportBatch" SET "status" = 'failed', "errorCount" = "errorCount" + 1, "finishedAt" = CURRENT_TIMESTAMP WHERE "status" = 'running';
-- Jobs left running by a worker without leases: run them again.
UPDATE "Job" SET "status" = 'queued', "lockedBy" = NULL, "lockedAt" = NULL WHERE "status" = 'running';


-- Candidate generation: the active policy of a project, sampling settings, buffer and current round, and why a prompt cannot be generated.

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "candidateBuffer" INTEGER NOT NULL DEFAULT 8,
ADD COLUMN     "currentRound" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "policyVersionId" TEXT,
ADD COLUMN     "samplingParams" JSONB;

-- AlterTable
ALTER TABLE "Prompt" ADD COLUMN     "generationError" TEXT;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_policyVersionId_fkey" FOREIGN KEY ("policyVersionId") REFERENCES "ModelVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;


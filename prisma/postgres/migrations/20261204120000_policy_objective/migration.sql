-- The policy step of a project's training rounds: DPO (the default, as before), RLOO against the
-- round's reward model, or DPO then RLOO. Existing projects keep DPO.
-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "policyObjective" TEXT NOT NULL DEFAULT 'dpo';


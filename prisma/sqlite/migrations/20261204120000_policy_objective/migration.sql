-- The policy step of a project's training rounds: DPO (the default, as before), RLOO against the
-- round's reward model, or DPO then RLOO. Existing projects keep DPO.
-- An added column instead of a table rewrite, so that other migrations adding Project columns keep theirs.
-- AlterTable
ALTER TABLE "Project" ADD COLUMN "policyObjective" TEXT NOT NULL DEFAULT 'dpo';

-- The queue order (judgmentCount DESC, promptSeq, round) in one index, so the next-task page is read in
-- index order and stops after one page instead of sorting every open comparison of the project.
-- DropIndex
DROP INDEX "Comparison_projectId_status_judgmentCount_promptSeq_idx";

-- CreateIndex
CREATE INDEX "Comparison_projectId_status_judgmentCount_promptSeq_round_idx" ON "Comparison"("projectId", "status", "judgmentCount" DESC, "promptSeq", "round");

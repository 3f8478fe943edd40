-- Head-to-head comparisons: the share of a round's generated comparisons that mix the active policy with the
-- version it was trained from (a quarter by default, for existing projects too). Added column only.

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "headToHeadShare" DOUBLE PRECISION NOT NULL DEFAULT 0.25;

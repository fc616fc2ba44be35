-- AlterTable
ALTER TABLE "Workflow" ADD COLUMN     "nextScheduledAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "Workflow_nextScheduledAt_idx" ON "Workflow"("nextScheduledAt");

-- DropIndex
DROP INDEX "LifecycleEvent_webhookDeliveryId_key";

-- AlterTable
ALTER TABLE "LifecycleEvent" ADD COLUMN     "dispatchedAt" TIMESTAMPTZ(3),
ADD COLUMN     "sequence" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "LifecycleEvent_dispatchedAt_createdAt_idx" ON "LifecycleEvent"("dispatchedAt", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "LifecycleEvent_webhookDeliveryId_sequence_key" ON "LifecycleEvent"("webhookDeliveryId", "sequence");

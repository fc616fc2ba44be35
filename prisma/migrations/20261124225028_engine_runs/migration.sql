-- CreateEnum
CREATE TYPE "ApprovalStatus" AS ENUM ('pending', 'approved', 'rejected', 'timeout');

-- AlterTable
ALTER TABLE "WorkflowRun" ADD COLUMN     "parentNodeId" VARCHAR(64),
ADD COLUMN     "parentRunId" UUID,
ADD COLUMN     "reusesOutputs" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "StepRun" ADD COLUMN     "detail" JSONB,
ADD COLUMN     "wouldSend" JSONB;

-- CreateTable
CREATE TABLE "Approval" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "nodeId" VARCHAR(64) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "approvers" TEXT[],
    "status" "ApprovalStatus" NOT NULL DEFAULT 'pending',
    "decidedBy" VARCHAR(320),
    "decidedVia" VARCHAR(16),
    "comment" VARCHAR(2000),
    "decidedAt" TIMESTAMPTZ(3),
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Approval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalToken" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "approvalId" UUID NOT NULL,
    "approver" VARCHAR(320) NOT NULL,
    "tokenHash" CHAR(64) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApprovalToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Approval_organizationId_status_createdAt_idx" ON "Approval"("organizationId", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Approval_runId_nodeId_key" ON "Approval"("runId", "nodeId");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalToken_tokenHash_key" ON "ApprovalToken"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalToken_approvalId_approver_key" ON "ApprovalToken"("approvalId", "approver");

-- CreateIndex
CREATE UNIQUE INDEX "WorkflowRun_parentRunId_parentNodeId_key" ON "WorkflowRun"("parentRunId", "parentNodeId");

-- AddForeignKey
ALTER TABLE "Approval" ADD CONSTRAINT "Approval_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Approval" ADD CONSTRAINT "Approval_runId_fkey" FOREIGN KEY ("runId") REFERENCES "WorkflowRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalToken" ADD CONSTRAINT "ApprovalToken_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalToken" ADD CONSTRAINT "ApprovalToken_approvalId_fkey" FOREIGN KEY ("approvalId") REFERENCES "Approval"("id") ON DELETE CASCADE ON UPDATE CASCADE;

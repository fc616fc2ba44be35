-- CreateTable
CREATE TABLE "DevMailboxEmail" (
    "id" UUID NOT NULL,
    "to" TEXT[],
    "from" VARCHAR(320) NOT NULL,
    "subject" VARCHAR(998) NOT NULL,
    "html" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DevMailboxEmail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DevMailboxEmail_createdAt_idx" ON "DevMailboxEmail"("createdAt" DESC);

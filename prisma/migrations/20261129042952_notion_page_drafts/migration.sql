-- CreateTable
CREATE TABLE "PageDraft" (
    "id" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "threadTs" TEXT,
    "requestedBy" TEXT NOT NULL,
    "parentKind" TEXT NOT NULL,
    "parentId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "blocks" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'proposed',
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "messageTs" TEXT,
    "pageId" TEXT,
    "pageUrl" TEXT,
    "requestId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PageDraft_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PageDraft_requestId_key" ON "PageDraft"("requestId");

-- CreateIndex
CREATE INDEX "PageDraft_status_expiresAt_idx" ON "PageDraft"("status", "expiresAt");

-- CreateTable
CREATE TABLE "FeedbackVote" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "messageTs" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "vote" TEXT NOT NULL,
    "eventId" TEXT,
    "category" TEXT,
    "action" TEXT,
    "userText" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FeedbackVote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FeedbackVote_category_action_idx" ON "FeedbackVote"("category", "action");

-- CreateIndex
CREATE UNIQUE INDEX "FeedbackVote_channelId_messageTs_userId_key" ON "FeedbackVote"("channelId", "messageTs", "userId");

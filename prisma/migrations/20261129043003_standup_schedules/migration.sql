-- CreateTable
CREATE TABLE "StandupSchedule" (
    "id" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "days" INTEGER[],
    "time" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "activeSince" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSlot" TIMESTAMP(3),
    "claimedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "postedSlot" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StandupSchedule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StandupSchedule_active_idx" ON "StandupSchedule"("active");

-- CreateIndex
CREATE UNIQUE INDEX "StandupSchedule_slackTeamId_channelId_key" ON "StandupSchedule"("slackTeamId", "channelId");

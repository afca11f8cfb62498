-- DropIndex
DROP INDEX "Project_name_key";

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "isDefault" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "territoryId" TEXT;

-- CreateTable
CREATE TABLE "IssueDraft" (
    "id" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "threadTs" TEXT,
    "requestedBy" TEXT NOT NULL,
    "repo" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "labels" TEXT[],
    "source" TEXT NOT NULL,
    "permalink" TEXT,
    "duplicate" JSONB,
    "status" TEXT NOT NULL DEFAULT 'proposed',
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "messageTs" TEXT,
    "issueNumber" INTEGER,
    "issueUrl" TEXT,
    "runId" TEXT,
    "requestId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IssueDraft_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "IssueDraft_requestId_key" ON "IssueDraft"("requestId");

-- CreateIndex
CREATE INDEX "IssueDraft_status_expiresAt_idx" ON "IssueDraft"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "Project_githubRepo_idx" ON "Project"("githubRepo");

-- CreateIndex
CREATE UNIQUE INDEX "Project_territoryId_name_key" ON "Project"("territoryId", "name");

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_territoryId_fkey" FOREIGN KEY ("territoryId") REFERENCES "Territory"("id") ON DELETE CASCADE ON UPDATE CASCADE;

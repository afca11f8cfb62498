-- AlterTable
ALTER TABLE "Room" ADD COLUMN     "lastOfferAt" TIMESTAMP(3),
ADD COLUMN     "watched" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "FocusPin" (
    "roomId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FocusPin_pkey" PRIMARY KEY ("roomId","slackUserId")
);

-- CreateIndex
CREATE INDEX "FocusPin_slackUserId_idx" ON "FocusPin"("slackUserId");

-- AddForeignKey
ALTER TABLE "FocusPin" ADD CONSTRAINT "FocusPin_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;

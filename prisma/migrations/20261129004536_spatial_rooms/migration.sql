-- AlterEnum
ALTER TYPE "RoomKind" ADD VALUE 'group_dm';

-- AlterTable
ALTER TABLE "Room" ADD COLUMN     "attentionState" JSONB,
ADD COLUMN     "topic" TEXT;

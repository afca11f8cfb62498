-- AlterTable
ALTER TABLE "TaskRun" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "idempotencyKey" TEXT;

-- AlterTable
ALTER TABLE "WorkflowRun" ADD COLUMN     "leaseUntil" TIMESTAMP(3),
ADD COLUMN     "owner" TEXT;

-- CreateIndex
CREATE INDEX "WorkflowRun_status_leaseUntil_idx" ON "WorkflowRun"("status", "leaseUntil");

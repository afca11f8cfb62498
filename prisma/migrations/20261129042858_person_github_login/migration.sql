-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "githubLogin" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Person_territoryId_githubLogin_key" ON "Person"("territoryId", "githubLogin");

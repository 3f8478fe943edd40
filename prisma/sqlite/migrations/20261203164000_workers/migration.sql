-- Workers: each worker process reports its host, pid, release, execution provider, threads and heartbeat.

-- CreateTable
CREATE TABLE "Worker" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "version" TEXT NOT NULL,
    "executionProvider" TEXT NOT NULL,
    "intraOpThreads" INTEGER NOT NULL,
    "interOpThreads" INTEGER NOT NULL,
    "cpus" INTEGER NOT NULL,
    "heartbeatMs" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stoppedAt" DATETIME
);


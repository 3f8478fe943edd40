-- Workers: each worker process reports its host, pid, release, execution provider, threads and heartbeat.

-- CreateTable
CREATE TABLE "Worker" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "version" TEXT NOT NULL,
    "executionProvider" TEXT NOT NULL,
    "intraOpThreads" INTEGER NOT NULL,
    "interOpThreads" INTEGER NOT NULL,
    "cpus" INTEGER NOT NULL,
    "heartbeatMs" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stoppedAt" TIMESTAMP(3),

    CONSTRAINT "Worker_pkey" PRIMARY KEY ("id")
);


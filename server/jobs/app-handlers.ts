// Handlers of the job kinds that need only the app (no model engine): the worker runs them, and a CLI
// may run one of its own jobs in-process with them. Engine-backed kinds get their handlers in workers/.
import { releaseExpiredLeases } from "../services/queue/release-expired-leases";
import { abandonImportJob, runImportJob } from "../services/import/import-job";
import type { THandlers } from "./job-runner";

export const appHandlers: THandlers = {
  "queue.release-expired-leases": {
    run: async (p) => ({ released: await releaseExpiredLeases({ projectId: p.projectId }) }),
  },
  import: {
    run: async (p, ctx) => {
      const r = await runImportJob({
        importId: p.importId,
        signal: ctx.signal,
        ...(p.withoutRankings ? { withoutRankings: true } : {}),
      });
      return { status: r.status, promptsAdded: r.promptsAdded, errorCount: r.errorCount };
    },
    onFailed: (p, reason) => abandonImportJob({ importId: p.importId, reason }),
  },
};

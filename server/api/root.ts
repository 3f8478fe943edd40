// The app's tRPC router, its type for the client, and a server-side caller factory (tests, pages).
import { createCallerFactory, router } from "./trpc";
import { authRouter } from "./routers/auth";
import { labelRouter } from "./routers/label";
import { adminRouter } from "./routers/admin";
import { reviewRouter } from "./routers/review";

export const appRouter = router({ auth: authRouter, label: labelRouter, admin: adminRouter, review: reviewRouter });
export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

// Sign-in, sign-out, invites, password reset links and the current viewer.
import { z } from "zod";
import { publicProcedure, labellerProcedure, router } from "../trpc";
import { signIn } from "../../services/auth/sign-in";
import { acceptInvite, getInviteInfo } from "../../services/users/accept-invite";
import { getPasswordResetInfo, resetPassword } from "../../services/users/password-reset";
import { changePassword } from "../../services/users/change-password";
import { revokeSession } from "../../auth/session";
import { clearedSessionCookie, sessionCookie } from "../../auth/cookies";

const ZEmail = z.string().trim().toLowerCase().email("enter a valid email address").max(254);
const ZPassword = z.string().min(1).max(200);
const ZToken = z.string().min(10).max(200);

export const authRouter = router({
  me: publicProcedure.query(
    ({ ctx }) =>
      ctx.viewer && { id: ctx.viewer.userId, email: ctx.viewer.email, name: ctx.viewer.name, role: ctx.viewer.role },
  ),

  signIn: publicProcedure.input(z.object({ email: ZEmail, password: ZPassword })).mutation(async ({ ctx, input }) => {
    const s = await signIn({ ...input, ip: ctx.ip, userAgent: ctx.userAgent });
    ctx.resHeaders.append("Set-Cookie", sessionCookie(s.token, s.expiresAt));
    return { role: s.user.role };
  }),

  signOut: labellerProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionToken) await revokeSession(ctx.sessionToken);
    ctx.resHeaders.append("Set-Cookie", clearedSessionCookie());
    return { ok: true };
  }),

  inviteInfo: publicProcedure.input(z.object({ token: ZToken })).query(({ input }) => getInviteInfo(input)),

  acceptInvite: publicProcedure
    .input(
      z.object({
        token: ZToken,
        name: z.string().trim().min(1, "enter your name").max(100),
        password: z.string().min(10, "use at least 10 characters").max(200),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const s = await acceptInvite({ ...input, userAgent: ctx.userAgent });
      ctx.resHeaders.append("Set-Cookie", sessionCookie(s.token, s.expiresAt));
      return { role: s.user.role };
    }),

  passwordResetInfo: publicProcedure
    .input(z.object({ token: ZToken }))
    .query(({ input }) => getPasswordResetInfo(input)),

  resetPassword: publicProcedure
    .input(z.object({ token: ZToken, password: z.string().min(10, "use at least 10 characters").max(200) }))
    .mutation(async ({ ctx, input }) => {
      const s = await resetPassword({ ...input, userAgent: ctx.userAgent });
      ctx.resHeaders.append("Set-Cookie", sessionCookie(s.token, s.expiresAt));
      return { role: s.user.role };
    }),

  changePassword: labellerProcedure
    .input(z.object({ current: ZPassword, next: z.string().min(10, "use at least 10 characters").max(200) }))
    .mutation(({ ctx, input }) =>
      changePassword({ userId: ctx.viewer.userId, keepSessionId: ctx.viewer.sessionId, ...input }),
    ),
});

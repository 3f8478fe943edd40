// Withdraws an unused invite link.
import { getDb } from "../../db";
import { AppError } from "../../errors";
import { recordAudit } from "../audit/record-audit";

export async function revokeInvite(opts: { actorId: string; inviteId: string }) {
  await getDb().$transaction(async (tx) => {
    const { count } = await tx.invite.updateMany({
      where: { id: opts.inviteId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count !== 1) throw new AppError("NOT_FOUND", "No open invite with that id.");
    await recordAudit(
      { actorId: opts.actorId, action: "invite.revoke", targetType: "invite", targetId: opts.inviteId },
      tx,
    );
  });
  return { ok: true };
}

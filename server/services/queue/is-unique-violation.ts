// Recognises a unique-constraint violation (Prisma P2002) from either database.
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "P2002";
}

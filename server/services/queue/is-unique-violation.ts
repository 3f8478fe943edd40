// Kept for the queue's imports; the database error codes live in services/db-errors.ts.
export { isUniqueViolation } from "../db-errors";

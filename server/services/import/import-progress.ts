// In-process progress of running imports (lines read), for the admin page to poll; the database
// keeps the final report. Imports run in the process that received the file.
export type TImportProgress = { phase: "validating" | "writing"; linesRead: number; promptsAdded: number };

const running = new Map<string, TImportProgress>();

export const setImportProgress = (importId: string, p: TImportProgress) => void running.set(importId, p);
export const getImportProgress = (importId: string) => running.get(importId);
export const clearImportProgress = (importId: string) => void running.delete(importId);

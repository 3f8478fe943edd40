// probe: none (stands for the real server/db.ts)
export const getDb = () => null;

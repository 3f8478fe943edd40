// probe: services-own-the-database
import { getDb } from "../../server/db";

export const probe = getDb;

// probe: database-clients-only-in-db
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import Database from "better-sqlite3";

export const probe = [PrismaPg, pg, Database];

// probe: pages-use-server-through-trpc
import { stub } from "../../server/services/stub";

export const probe = stub;

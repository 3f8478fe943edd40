// probe: e2e-is-black-box
import { stub } from "../server/services/stub";

export const probe = stub;

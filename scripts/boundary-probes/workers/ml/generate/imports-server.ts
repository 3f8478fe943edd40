// probe: ml-is-a-pure-library
import { stub } from "../../../server/services/stub";

export const probe = stub;

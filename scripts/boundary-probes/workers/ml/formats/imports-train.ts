// probe: engine-formats-are-pure
import { stub } from "../train/stub";

export const probe = stub;

// probe: ml-model-never-imports-train
import { stub } from "../train/stub";

export const probe = stub;

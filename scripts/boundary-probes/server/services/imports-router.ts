// probe: services-not-routers
import { stub } from "../api/stub";

export const probe = stub;

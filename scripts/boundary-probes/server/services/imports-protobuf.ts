// probe: one-protobuf-importer
import protobuf from "protobufjs";

export const probe = protobuf;

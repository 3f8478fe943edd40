// Public surface of training outputs on disk: PEFT adapters (save, load, merge) and Hugging Face checkpoints.
export {
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  AdapterMismatchError,
  loadAdapter,
  mergeAdapter,
  PEFT_VERSION,
  peftAdapterConfig,
  saveAdapter,
  type TAdapter,
  type TAdapterTaskType,
} from "./adapter";
export {
  saveHfCheckpoint,
  TOKENIZER_FILES,
  type THfSaveDtype,
  type TSavedHfCheckpoint,
  type TSaveHfCheckpointOptions,
} from "./hf-checkpoint";

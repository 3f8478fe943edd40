// Shared Tailwind class strings of the ranking board, so every control looks and focuses alike.
export const focusRing = "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";

const iconButtonBase = [
  "inline-flex min-h-10 min-w-10 items-center justify-center rounded-md border px-2 text-sm font-medium",
  "disabled:cursor-not-allowed disabled:opacity-40",
  focusRing,
].join(" ");

/** 40px icon button: big enough to hit on a phone. */
export const iconButton = `${iconButtonBase} border-slate-300 bg-white text-slate-700 hover:bg-slate-100 active:bg-slate-200`;

/** The flag button of a flagged candidate. */
export const iconButtonWarn = `${iconButtonBase} border-amber-500 bg-amber-50 text-amber-800 hover:bg-amber-100`;

export const primaryButton = [
  "inline-flex min-h-10 items-center justify-center gap-2 rounded-md bg-indigo-700 px-4 text-sm font-semibold text-white",
  "hover:bg-indigo-800 disabled:cursor-not-allowed disabled:opacity-50",
  focusRing,
].join(" ");

export const secondaryButton = [
  "inline-flex min-h-10 items-center justify-center gap-2 rounded-md border border-slate-300 bg-white px-4 text-sm font-medium",
  "text-slate-800 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50",
  focusRing,
].join(" ");

export const kbd = "rounded border border-current/30 px-1 font-mono text-[0.7rem] leading-4 opacity-80";

/** Keyboard hints next to controls and in texts: hidden on touch screens and phones, where no keyboard is used. */
export const keyHint = "pointer-coarse:hidden max-sm:hidden";
export const kbdHint = `${kbd} ${keyHint}`;

/** Letter chip of a candidate (A, B, C...). */
export const letterChip =
  "inline-flex h-7 min-w-7 shrink-0 items-center justify-center rounded-md bg-slate-800 px-1.5 text-sm font-bold text-white";

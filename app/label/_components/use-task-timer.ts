// Time on task: total since the task appeared, and active time (page visible and the labeller
// did something in the last minute), so a task left open over lunch does not count as work.
import { useEffect, useRef } from "react";

const IDLE_AFTER_MS = 60_000;
const TICK_MS = 1_000;

export function useTaskTimer(taskKey: string | undefined) {
  // Set when the task appears (the effect below); the clock is read in effects and handlers, never in render.
  const started = useRef(0);
  const active = useRef(0);
  const lastInput = useRef(0);
  useEffect(() => {
    started.current = Date.now();
    active.current = 0;
    lastInput.current = Date.now();
    const touch = () => {
      lastInput.current = Date.now();
    };
    const events = ["keydown", "pointerdown", "pointermove", "wheel", "scroll"] as const;
    events.forEach((e) => window.addEventListener(e, touch, { passive: true }));
    const tick = setInterval(() => {
      if (document.visibilityState === "visible" && Date.now() - lastInput.current < IDLE_AFTER_MS)
        active.current += TICK_MS;
    }, TICK_MS);
    return () => {
      clearInterval(tick);
      events.forEach((e) => window.removeEventListener(e, touch));
    };
  }, [taskKey]);
  return () => {
    const totalMs = Date.now() - started.current;
    return { totalMs, activeMs: Math.min(active.current, totalMs) };
  };
}

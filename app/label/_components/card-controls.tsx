"use client";
// The per-card buttons (up, down, tie/untie, flag): every ranking action works without dragging.
import type { MouseEvent, RefObject } from "react";
import { iconButton, iconButtonWarn } from "./board-styles";

type TProps = {
  candidateId: string;
  letter: string;
  canMoveUp: boolean;
  canMoveDown: boolean;
  isTied: boolean;
  canTie: boolean;
  isFlagged: boolean;
  isFlagMenuOpen: boolean;
  flagButtonRef: RefObject<HTMLButtonElement | null>;
  onMoveUp: () => void;
  onMoveDown: () => void;
  onTieToggle: () => void;
  onFlagMenuToggle: () => void;
};

/**
 * After a mouse click, focus is dropped so that Enter keeps meaning "submit" rather than pressing
 * the button again. After a keyboard press, the card may have been re-rendered in another tier,
 * so focus is put back on the same button (or a sibling, if that one became disabled).
 */
function press(action: () => void) {
  return (e: MouseEvent<HTMLButtonElement>) => {
    const button = e.currentTarget;
    if (e.detail > 0) {
      button.blur();
      action();
      return;
    }
    const testId = button.dataset.testid ?? "";
    const candidateId = button.closest<HTMLElement>("[data-candidate-id]")?.dataset.candidateId ?? "";
    action();
    requestAnimationFrame(() => {
      const card = document.querySelector(`[data-candidate-id="${CSS.escape(candidateId)}"]`);
      const buttons = [...(card?.querySelectorAll<HTMLButtonElement>("button[data-testid]") ?? [])];
      const target =
        buttons.find((b) => b.dataset.testid === testId && !b.disabled) ??
        buttons.find((b) => !b.disabled && b.dataset.testid?.startsWith("move-"));
      target?.focus();
    });
  };
}

// The ref is taken apart from the other props: React reads a props object that carries a ref as a ref.
export function CardControls({ flagButtonRef, ...props }: TProps) {
  const { letter } = props;
  return (
    <div className="flex shrink-0 items-center gap-1">
      <button
        type="button"
        data-testid={`move-up-${letter}`}
        aria-label={`Move answer ${letter} up`}
        title="Move up (↑ or k)"
        disabled={!props.canMoveUp}
        onClick={press(props.onMoveUp)}
        className={iconButton}
      >
        <span aria-hidden="true">↑</span>
      </button>
      <button
        type="button"
        data-testid={`move-down-${letter}`}
        aria-label={`Move answer ${letter} down`}
        title="Move down (↓ or j)"
        disabled={!props.canMoveDown}
        onClick={press(props.onMoveDown)}
        className={iconButton}
      >
        <span aria-hidden="true">↓</span>
      </button>
      <button
        type="button"
        data-testid={`tie-${letter}`}
        aria-label={props.isTied ? `Untie answer ${letter}` : `Tie answer ${letter} with the answer above`}
        title={props.isTied ? "Untie (u)" : "Tie with the answer above (t)"}
        disabled={!props.isTied && !props.canTie}
        onClick={press(props.onTieToggle)}
        className={iconButton}
      >
        {props.isTied ? "Untie" : "Tie ↑"}
      </button>
      <button
        ref={flagButtonRef}
        type="button"
        data-testid={`flag-button-${letter}`}
        data-flag-anchor={props.candidateId}
        aria-label={`Flag answer ${letter}`}
        aria-haspopup="dialog"
        aria-expanded={props.isFlagMenuOpen}
        title="Flag a problem (f)"
        onClick={props.onFlagMenuToggle}
        className={props.isFlagged ? iconButtonWarn : iconButton}
      >
        <span aria-hidden="true">⚑</span>
      </button>
    </div>
  );
}

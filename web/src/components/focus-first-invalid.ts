// After a refused submit, the person starts at the first field to fix (its message is read with it,
// through aria-describedby); a refusal about no field on show is the form's alert, focused instead.
import type { RefObject } from "preact";
import { useEffect } from "preact/hooks";

/**
 * Each time `errors` is a new, non-empty list (one per answer of the server, so the same refusal
 * twice still moves focus), focuses the form's first `[aria-invalid="true"]` element, else its
 * `role=alert` (components/form's `Alert` takes focus for this).
 */
export function useFocusFirstInvalid(form: RefObject<HTMLElement | null>, errors: readonly unknown[]) {
  useEffect(() => {
    if (errors.length === 0) return;
    const within = form.current;
    (within?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? within?.querySelector<HTMLElement>('[role="alert"]'))?.focus();
  }, [errors]);
}

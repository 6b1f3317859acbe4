// Form parts that keep an error tied to its field (aria-describedby, aria-invalid) and announce
// outcomes in live regions, so a screen reader hears what a sighted person sees.
import type { ComponentChildren } from "preact";
import { useId } from "preact/hooks";

interface FieldProps {
  label: string;
  value: string;
  onInput: (value: string) => void;
  type?: "text" | "email" | "password" | "date" | "tel";
  autoComplete?: string;
  required?: boolean;
  /** The server's (or the form's) refusal for this field. */
  error?: string | null;
  hint?: ComponentChildren;
  /** The id of something else that describes the field (the password rules beside it). */
  describedBy?: string;
  inputMode?: "decimal" | "text" | "numeric";
}

export function Field({ label, value, onInput, type = "text", autoComplete, required, error, hint, describedBy, inputMode }: FieldProps) {
  const id = useId();
  const described = [describedBy, hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <div id={`${id}-hint`} class="hint">
          {hint}
        </div>
      )}
      <input
        id={id}
        // Preact's types narrow `role` per input type; these types all take text.
        type={type as "text"}
        value={value}
        onInput={(event) => onInput(event.currentTarget.value)}
        autoComplete={autoComplete}
        required={required}
        inputMode={inputMode}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={described || undefined}
      />
      {error && (
        <p id={`${id}-error`} class="error">
          {error}
        </p>
      )}
    </div>
  );
}

interface SelectProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  error?: string | null;
}

export function Select({ label, value, onChange, options, error }: SelectProps) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {error && (
        <p id={`${id}-error`} class="error">
          {error}
        </p>
      )}
    </div>
  );
}

export function Checkbox({ label, checked, onChange, disabled }: { label: string; checked: boolean; onChange: (checked: boolean) => void; disabled?: boolean }) {
  const id = useId();
  return (
    <div class="field checkbox">
      <input id={id} type="checkbox" checked={checked} disabled={disabled} onChange={(event) => onChange(event.currentTarget.checked)} />
      <label for={id}>{label}</label>
    </div>
  );
}

/** An outcome to announce politely (saved, sent, paid). Always in the page, so it is announced. */
export function Status({ children }: { children?: ComponentChildren }) {
  return (
    <div role="status" class={children ? "status" : "status empty"}>
      {children}
    </div>
  );
}

/** A refusal that is not about one field, announced at once (and focusable, for useFocusFirstInvalid). */
export function Alert({ children }: { children?: ComponentChildren }) {
  return children ? (
    <div role="alert" class="alert" tabIndex={-1}>
      {children}
    </div>
  ) : null;
}

/** The user errors of a mutation's answer, by field. */
export interface UserErrorLike {
  field?: string | null;
  message: string;
  code: string;
}

export function errorFor(errors: readonly UserErrorLike[] | undefined, field: string): string | null {
  const messages = (errors ?? []).filter((error) => error.field === field).map((error) => error.message);
  return messages.length ? messages.join(" ") : null;
}

export function errorsWithoutField(errors: readonly UserErrorLike[] | undefined, fields: string[]): string | null {
  const messages = (errors ?? []).filter((error) => !error.field || !fields.includes(error.field)).map((error) => error.message);
  return messages.length ? messages.join(" ") : null;
}

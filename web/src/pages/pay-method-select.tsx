// The `Payment method` select of Make a Payment: the methods on file and, for office managers with
// the mock gateway, its test methods as "new" ones, in two labelled groups. Like the shared Select,
// its label, hint and error are tied to it.
import type { ComponentChildren } from "preact";
import { useId } from "preact/hooks";

interface Option {
  value: string;
  label: string;
}

interface MethodSelectProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  onFile: { label: string; options: Option[] };
  /** Empty when no new method can be chosen here. */
  fresh: { label: string; options: Option[] };
  hint?: ComponentChildren;
  error?: string | null;
}

export function MethodSelect({ label, value, onChange, onFile, fresh, hint, error }: MethodSelectProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  const group = ({ label: groupLabel, options }: { label: string; options: Option[] }) =>
    options.length > 0 && (
      <optgroup label={groupLabel}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </optgroup>
    );
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={described || undefined}
      >
        {group(onFile)}
        {group(fresh)}
      </select>
      {hint && (
        <div id={`${id}-hint`} class="hint">
          {hint}
        </div>
      )}
      {error && (
        <p id={`${id}-error`} class="error">
          {error}
        </p>
      )}
    </div>
  );
}

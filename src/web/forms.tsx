import { AppError, type FieldErrors } from '../errors.js';

interface FieldProps {
  name: string;
  label: string;
  type?: 'text' | 'tel' | 'email' | 'password' | 'search' | 'number' | 'date';
  value?: string | null;
  errors: FieldErrors;
  hint?: string;
  autocomplete?: string;
  inputMode?: 'text' | 'tel' | 'email' | 'numeric' | 'search';
  required?: boolean;
}

/** A labelled input with its hint and its error, linked for screen readers. */
export function Field({
  name,
  label,
  type = 'text',
  value,
  errors,
  hint,
  autocomplete,
  inputMode,
  required,
}: FieldProps) {
  const error = errors[name];
  const describedBy =
    [hint && `${name}-hint`, error && `${name}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={name}>{label}</label>
      {hint && (
        <p class="hint" id={`${name}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="error" id={`${name}-error`}>
          {error}
        </p>
      )}
      <input
        id={name}
        name={name}
        type={type as 'text'}
        value={type === 'password' ? '' : (value ?? '')}
        autocomplete={autocomplete}
        inputMode={inputMode}
        required={required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
      />
    </div>
  );
}

/** The list of problems at the top of a form, each linking to its field. */
export function ErrorSummary({ errors, message }: { errors: FieldErrors; message?: string }) {
  const entries = Object.entries(errors);
  if (entries.length === 0 && !message) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <h2>{message ?? 'Vui lòng kiểm tra lại thông tin'}</h2>
      <ul>
        {entries.map(([field, text]) => (
          <li key={field}>
            <a href={`#${field}`}>{text}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A posted form as plain strings: repeated or non-text fields are dropped, never trusted. */
export function readForm(body: unknown): Record<string, string | undefined> {
  if (typeof body !== 'object' || body === null) return {};
  return Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/**
 * What a form shows after a change was refused: each field's message, the summary and the
 * status; a fresh form when there was no error. Anything but a refusal meant for the user
 * (a bug) is thrown on.
 */
export function formProblems(error?: unknown): { fields: FieldErrors; message?: string; status: number } {
  if (error === undefined) return { fields: {}, status: 200 };
  if (error instanceof AppError && error.status < 500) {
    return { fields: error.fields, message: error.message, status: error.status };
  }
  throw error;
}

/** Every value a repeated field (a group of checkboxes) was posted with; anything else is dropped. */
export function readList(body: unknown, name: string): string[] {
  const value =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return (Array.isArray(value) ? value : [value]).filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
}

/**
 * A labelled drop-down whose empty first choice means "any" (a filter) or "none" (an optional
 * field); `error` marks it as refused, with the message above it.
 */
export function ChoiceSelect(props: {
  name: string;
  label: string;
  empty: string;
  choices: Record<string, string>;
  value: string;
  error?: string;
}) {
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={props.name}>{props.label}</label>
      {props.error && (
        <p class="error" id={`${props.name}-error`}>
          {props.error}
        </p>
      )}
      <select id={props.name} name={props.name}>
        <option value="">{props.empty}</option>
        {Object.entries(props.choices).map(([code, label]) => (
          <option key={code} value={code} selected={props.value === code}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

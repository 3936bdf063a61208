import { Fragment, useState, type ReactNode } from 'react';
import { toApiError, type ApiError } from '../api-client.js';

/** NHS.UK form fields that show the server's located problems beside the field they are about. */

export function fieldError(error: ApiError | null, field: string): string | undefined {
  return error?.problems.find((p) => (p.field ?? '').split('.')[0] === field)?.message;
}

/** The message of the first problem about exactly this field (`values.ae_attendances_all`). */
export function exactFieldError(error: ApiError | null, field: string): string | undefined {
  return error?.problems.find((p) => p.field === field)?.message;
}

/**
 * One form's change in flight: whether it is being sent, and the problem the last attempt met (for the error
 * summary and the fields). `submit` sends the change; on success it clears the error and calls `done` with the
 * answer, on failure it keeps the error as an ApiError; it resolves to whether the change succeeded.
 * `setError` is for problems found before sending (a choice left unanswered).
 */
export function useSubmit() {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async <T,>(send: () => Promise<T>, done?: (answer: T) => void): Promise<boolean> => {
    setBusy(true);
    try {
      const answer = await send();
      setError(null);
      done?.(answer);
      return true;
    } catch (caught) {
      setError(toApiError(caught));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { error, setError, busy, submit };
}

/** The NHS form group around one control: label, hint and error message, linked for screen readers. */
function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  children: (describedBy: string | undefined) => ReactNode;
}) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label className="nhsuk-label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div className="nhsuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <span className="nhsuk-error-message" id={`${id}-error`}>
          <span className="nhsuk-u-visually-hidden">Error:</span> {error}
        </span>
      ) : null}
      {children(describedBy || undefined)}
    </div>
  );
}

export function TextField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  type = 'text',
  autoComplete,
  width,
  inputMode,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'password' | 'date' | 'number';
  autoComplete?: string;
  width?: 10 | 20 | 30;
  /** `decimal` for numbers: a text box (so "1,234" or a typo can be read back to the user) with a number keypad. */
  inputMode?: 'decimal' | 'numeric';
}) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(describedBy) => (
        <input
          className={`nhsuk-input${width ? ` nhsuk-input--width-${width}` : ''}${error ? ' nhsuk-input--error' : ''}`}
          id={id}
          name={id}
          type={type}
          value={value}
          autoComplete={autoComplete}
          inputMode={inputMode}
          spellCheck={false}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/** A textarea for words: an explanation, or a reason. */
export function TextArea({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  rows = 3,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  value: string;
  onChange: (value: string) => void;
  rows?: number;
}) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(describedBy) => (
        <textarea
          className={`nhsuk-textarea${error ? ' nhsuk-textarea--error' : ''}`}
          id={id}
          name={id}
          rows={rows}
          value={value}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

export function SelectField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  options,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  value: string;
  onChange: (value: string) => void;
  options: Array<{ value: string; text: string }>;
}) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(describedBy) => (
        <select
          className={`nhsuk-select${error ? ' nhsuk-select--error' : ''}`}
          id={id}
          name={id}
          value={value}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value)}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function Checkbox({
  id,
  label,
  checked,
  onChange,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div className="nhsuk-form-group">
      <div className="nhsuk-checkboxes">
        <div className="nhsuk-checkboxes__item">
          <input
            className="nhsuk-checkboxes__input"
            id={id}
            name={id}
            type="checkbox"
            checked={checked}
            onChange={(event) => onChange(event.target.checked)}
          />
          <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={id}>
            {label}
          </label>
        </div>
      </div>
    </div>
  );
}

/**
 * NHS.UK radios in a fieldset, with the error beside them; an option may reveal more questions when chosen
 * (the conditional reveal). The first radio takes `id`, so an error summary link lands on the group.
 */
export function RadioField<T extends string>({
  id,
  legend,
  hint,
  error,
  value,
  options,
  onChange,
}: {
  id: string;
  legend: string;
  hint?: ReactNode;
  error?: string | undefined;
  value: T | '';
  options: Array<{ value: T; text: string; reveals?: ReactNode }>;
  onChange: (value: T) => void;
}) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  const conditional = options.some((option) => option.reveals);
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy || undefined}>
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
        {hint ? (
          <div className="nhsuk-hint" id={`${id}-hint`}>
            {hint}
          </div>
        ) : null}
        {error ? (
          <span className="nhsuk-error-message" id={`${id}-error`}>
            <span className="nhsuk-u-visually-hidden">Error:</span> {error}
          </span>
        ) : null}
        <div className={`nhsuk-radios${conditional ? ' nhsuk-radios--conditional' : ''}`}>
          {options.map((option, index) => {
            const inputId = index === 0 ? id : `${id}-${option.value}`;
            const revealId = `${id}-${option.value}-conditional`;
            return (
              <Fragment key={option.value}>
                <div className="nhsuk-radios__item">
                  <input
                    className="nhsuk-radios__input"
                    id={inputId}
                    name={id}
                    type="radio"
                    value={option.value}
                    checked={value === option.value}
                    aria-controls={option.reveals ? revealId : undefined}
                    onChange={() => onChange(option.value)}
                  />
                  <label className="nhsuk-label nhsuk-radios__label" htmlFor={inputId}>
                    {option.text}
                  </label>
                </div>
                {option.reveals ? (
                  <div
                    className={`nhsuk-radios__conditional${value === option.value ? '' : ' nhsuk-radios__conditional--hidden'}`}
                    id={revealId}
                    hidden={value !== option.value}
                  >
                    {option.reveals}
                  </div>
                ) : null}
              </Fragment>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

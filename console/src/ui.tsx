/** Small shared pieces of the console: loading data, showing a refusal, asking for a reason, status badges. */
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { GatewayProblem } from './api.ts';
import { useI18n } from './i18n.tsx';
import type { MessageKey } from './messages.ts';

/** Loads with `load` (again when `deps` change or `reload` is called); the error is a refusal to show. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data?: T; error?: unknown; loading: boolean; reload(): void } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, generation]);
  return { ...state, reload: useCallback(() => setGeneration((g) => g + 1), []) };
}

/** A form's action: busy while it runs (its button disabled), its refusal kept to show; `run` resolves true when it succeeded. */
export function useAction(): { busy: boolean; error: unknown; setError(error: unknown): void; run(action: () => Promise<void>): Promise<boolean> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}

/** A refusal from the gateway, as its problem says it: title, detail, code, and each violation. */
export function ProblemMessage({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  const problem = error instanceof GatewayProblem ? error.problem : undefined;
  return (
    <div role="alert" className="problem">
      <strong>{problem?.title ?? t('app.error')}</strong>
      {problem?.detail ? <p>{problem.detail}</p> : !problem ? <p>{String((error as Error)?.message ?? error)}</p> : null}
      {problem?.violations?.length ? (
        <ul>{problem.violations.map((v, i) => <li key={i}><code>{v.pointer}</code> {v.message}</li>)}</ul>
      ) : null}
      {problem ? <p className="code">{problem.code}</p> : null}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return children ? <p role="status" className="notice">{children}</p> : null;
}

export function Loading({ loading }: { loading: boolean }) {
  const { t } = useI18n();
  return loading ? <p aria-live="polite" className="loading">{t('app.loading')}</p> : null;
}

/** A modal dialog asking for a reason (audited), with the native <dialog>: focus kept inside, Escape closes. */
export function ReasonDialog(props: {
  title: string;
  hint?: string;
  confirm: string;
  extra?: ReactNode;
  /** Ask no free-text reason (the choice in `extra` is the reason). */
  withoutReason?: boolean;
  onConfirm(reason: string): Promise<void>;
  onClose(): void;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby={`${id}-title`} onClose={props.onClose} className="dialog">
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          if (await run(() => props.onConfirm(reason))) ref.current?.close();
        }}
      >
        <h2 id={`${id}-title`}>{props.title}</h2>
        {props.hint ? <p>{props.hint}</p> : null}
        {props.extra}
        {props.withoutReason ? null : (
          <>
            <label htmlFor={`${id}-reason`}>{t('app.reason')}</label>
            <textarea id={`${id}-reason`} required minLength={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={`${id}-hint`} />
            <p id={`${id}-hint`} className="hint">{t('app.reasonHint')}</p>
          </>
        )}
        <ProblemMessage error={error} />
        <div className="buttons">
          <button type="submit" className="danger" disabled={busy}>{props.confirm}</button>
          <button type="button" onClick={() => ref.current?.close()}>{t('app.cancel')}</button>
        </div>
      </form>
    </dialog>
  );
}

/** A status word with its colour class; the word carries the meaning, the colour only helps. */
export function Badge({ kind, label }: { kind: string; label: string }) {
  return <span className={`badge badge-${kind}`}>{label}</span>;
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return <Badge kind={status} label={t(`status.${status}` as MessageKey)} />;
}

/** A labelled input: the label is tied to the control, a hint to its description. */
export function Field(props: { label: string; hint?: string; children: (id: string, describedBy?: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children(id, props.hint ? `${id}-hint` : undefined)}
      {props.hint ? <p id={`${id}-hint`} className="hint">{props.hint}</p> : null}
    </div>
  );
}

/** Checkboxes for a set of values, in a fieldset with a legend. */
export function CheckboxGroup<T extends string>(props: { legend: string; values: readonly T[]; selected: T[]; label(value: T): string; onChange(selected: T[]): void; name: string }) {
  return (
    <fieldset className="checkboxes">
      <legend>{props.legend}</legend>
      {props.values.map((value) => (
        <label key={value}>
          <input
            type="checkbox" name={props.name} value={value} checked={props.selected.includes(value)}
            onChange={(e) => props.onChange(e.target.checked ? [...props.selected, value] : props.selected.filter((v) => v !== value))}
          />
          {props.label(value)}
        </label>
      ))}
    </fieldset>
  );
}

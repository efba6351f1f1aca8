// Disposition codes of the agent's call (POST /api/calls/{id}/disposition with the notes field as the note): during the
// call and after it (wrap-up), the codes of the call's queue (GET /api/dispositions) as checkboxes. Saved codes replace
// the call's; a queue with dispositionRequired keeps the agent in wrap-up until they are saved.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { DispositionCodes, DispositionEntry } from '../../api/types';
import { ErrorText } from '../../ui/components';
import { time } from '../../ui/format';

/** The call the codes go on: the one in progress, else the agent's last one. */
export interface DispositionTarget { callId: string; queue: string; caller: string | null; live: boolean }

let codesOnce: Promise<DispositionCodes> | null = null;

export function Disposition(props: { target: DispositionTarget | null; note: string }) {
  const [codes, setCodes] = useState<DispositionCodes | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [saved, setSaved] = useState<DispositionEntry | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const t = props.target;

  useEffect(() => {
    codesOnce ??= api.dispositionCodes();
    codesOnce.then(setCodes, e => { codesOnce = null; setError(e); });
  }, []);
  useEffect(() => {
    setChosen([]); setSaved(null); setError(null);
    if (t) api.dispositions(t.callId).then(list => { const last = list[list.length - 1]; if (last) { setSaved(last); setChosen(last.codes); } }, () => undefined);
  }, [t?.callId]);

  const queue = t ? codes?.queues[t.queue] : undefined;
  const list = queue?.codes ?? [];
  const toggle = (code: string, on: boolean) => setChosen(on ? [...chosen.filter(c => c !== code), code] : chosen.filter(c => c !== code));
  const save = async (e: Event) => {
    e.preventDefault();
    if (!t) return;
    setBusy(true); setError(null);
    try { setSaved(await api.setDisposition(t.callId, chosen, props.note)); } catch (err) { setError(err); } finally { setBusy(false); }
  };

  return (
    <form class="disposition" onSubmit={save} data-testid="disposition">
      <fieldset disabled={!t || list.length === 0 || busy}>
        <legend>Disposition{t ? ` of the call from ${t.caller ?? 'unknown'} (${t.live ? 'in progress' : 'last call'}, queue ${t.queue})` : ''}</legend>
        {!t ? <p class="hint" data-testid="disposition-none">No call yet: codes can be set during a call and after it.</p>
          : list.length === 0 ? <p class="hint">Queue {t.queue} has no disposition codes.</p> : (
            <div class="codes">{list.map(code => (
              <label class="check"><input type="checkbox" name="disposition" value={code} checked={chosen.includes(code)}
                onChange={e => toggle(code, (e.target as HTMLInputElement).checked)} /> {code}</label>))}
            </div>)}
        {queue?.required && <p class="hint" data-testid="disposition-required">Required: you stay in wrap-up until a disposition is saved.</p>}
        <button type="submit" class="primary" disabled={chosen.length === 0}>Save disposition and notes</button>
      </fieldset>
      <ErrorText error={error} />
      {saved && <p role="status" class="ok-text" data-testid="disposition-saved">
        Saved at {time(saved.setAt)} by {saved.setBy}: {saved.codes.join(', ')}{saved.note ? ' (with notes)' : ''}.</p>}
    </form>
  );
}

// The agent desktop's phone: registers the signed-in agent's extension over the server's SIP WebSocket (no second
// password), rings on queue and extension calls, answer / mute / hold / keypad / hang up, dial a number, microphone and speaker
// choice, and a pre-call test (echo 9000) with a microphone level meter. Errors name the part that failed.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Section } from '../../../ui/components';
import { initialPhone, SipPhone, type PhoneState } from './sipPhone';

const enabledKey = 'telephony.phone';
const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/** Microphone level 0..1 (RMS of the analyser's time-domain data), refreshed per animation frame. */
function useLevel(stream: MediaStream | null): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!stream || stream.getAudioTracks().length === 0) { setLevel(0); return; }
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 1024;
    ctx.createMediaStreamSource(stream).connect(analyser);
    const data = new Float32Array(analyser.fftSize);
    let frame = 0;
    const tick = () => {
      analyser.getFloatTimeDomainData(data);
      let sum = 0;
      for (const x of data) sum += x * x;
      setLevel(Math.min(1, Math.sqrt(sum / data.length) * 3));
      frame = requestAnimationFrame(tick);
    };
    tick();
    return () => { cancelAnimationFrame(frame); void ctx.close(); };
  }, [stream]);
  return level;
}

function useDevices() {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    const load = () => navigator.mediaDevices?.enumerateDevices().then(setDevices).catch(() => setDevices([]));
    load();
    navigator.mediaDevices?.addEventListener('devicechange', load);
    return () => navigator.mediaDevices?.removeEventListener('devicechange', load);
  }, []);
  return devices;
}

const registrationWords: Record<PhoneState['registration'], string> = {
  off: 'Off', connecting: 'Connecting…', registered: 'Ready', failed: 'Not connected',
};

export function PhonePanel() {
  const audio = useRef<HTMLAudioElement>(null);
  const phone = useRef<SipPhone | null>(null);
  const [state, setState] = useState<PhoneState>(initialPhone);
  const [local, setLocal] = useState<MediaStream | null>(null);
  const [mic, setMic] = useState('');
  const [speaker, setSpeaker] = useState('');
  const [number, setNumber] = useState('');
  const devices = useDevices();
  const level = useLevel(local);

  // Opt-in per browser (a preference, not a secret): an agent with a desk phone keeps this off.
  const [enabled, setEnabled] = useState(() => localStorage.getItem(enabledKey) === 'on');
  useEffect(() => {
    localStorage.setItem(enabledKey, enabled ? 'on' : 'off');
    if (!enabled) return;
    const p = new SipPhone(audio.current!, setState, setLocal);
    phone.current = p;
    void p.start();
    return () => { p.stop(); phone.current = null; setState(initialPhone); };
  }, [enabled]);

  const inCall = state.call !== 'idle';
  const mics = devices.filter(d => d.kind === 'audioinput');
  const speakers = devices.filter(d => d.kind === 'audiooutput');
  const p = phone.current;

  return (
    <Section title="Phone" class="phone" actions={
      <button type="button" data-testid="phone-enable" aria-pressed={enabled} onClick={() => setEnabled(!enabled)}>
        {enabled ? 'Turn browser phone off' : 'Use this browser as my phone'}</button>}>
      <div class="phone-status" data-testid="phone-panel" data-registration={state.registration} data-call={state.call}>
        <span class={`phone-dot phone-${state.registration}`} aria-hidden="true" />
        <span data-testid="phone-registration">{registrationWords[state.registration]}</span>
        {state.call === 'ringing' && <strong class="phone-ringing" role="status" data-testid="phone-ringing">Incoming call from {state.peer || 'unknown'}</strong>}
        {state.call === 'calling' && <span role="status">Calling {state.peer}…</span>}
        {state.call === 'connected' && <span role="status" data-testid="phone-connected">
          {state.purpose === 'test' ? 'Echo test: speak, you should hear yourself' : `Connected with ${state.peer}`}
          {state.held ? ' (on hold)' : ''}{state.muted ? ' (muted)' : ''}</span>}
      </div>
      {state.error && <p class="error" role="alert" data-testid="phone-error">{state.error}</p>}
      <div class="buttons">
        {state.call === 'ringing' && <button type="button" class="primary" data-testid="phone-answer" onClick={() => p?.answer()}>Answer</button>}
        <button type="button" data-testid="phone-mute" disabled={state.call !== 'connected'} onClick={() => p?.toggleMute()}>{state.muted ? 'Unmute' : 'Mute'}</button>
        <button type="button" data-testid="phone-hold" disabled={state.call !== 'connected'} onClick={() => p?.toggleHold()}>{state.held ? 'Resume' : 'Hold'}</button>
        <button type="button" class="danger" data-testid="phone-hangup" disabled={!inCall} onClick={() => p?.hangup()}>{state.call === 'ringing' ? 'Decline' : 'Hang up'}</button>
        <button type="button" data-testid="phone-test" disabled={inCall || state.registration !== 'registered'} onClick={() => p?.testCall()}>Test call (echo)</button>
        {state.registration === 'failed' && <button type="button" onClick={() => { p?.stop(); void p?.start(); }}>Reconnect</button>}
      </div>
      <form class="phone-dial" onSubmit={e => { e.preventDefault(); p?.call(number); }}>
        <label for="phone-number">Number</label>
        <input id="phone-number" data-testid="phone-number" inputMode="tel" autocomplete="off" value={number}
          onInput={e => setNumber((e.target as HTMLInputElement).value)} />
        <button type="submit" data-testid="phone-call" disabled={inCall || state.registration !== 'registered' || number.trim() === ''}>Call</button>
      </form>
      <div class="keypad" role="group" aria-label="Keypad">
        {keys.map(k => <button type="button" data-testid={`phone-key-${k}`} disabled={state.call !== 'connected'} onClick={() => p?.dtmf(k)}>{k}</button>)}
      </div>
      <label for="phone-level">Microphone level</label>
      <meter id="phone-level" data-testid="phone-level" min={0} max={1} low={0.05} high={0.8} value={level} />
      <div class="phone-devices">
        <label for="phone-mic">Microphone</label>
        <select id="phone-mic" value={mic} onChange={e => { const v = (e.target as HTMLSelectElement).value; setMic(v); p?.setMicrophone(v); }}>
          <option value="">Default</option>
          {mics.map(d => <option value={d.deviceId}>{d.label || 'Microphone'}</option>)}
        </select>
        <label for="phone-speaker">Speaker</label>
        <select id="phone-speaker" value={speaker} onChange={e => { const v = (e.target as HTMLSelectElement).value; setSpeaker(v); void p?.setSpeaker(v); }}>
          <option value="">Default</option>
          {speakers.map(d => <option value={d.deviceId}>{d.label || 'Speaker'}</option>)}
        </select>
      </div>
      <audio ref={audio} autoplay data-testid="phone-remote-audio" />
    </Section>
  );
}

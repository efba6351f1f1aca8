// Shared by the plain interop pages (jssip.ts, sipjs.ts): credentials from the query string, the status shown in the
// page and its title (what a test waits for), and the remote stream attached to an audio element (WebAudio stays
// silent on a WebRTC stream that no media element plays).
export interface InteropWindow extends Window { remoteStream?: MediaStream }

const query = new URLSearchParams(location.search);

export const user = query.get('user') ?? '';
export const password = query.get('password') ?? '';
export const host = location.hostname;
export const socketUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sip`;

export function status(text: string) {
  document.title = text;
  const el = document.getElementById('status');
  if (el) el.textContent = text;
}

export function attach(stream: MediaStream) {
  (window as InteropWindow).remoteStream = stream;
  const audio = document.getElementById('remote') as HTMLAudioElement;
  audio.srcObject = stream;
  void audio.play().catch(() => undefined);
}

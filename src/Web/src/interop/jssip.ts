// A plain JsSIP page (npm jssip, none of the console's code): registers with the extension's password and answers every
// incoming call with the microphone. Proves the server works with JsSIP as it comes, not only with our panel.
import JsSIP from 'jssip';
import type { RTCSessionEvent } from 'jssip/lib/UA';
import { attach, host, password, socketUrl, status, user } from './common';

const ua = new JsSIP.UA({
  sockets: [new JsSIP.WebSocketInterface(socketUrl)],
  uri: `sip:${user}@${host}`,
  password,
  register: true,
});
ua.on('registered', () => status('registered'));
ua.on('registrationFailed', e => status(`registration failed: ${e.cause ?? ''}`));
ua.on('newRTCSession', (e: RTCSessionEvent) => {
  if (e.originator !== 'remote') return;
  const session = e.session;
  session.on('peerconnection', p => (p.peerconnection as RTCPeerConnection).addEventListener('track', t => attach(t.streams[0] ?? new MediaStream([t.track]))));
  session.on('confirmed', () => status('connected'));
  session.on('ended', () => status('ended'));
  session.on('failed', f => status(`failed: ${f.cause}`));
  status('ringing');
  session.answer({ mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } });
});
ua.start();

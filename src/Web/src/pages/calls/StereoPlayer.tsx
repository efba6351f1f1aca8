// Stereo recording player: the caller (left channel) and our side, the agent (right channel), as two lanes with a
// waveform; click a lane to seek (the audio element fetches with Range requests), play/pause, download.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Recording } from '../../api/types';
import { duration } from '../../ui/format';

const Buckets = 600;

/** Peak levels per bucket for each channel of a WAV (PCM16, µ-law or A-law). */
function peaks(buffer: ArrayBuffer): { left: Float32Array; right: Float32Array; seconds: number } | null {
  const view = new DataView(buffer);
  if (view.byteLength < 44 || view.getUint32(0, false) !== 0x52494646) return null;
  let offset = 12, format = 1, channels = 1, rate = 8000, bits = 16, dataStart = -1, dataLength = 0;
  while (offset + 8 <= view.byteLength) {
    const id = view.getUint32(offset, false), size = view.getUint32(offset + 4, true);
    if (id === 0x666d7420) { format = view.getUint16(offset + 8, true); channels = view.getUint16(offset + 10, true); rate = view.getUint32(offset + 12, true); bits = view.getUint16(offset + 22, true); }
    if (id === 0x64617461) { dataStart = offset + 8; dataLength = Math.min(size, view.byteLength - dataStart); break; }
    offset += 8 + size + (size & 1);
  }
  if (dataStart < 0) return null;
  const bytes = bits / 8, frames = Math.floor(dataLength / (bytes * channels));
  const left = new Float32Array(Buckets), right = new Float32Array(Buckets);
  const sample = (i: number): number => {
    if (bits === 16) return view.getInt16(i, true) / 32768;
    const v = view.getUint8(i);
    return format === 7 ? ulaw(v) : format === 6 ? alaw(v) : (v - 128) / 128;
  };
  for (let f = 0; f < frames; f++) {
    const b = Math.min(Buckets - 1, Math.floor((f / frames) * Buckets));
    const at = dataStart + f * bytes * channels;
    left[b] = Math.max(left[b]!, Math.abs(sample(at)));
    right[b] = Math.max(right[b]!, Math.abs(channels > 1 ? sample(at + bytes) : 0));
  }
  return { left, right, seconds: frames / rate };
}

function ulaw(v: number): number {
  const u = ~v & 0xff, sign = u & 0x80, exponent = (u >> 4) & 7, mantissa = u & 15;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return (sign ? -magnitude : magnitude) / 32768;
}
function alaw(v: number): number {
  const a = v ^ 0x55, sign = a & 0x80, exponent = (a >> 4) & 7, mantissa = a & 15;
  const magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return (sign ? magnitude : -magnitude) / 32768;
}

function Lane(props: { label: string; data: Float32Array | null; progress: number; onSeek: (ratio: number) => void; testId: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const w = c.width, h = c.height;
    ctx.clearRect(0, 0, w, h);
    if (props.data) {
      for (let i = 0; i < props.data.length; i++) {
        const x = (i / props.data.length) * w, v = props.data[i]! * h * 0.95;
        ctx.fillStyle = i / props.data.length <= props.progress ? '#1d4ed8' : '#94a3b8';
        ctx.fillRect(x, (h - v) / 2, Math.max(1, w / props.data.length - 0.5), Math.max(1, v));
      }
    }
    ctx.fillStyle = '#b91c1c';
    ctx.fillRect(props.progress * w, 0, 2, h);
  }, [props.data, props.progress]);
  const seek = (e: MouseEvent) => {
    const r = (e.currentTarget as HTMLCanvasElement).getBoundingClientRect();
    props.onSeek((e.clientX - r.left) / r.width);
  };
  const key = (e: KeyboardEvent) => {
    if (e.key === 'ArrowRight') props.onSeek(Math.min(1, props.progress + 0.05));
    if (e.key === 'ArrowLeft') props.onSeek(Math.max(0, props.progress - 0.05));
  };
  return (
    <div class="lane">
      <span class="lane-label">{props.label}</span>
      <canvas ref={canvas} width={1200} height={60} onClick={seek} onKeyDown={key} tabIndex={0} data-testid={props.testId}
        role="slider" aria-label={`${props.label} waveform: click or use the arrow keys to seek`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(props.progress * 100)} />
    </div>
  );
}

export function StereoPlayer(props: { recording: Recording }) {
  const audio = useRef<HTMLAudioElement>(null);
  const [wave, setWave] = useState<ReturnType<typeof peaks>>(null);
  const [progress, setProgress] = useState(0);
  const [state, setState] = useState('ready');
  const src = props.recording.audio;
  useEffect(() => {
    // Range from byte 0: the server counts it as a play in the audit trail, like the audio element's own first request.
    fetch(src, { credentials: 'same-origin', headers: { Range: 'bytes=0-' } })
      .then(r => r.ok ? r.arrayBuffer() : Promise.reject(new Error(String(r.status))))
      .then(b => setWave(peaks(b)), () => setWave(null));
  }, [src]);
  const seek = (ratio: number) => {
    const a = audio.current;
    if (a && Number.isFinite(a.duration)) { a.currentTime = ratio * a.duration; setProgress(ratio); }
  };
  return (
    <div class="player" data-testid="player">
      <audio ref={audio} src={src} preload="metadata" data-testid="audio"
        onTimeUpdate={e => { const a = e.currentTarget as HTMLAudioElement; if (a.duration) setProgress(a.currentTime / a.duration); }}
        onPlay={() => setState('playing')} onPause={() => setState('paused')} onEnded={() => { setState('ended'); setProgress(1); }} />
      <div class="player-controls">
        <button type="button" class="primary" onClick={() => { const a = audio.current; if (a) { if (a.paused) void a.play(); else a.pause(); } }}>
          {state === 'playing' ? 'Pause' : 'Play'}
        </button>
        <span data-testid="player-state" data-state={state}>{state}</span>
        <span>{duration((props.recording.durationMs ?? (wave?.seconds ?? 0) * 1000) / 1000)} · {props.recording.format} · {props.recording.status}</span>
        <a href={src} download>Download WAV</a>
      </div>
      <Lane label="Caller (left)" data={wave?.left ?? null} progress={progress} onSeek={seek} testId="lane-caller" />
      <Lane label="Agent (right)" data={wave?.right ?? null} progress={progress} onSeek={seek} testId="lane-agent" />
    </div>
  );
}

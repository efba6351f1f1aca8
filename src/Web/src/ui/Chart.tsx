// uPlot wrapped for Preact: one canvas chart, re-drawn when its data changes.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export function Chart(props: { options: Omit<uPlot.Options, 'width' | 'height'>; data: uPlot.AlignedData; height?: number; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const width = Math.max(300, el.clientWidth);
    plot.current = new uPlot({ ...props.options, width, height: props.height ?? 220 } as uPlot.Options, props.data, el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(300, el.clientWidth), height: props.height ?? 220 }));
    resize.observe(el);
    return () => { resize.disconnect(); plot.current?.destroy(); plot.current = null; };
  }, [JSON.stringify(props.options.series.map(s => s.label))]);
  useEffect(() => { plot.current?.setData(props.data); }, [props.data]);
  return <figure class="chart" role="img" aria-label={props.label}><div ref={host} /></figure>;
}

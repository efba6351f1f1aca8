// Today's charts from /api/stats/queues?interval=15m (all queues added): calls offered / answered / abandoned per
// interval, and the service level per interval against the target line.
import uPlot from 'uplot';
import { Chart } from '../../ui/Chart';
import type { IntervalFigures } from './figures';

const bars = uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 40] }) : undefined;

export function DayCharts(props: { intervals: IntervalFigures[]; intervalMinutes: number; target: number; serviceLevelSeconds: number | null }) {
  const list = props.intervals;
  const xs = list.map(i => i.start / 1000);
  const volume: uPlot.AlignedData = [xs, list.map(i => i.offered), list.map(i => i.answered), list.map(i => i.abandoned)];
  const target = Math.round(props.target * 100);
  const sl: uPlot.AlignedData = [xs, list.map(i => i.serviceLevel === null ? null : Math.round(i.serviceLevel * 100)), xs.map(() => target)];
  const within = props.serviceLevelSeconds === null ? 'within each queue\'s threshold' : `within ${props.serviceLevelSeconds} s`;
  return (
    <div class="charts" data-testid="day-charts" data-intervals={list.length}>
      <div>
        <h3>Calls per {props.intervalMinutes} min</h3>
        <Chart label={`Calls offered, answered and abandoned per ${props.intervalMinutes} minutes today`} data={volume} options={{
          scales: { x: { time: true } },
          axes: [{}, { label: 'calls' }],
          series: [{}, { label: 'Offered', stroke: '#1d4ed8', fill: 'rgba(29,78,216,.25)', paths: bars },
            { label: 'Answered', stroke: '#15803d', width: 2 }, { label: 'Abandoned', stroke: '#b91c1c', width: 2, dash: [6, 4] }],
        }} />
      </div>
      <div>
        <h3>Service level today (answered {within})</h3>
        <Chart label={`Service level per interval against the ${target} % target`} data={sl} options={{
          scales: { x: { time: true }, y: { range: [0, 100] } },
          axes: [{}, { label: '%' }],
          series: [{}, { label: 'Service level %', stroke: '#1d4ed8', width: 2, spanGaps: true, points: { show: true } },
            { label: `Target ${target} %`, stroke: '#b45309', width: 2, dash: [8, 6], points: { show: false } }],
        }} />
      </div>
    </div>
  );
}
